import {
  fiscalQuarterOf,
  fiscalQuarterRange,
  fiscalYearEnd,
  fiscalYearOf,
  fiscalYearRange,
  fiscalYearStart,
  isFiscalQuarter,
  isFiscalYearEnd,
} from './fiscal-year';

describe('fiscalYearOf', () => {
  it('switches on 1 April', () => {
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearOf('2026-04-01')).toBe(2026);
    expect(fiscalYearOf('2026-12-31')).toBe(2026);
    expect(fiscalYearOf('2027-01-01')).toBe(2026);
    expect(fiscalYearOf('2027-03-31')).toBe(2026);
    expect(fiscalYearOf('2027-04-01')).toBe(2027);
  });

  it('throws on invalid dates', () => {
    expect(() => fiscalYearOf('2026-02-29')).toThrow(RangeError);
  });
});

describe('fiscalQuarterOf', () => {
  it.each([
    ['2026-04-01', 1],
    ['2026-06-30', 1],
    ['2026-07-01', 2],
    ['2026-09-30', 2],
    ['2026-10-01', 3],
    ['2026-12-31', 3],
    ['2027-01-01', 4],
    ['2027-02-28', 4],
    ['2027-03-31', 4],
  ])('%s → Q%d', (date, q) => {
    expect(fiscalQuarterOf(date)).toBe(q);
  });
});

describe('fiscal year bounds', () => {
  it('FY2026 = 2026-04-01 .. 2027-03-31', () => {
    expect(fiscalYearStart(2026)).toBe('2026-04-01');
    expect(fiscalYearEnd(2026)).toBe('2027-03-31');
    expect(fiscalYearRange(2026)).toEqual({ start: '2026-04-01', end: '2027-03-31' });
  });

  it('start and end are consistent with fiscalYearOf', () => {
    for (const fy of [1989, 2019, 2024, 2026, 2100]) {
      expect(fiscalYearOf(fiscalYearStart(fy))).toBe(fy);
      expect(fiscalYearOf(fiscalYearEnd(fy))).toBe(fy);
    }
  });

  it('rejects non-integer or out-of-range fiscal years', () => {
    expect(() => fiscalYearStart(2026.5)).toThrow(RangeError);
    expect(() => fiscalYearEnd(0)).toThrow(RangeError);
    expect(() => fiscalYearEnd(9999)).toThrow(RangeError);
  });
});

describe('fiscalQuarterRange', () => {
  it.each([
    [1, '2026-04-01', '2026-06-30'],
    [2, '2026-07-01', '2026-09-30'],
    [3, '2026-10-01', '2026-12-31'],
    [4, '2027-01-01', '2027-03-31'],
  ] as const)('FY2026 Q%d', (q, start, end) => {
    expect(fiscalQuarterRange(2026, q)).toEqual({ start, end });
    expect(fiscalQuarterOf(start)).toBe(q);
    expect(fiscalQuarterOf(end)).toBe(q);
  });

  it('rejects a bad quarter', () => {
    expect(() => fiscalQuarterRange(2026, 5 as never)).toThrow(RangeError);
  });
});

describe('predicates', () => {
  it('isFiscalYearEnd is true only on 31 March', () => {
    expect(isFiscalYearEnd('2027-03-31')).toBe(true);
    expect(isFiscalYearEnd('2027-03-30')).toBe(false);
    expect(isFiscalYearEnd('2026-12-31')).toBe(false);
  });

  it('isFiscalQuarter', () => {
    expect(isFiscalQuarter(4)).toBe(true);
    expect(isFiscalQuarter(0)).toBe(false);
    expect(isFiscalQuarter('1')).toBe(false);
  });
});
