import { exportItem } from './export-item';
import { ItemPageRow } from './reports.repository';

const row: ItemPageRow = {
  id: 7,
  code: 'S01',
  name: '届出書',
  status: 'abolished',
  statusEffectiveOn: '2026-10-01',
  state: 'abolished',
  stateEffectiveOn: '2026-10-01',
  divisionId: 3,
  dueOn: '2026-12-31',
  completedOn: '2026-10-01',
  note: 'メモ',
  fields: { annualVolume: 40, basisLevel: 'rule', sealKind: 'personal', replacement: 'signature', article: 'never exported for seal' },
};
const labels = new Map([[3, '総務課']]);

describe('exportItem', () => {
  it('should give the item as stored without a date, with its program fields only', () => {
    expect(exportItem('seal', row, undefined, labels)).toEqual({
      code: 'S01',
      name: '届出書',
      division: '総務課',
      status: 'abolished',
      completedOn: '2026-10-01',
      dueOn: '2026-12-31',
      note: 'メモ',
      annualVolume: 40,
      basisLevel: 'rule',
      legalBasis: null,
      sealKind: 'personal',
      replacement: 'signature',
    });
  });

  it('should drop the completion date when the state then was not done', () => {
    const before = exportItem('seal', { ...row, state: 'seal_required', stateEffectiveOn: null }, '2026-06-30', labels);
    expect([before.status, before.completedOn]).toEqual(['seal_required', null]);
  });

  it('should take the completion date of a past done state from when it took effect', () => {
    // Abolished in May, reopened in October: on 2026-06-30 it was abolished since 2026-05-10.
    const reopened = { ...row, status: 'reviewing', statusEffectiveOn: '2026-10-01', completedOn: null, state: 'abolished', stateEffectiveOn: '2026-05-10' };
    expect(exportItem('seal', reopened, '2026-06-30', labels).completedOn).toBe('2026-05-10');
  });

  it('should keep the stored completion date when the current state already held on the date', () => {
    expect(exportItem('seal', row, '2026-11-24', labels).completedOn).toBe('2026-10-01');
  });

  it('should fall back to the division id when no label is known', () => {
    expect(exportItem('seal', row, undefined, new Map()).division).toBe('3');
  });
});
