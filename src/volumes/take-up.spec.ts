import { compareTakeUp, summarizeTakeUp, takeUpPercent, takeUpPeriod } from './take-up';

const row = (code: string, online: number, offline: number, nationalGroup: string | null = 'mynumber27') => ({
  code,
  name: `手続${code}`,
  nationalGroup,
  status: 'online',
  statusLabel: 'オンライン化済',
  online,
  offline,
});

describe('takeUpPercent', () => {
  it('should give the online share of the cases to one decimal, rounding half up', () => {
    expect(takeUpPercent(3, 97)).toBe(3);
    expect(takeUpPercent(1, 2)).toBe(33.3);
    expect(takeUpPercent(2, 1)).toBe(66.7);
    expect(takeUpPercent(1, 15)).toBe(6.3); // 6.25 → 6.3
    expect(takeUpPercent(1999, 1)).toBe(100); // 99.95 → 100
    expect(takeUpPercent(0, 12)).toBe(0);
    expect(takeUpPercent(12, 0)).toBe(100);
  });
  it('should be null when there were no cases at all', () => {
    expect(takeUpPercent(0, 0)).toBeNull();
  });
});

describe('summarizeTakeUp', () => {
  it('should put the worst procedure first and those without cases last', () => {
    const summary = summarizeTakeUp([row('A', 50, 50), row('B', 0, 0), row('C', 3, 97), row('D', 10, 0), row('E', 6, 194)]);
    expect(summary.items.map((item) => [item.code, item.takeUp])).toEqual([
      ['E', 3], // 3.0 % with 200 cases: more people left on paper than C
      ['C', 3],
      ['A', 50],
      ['D', 100],
      ['B', null],
    ]);
  });

  it('should sum per national group in the contract order and in total, from the counts, not the percents', () => {
    const summary = summarizeTakeUp([row('P1', 1, 1, 'priority24'), row('M1', 1, 3), row('M2', 0, 4), row('C1', 5, 0, 'city'), row('X', 0, 0, null)]);
    expect(summary.groups).toEqual([
      { nationalGroup: 'mynumber27', label: 'マイナンバー27', procedures: 2, online: 1, offline: 7, takeUp: 12.5 },
      { nationalGroup: 'priority24', label: '優先24', procedures: 1, online: 1, offline: 1, takeUp: 50 },
      { nationalGroup: 'city', label: '市独自', procedures: 1, online: 5, offline: 0, takeUp: 100 },
      { nationalGroup: null, label: '区分なし', procedures: 1, online: 0, offline: 0, takeUp: null },
    ]);
    expect(summary.total).toEqual({ online: 7, offline: 8, takeUp: 46.7 });
  });

  it('should answer an empty period with null take-up everywhere', () => {
    const summary = summarizeTakeUp([row('A', 0, 0), row('B', 0, 0, 'priority24')]);
    expect(summary.items.every((item) => item.takeUp === null)).toBe(true);
    expect(summary.groups.map((group) => group.takeUp)).toEqual([null, null]);
    expect(summary.total).toEqual({ online: 0, offline: 0, takeUp: null });
    expect(summarizeTakeUp([])).toEqual({ items: [], groups: [], total: { online: 0, offline: 0, takeUp: null } });
  });

  it('should order equal take-up by code when the cases are equal too', () => {
    expect(compareTakeUp({ ...row('B', 1, 1), takeUp: 50 }, { ...row('A', 1, 1), takeUp: 50 })).toBeGreaterThan(0);
  });
});

describe('takeUpPeriod', () => {
  it('should default to the twelve months up to the current month', () => {
    expect(takeUpPeriod(undefined, undefined, '2026-11-24')).toEqual({ from: '2025-12', to: '2026-11' });
    expect(takeUpPeriod(undefined, '2026-03', '2026-11-24')).toEqual({ from: '2025-04', to: '2026-03' });
  });
  it('should read months and dates in 和暦 too', () => {
    expect(takeUpPeriod('令和8年4月', 'R8.9', '2026-11-24')).toEqual({ from: '2026-04', to: '2026-09' });
    expect(takeUpPeriod('2026-04-15', '2026/9/30', '2026-11-24')).toEqual({ from: '2026-04', to: '2026-09' });
  });
  it('should refuse an unreadable month and a reversed period', () => {
    expect(() => takeUpPeriod('先月', undefined, '2026-11-24')).toThrow(expect.objectContaining({ code: 'invalid_month' }));
    expect(() => takeUpPeriod('2026-10', '2026-04', '2026-11-24')).toThrow(expect.objectContaining({ code: 'invalid_range' }));
  });
});
