// The page's chart arithmetic (public/*.js, browser modules without a DOM at load time), run
// under Jest: the plan curve's alignment with the burn-up months and the take-up period.
// require(): the page's modules are plain JavaScript without type declarations.

interface PlanPoint {
  month: string;
  monthLabel: string;
  planned: number;
  plannedCumulative: number;
  actualCumulative: number | null;
  afterDeadline: boolean;
}
interface SeriesPoint {
  month: string;
  monthLabel: string;
  total: number;
  done: number;
  excluded: number;
}
interface BurnUp {
  months: string[];
  done: (number | null)[];
  ideal: (number | null)[];
  hasPlan: boolean;
  plan: (number | null)[];
  planAfterDeadline: boolean[];
  rows: { month: string; point: SeriesPoint | null; plan: PlanPoint | null }[];
}

const targets = require('./public/targets.js') as {
  burnUpData(series: { target: { deadline: string }; points: SeriesPoint[] }, target?: { plan?: PlanPoint[] }): BurnUp;
  seriesFrom(target: { plan?: PlanPoint[] }, asOf: string): string | null;
};
const takeUp = require('./public/take-up.js') as {
  defaultTakeUpPeriod(asOf: string): { from: string; to: string };
  shortName(name: string, max: number): string;
};
const format = require('./public/format.js') as { signedCount(value: number | null): string; addMonth(month: string, offset: number): string };

const point = (month: string, done: number): SeriesPoint => ({ month, monthLabel: month, total: 10, done, excluded: 0 });
const planPoint = (month: string, planned: number, cumulative: number, afterDeadline = false): PlanPoint => ({
  month,
  monthLabel: month,
  planned,
  plannedCumulative: cumulative,
  actualCumulative: null,
  afterDeadline,
});

describe('burn-up with a monthly plan', () => {
  // as of 2026-11, deadline 2027-01, plan 2026-10 … 2027-03 (two months past the deadline)
  const series = { target: { deadline: '2027-01-31' }, points: [point('2026-09', 1), point('2026-10', 2), point('2026-11', 4)] };
  const plan = [
    planPoint('2026-10', 2, 2),
    planPoint('2026-11', 2, 4),
    planPoint('2026-12', 2, 6),
    planPoint('2027-01', 2, 8),
    planPoint('2027-02', 1, 9, true),
    planPoint('2027-03', 1, 10, true),
  ];

  it('should run the months to the plan’s last month and align the plan by month, absent before it', () => {
    const data = targets.burnUpData(series, { plan });
    expect(data.months).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(data.hasPlan).toBe(true);
    expect(data.plan).toEqual([null, 2, 4, 6, 8, 9, 10]);
    expect(data.planAfterDeadline).toEqual([false, false, false, false, false, true, true]);
    expect(data.done).toEqual([1, 2, 4, null, null, null, null]);
    // the straight line still ends at the deadline
    expect(data.ideal.slice(4)).toEqual([10, null, null]);
    // the table: every month with an actual or a plan
    expect(data.rows.map((row) => [row.month, row.point?.done ?? null, row.plan?.plannedCumulative ?? null])).toEqual([
      ['2026-09', 1, null],
      ['2026-10', 2, 2],
      ['2026-11', 4, 4],
      ['2026-12', null, 6],
      ['2027-01', null, 8],
      ['2027-02', null, 9],
      ['2027-03', null, 10],
    ]);
  });

  it('should draw no plan when the plan is empty or absent, and keep the table to the series', () => {
    for (const target of [undefined, { plan: [] }]) {
      const data = targets.burnUpData(series, target);
      expect(data.hasPlan).toBe(false);
      expect(data.plan.every((value) => value === null)).toBe(true);
      expect(data.months.at(-1)).toBe('2027-01');
      expect(data.rows.map((row) => row.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    }
  });

  it('should leave out plan months before the chart’s first month', () => {
    const early = [planPoint('2026-08', 3, 3), planPoint('2026-09', 3, 6), planPoint('2026-10', 3, 9)];
    const data = targets.burnUpData(series, { plan: early });
    expect(data.months[0]).toBe('2026-09');
    // 2026-08 is before the chart; 2026-09 still carries its cumulative 6; after the plan: absent
    expect(data.plan).toEqual([6, 9, null, null, null]);
    expect(data.rows[0]).toMatchObject({ month: '2026-09', plan: { plannedCumulative: 6 } });
  });
});

describe('seriesFrom', () => {
  const plan = (first: string) => [planPoint(first, 1, 1)];

  it('should start the series at the plan’s first month when it is earlier than the default two years', () => {
    // default: 2024-12 … 2026-11
    expect(targets.seriesFrom({ plan: plan('2024-11') }, '2026-11-24')).toBe('2024-11-01');
    expect(targets.seriesFrom({ plan: plan('2024-12') }, '2026-11-24')).toBeNull();
    expect(targets.seriesFrom({ plan: plan('2026-04') }, '2026-11-24')).toBeNull();
    expect(targets.seriesFrom({ plan: [] }, '2026-11-24')).toBeNull();
  });

  it('should keep the default when the plan starts more than 60 months back (the API’s limit)', () => {
    expect(targets.seriesFrom({ plan: plan('2021-12') }, '2026-11-24')).toBe('2021-12-01');
    expect(targets.seriesFrom({ plan: plan('2021-11') }, '2026-11-24')).toBeNull();
  });
});

describe('take-up period and labels', () => {
  it('should default to the twelve months up to the as-of month, across a year end', () => {
    expect(takeUp.defaultTakeUpPeriod('2026-11-24')).toEqual({ from: '2025-12', to: '2026-11' });
    expect(takeUp.defaultTakeUpPeriod('2027-01-05')).toEqual({ from: '2026-02', to: '2027-01' });
    expect(takeUp.defaultTakeUpPeriod('2026-12-31')).toEqual({ from: '2026-01', to: '2026-12' });
  });

  it('should cut a long name with an ellipsis and keep a short one', () => {
    expect(takeUp.shortName('児童手当等の受給資格及び児童手当の額についての認定請求', 10)).toBe('児童手当等の受給資…');
    expect(takeUp.shortName('転入届', 10)).toBe('転入届');
    expect(takeUp.shortName('1234567890', 10)).toBe('1234567890');
  });

  it('should sign a variance with a true minus sign', () => {
    expect(format.signedCount(5)).toBe('+5件');
    expect(format.signedCount(-1234)).toBe('−1,234件');
    expect(format.signedCount(0)).toBe('±0件');
    expect(format.signedCount(null)).toBe('—');
    expect(format.addMonth('2026-01', -1)).toBe('2025-12');
    expect(format.addMonth('2026-12', 1)).toBe('2027-01');
  });
});
