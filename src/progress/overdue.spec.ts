import { compareOverdue, isOpenState, OpenItemRow, overdueReasons } from './overdue';
import { TargetView } from '../targets/target-rules';

describe('overdueReasons', () => {
  const target = (id: string, deadline: string, scope: TargetView['scope'] = {}, program = 'online'): TargetView => ({
    id,
    program,
    label: `目標${id}`,
    deadline,
    deadlineLabel: `期限${deadline}`,
    scope,
  });
  const item: OpenItemRow = { id: 1, program: 'online', code: 'MN-01', name: '手続', state: 'planning', dueOn: null, nationalGroup: 'mynumber27', divisionId: 3 };
  const targets = [target('mn27', '2025-09-30', { nationalGroup: 'mynumber27' }), target('all', '2027-03-31'), target('seal', '2020-03-31', {}, 'seal')];

  it('should name a passed deadline of a target that covers the item', () => {
    expect(overdueReasons(item, '2026-11-24', targets, 'D04')).toEqual([
      { kind: 'target', date: '2025-09-30', targetId: 'mn27', label: '目標mn27', deadlineLabel: '期限2025-09-30' },
    ]);
    // on the deadline day itself it is not overdue yet (the forecast's rule: asOf > deadline)
    expect(overdueReasons(item, '2025-09-30', targets, 'D04')).toEqual([]);
  });

  it('should name the item’s own passed due date, earliest reason first', () => {
    const reasons = overdueReasons({ ...item, dueOn: '2025-06-30' }, '2026-11-24', targets, 'D04');
    expect(reasons.map((reason) => reason.kind)).toEqual(['dueOn', 'target']);
    expect(overdueReasons({ ...item, nationalGroup: 'city', dueOn: '2026-11-24' }, '2026-11-24', targets, 'D04')).toEqual([]);
    expect(overdueReasons({ ...item, nationalGroup: 'city', dueOn: '2026-11-23' }, '2026-11-24', targets, 'D04')).toEqual([{ kind: 'dueOn', date: '2026-11-23' }]);
  });

  it('should never list an item that is done or excluded on the date', () => {
    expect(overdueReasons({ ...item, state: 'online', dueOn: '2020-01-01' }, '2026-11-24', targets, 'D04')).toEqual([]);
    expect(overdueReasons({ ...item, state: 'not_applicable' }, '2026-11-24', targets, 'D04')).toEqual([]);
    // null = still in the initial state
    expect(overdueReasons({ ...item, state: null }, '2026-11-24', targets, 'D04')).toHaveLength(1);
  });

  it('should respect department and code scopes', () => {
    const scoped = [target('dept', '2026-03-31', { department: 'D05' }), target('codes', '2026-03-31', { codes: ['MN-01'] })];
    expect(overdueReasons(item, '2026-11-24', scoped, 'D04').map((reason) => reason.kind === 'target' && reason.targetId)).toEqual(['codes']);
  });
});

describe('isOpenState and compareOverdue', () => {
  it('should treat analog amended and operation_changed as closed', () => {
    expect(isOpenState('analog', 'amended')).toBe(false);
    expect(isOpenState('analog', 'operation_changed')).toBe(false);
    expect(isOpenState('analog', 'direction_decided')).toBe(true);
  });
  it('should order by how long an item is overdue, then program, then code', () => {
    const rows = [
      { since: '2026-01-01', program: 'seal', code: 'S2' },
      { since: '2025-09-30', program: 'seal', code: 'S1' },
      { since: '2026-01-01', program: 'online', code: 'Z9' },
      { since: '2026-01-01', program: 'seal', code: 'S1' },
    ];
    expect(rows.sort(compareOverdue).map((row) => `${row.since} ${row.code}`)).toEqual(['2025-09-30 S1', '2026-01-01 Z9', '2026-01-01 S1', '2026-01-01 S2']);
  });
});
