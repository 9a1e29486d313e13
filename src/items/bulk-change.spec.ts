import { planBulkChange } from './bulk-change';
import { ItemWithOrganization } from './item-view';
import { storedItem } from '../../test/support/factories';
import { Item } from './item.entity';

const context = (role: 'admin' | 'editor', departmentId: number | null = 1) => ({
  actor: { userId: 1, name: '山田', role, departmentId },
  today: '2026-11-24',
  nowIso: '2026-11-24T01:00:00.000Z',
});

function stored(id: number, code: string, departmentId: number, overrides: Partial<Item> = {}): ItemWithOrganization {
  const item = storedItem('seal', { id, code, divisionId: departmentId * 10, ...overrides });
  return { item, departmentId, divisionCode: `D0${departmentId}-01`, divisionName: departmentId === 1 ? '総務課' : '市民課', departmentCode: `D0${departmentId}`, departmentName: '' };
}

describe('planBulkChange', () => {
  it('plans one update with one history row per item, on the version read', () => {
    const plan = planBulkChange([stored(1, 'A', 1), stored(2, 'B', 1)], { status: 'abolished', completedOn: '2026-11-20', note: '電子化' }, context('editor'));
    expect(plan.errors).toEqual([]);
    expect(plan.updates.map((update) => [update.id, update.version, update.plan.set.status, update.plan.set.completedOn, update.plan.history?.note])).toEqual([
      [1, 3, 'abolished', '2026-11-20', '電子化'],
      [2, 3, 'abolished', '2026-11-20', '電子化'],
    ]);
  });

  it('counts an item already in that state as unchanged', () => {
    const plan = planBulkChange([stored(1, 'A', 1, { status: 'reviewing' })], { status: 'reviewing' }, context('admin', null));
    expect(plan).toEqual({ updates: [], unchanged: 1, errors: [] });
  });

  it("names each item refused: another department's, or one breaking a status rule", () => {
    const plan = planBulkChange([stored(1, 'A', 1), stored(2, 'B', 2)], { status: 'legally_required' }, context('editor'));
    expect(plan.updates).toEqual([]);
    expect(plan.errors.find((error) => error.itemCode === 'B')).toMatchObject({ code: 'forbidden' });
    expect(plan.errors.filter((error) => error.itemCode === 'A').map((error) => error.field).sort()).toEqual(['legalBasis', 'note']);
    expect(plan.errors.every((error) => error.message.startsWith(`${error.itemCode}: `))).toBe(true);
  });
});
