import { parseMonthCell } from './month-value';
import { actualRange, fillPlan, MAX_PLAN_MONTHS, normalizePlanBody, planProgress } from './plan-math';

describe('fillPlan', () => {
  it('should sort the months and fill the gaps with 0', () => {
    expect(fillPlan([{ month: '2026-06', planned: 5 }, { month: '2026-04', planned: 10 }])).toEqual([
      { month: '2026-04', planned: 10 },
      { month: '2026-05', planned: 0 },
      { month: '2026-06', planned: 5 },
    ]);
    expect(fillPlan([])).toEqual([]);
  });

  it('should cross the calendar year', () => {
    expect(fillPlan([{ month: '2026-12', planned: 1 }, { month: '2027-02', planned: 2 }]).map((entry) => entry.month)).toEqual(['2026-12', '2027-01', '2027-02']);
  });
});

describe('planProgress', () => {
  const plan = [
    { month: '2026-04', planned: 10 },
    { month: '2026-05', planned: 20 },
    { month: '2026-06', planned: 30 },
    { month: '2026-07', planned: 40 },
  ];
  const actual = new Map([
    ['2026-04', 8],
    ['2026-05', 31],
  ]);

  it('should add up the plan to and including the as-of month', () => {
    const result = planProgress(plan, { asOf: '2026-06-15', deadline: '2027-03-31', done: 52 }, actual);
    expect(result.plannedToDate).toBe(60);
    expect(result.planVariance).toBe(-8);
    expect(result.plan.map((point) => point.plannedCumulative)).toEqual([10, 30, 60, 100]);
    // months before the as-of month: done at their end; the as-of month: done as of the date; later: null
    expect(result.plan.map((point) => point.actualCumulative)).toEqual([8, 31, 52, null]);
    expect(result.plan[0]).toEqual({ month: '2026-04', monthLabel: '令和8年4月', planned: 10, plannedCumulative: 10, actualCumulative: 8, afterDeadline: false });
  });

  it('should count the as-of month whole on its first day', () => {
    expect(planProgress(plan, { asOf: '2026-06-01', deadline: '2027-03-31', done: 40 }, actual).plannedToDate).toBe(60);
    expect(planProgress(plan, { asOf: '2026-05-31', deadline: '2027-03-31', done: 31 }, actual).plannedToDate).toBe(30);
  });

  it('should count a month without a plan as 0', () => {
    const gappy = [
      { month: '2026-04', planned: 10 },
      { month: '2026-07', planned: 5 },
    ];
    const result = planProgress(gappy, { asOf: '2026-06-30', deadline: '2027-03-31', done: 12 }, new Map([['2026-04', 4], ['2026-05', 9]]));
    expect(result.plan.map((point) => [point.month, point.planned, point.plannedCumulative])).toEqual([
      ['2026-04', 10, 10],
      ['2026-05', 0, 10],
      ['2026-06', 0, 10],
      ['2026-07', 5, 15],
    ]);
    expect(result.plannedToDate).toBe(10);
    expect(result.planVariance).toBe(2);
  });

  it('should read 0 planned before the plan starts, and the whole plan after it ends', () => {
    const before = planProgress(plan, { asOf: '2026-03-31', deadline: '2027-03-31', done: 3 }, new Map());
    expect(before.plannedToDate).toBe(0);
    expect(before.planVariance).toBe(3);
    expect(before.plan.every((point) => point.actualCumulative === null)).toBe(true);
    const after = planProgress(plan, { asOf: '2026-11-24', deadline: '2027-03-31', done: 97 }, new Map([...actual, ['2026-06', 60], ['2026-07', 90]]));
    expect(after.plannedToDate).toBe(100);
    expect(after.planVariance).toBe(-3);
    expect(after.plan.map((point) => point.actualCumulative)).toEqual([8, 31, 60, 90]);
  });

  it('should keep the months of a plan that runs past the deadline, marked afterDeadline', () => {
    const result = planProgress(plan, { asOf: '2026-07-10', deadline: '2026-05-31', done: 70 }, new Map([...actual, ['2026-06', 50]]));
    expect(result.plan.map((point) => point.afterDeadline)).toEqual([false, false, true, true]);
    // the plan is what the office planned: months after the deadline still count
    expect(result.plannedToDate).toBe(100);
    expect(result.planVariance).toBe(-30);
  });

  it('should report no plan as nulls and an empty list', () => {
    expect(planProgress([], { asOf: '2026-11-24', deadline: '2027-03-31', done: 5 }, new Map())).toEqual({ plannedToDate: null, planVariance: null, plan: [] });
  });
});

describe('actualRange', () => {
  const plan = [
    { month: '2026-04', planned: 10 },
    { month: '2026-07', planned: 5 },
  ];
  it('should run from the first plan month to the as-of date', () => {
    expect(actualRange(plan, '2026-06-15')).toEqual({ from: '2026-04-01', to: '2026-06-15' });
  });
  it('should stop at the end of the last plan month', () => {
    expect(actualRange(plan, '2026-11-24')).toEqual({ from: '2026-04-01', to: '2026-07-31' });
  });
  it('should be null before the plan starts or without a plan', () => {
    expect(actualRange(plan, '2026-03-31')).toBeNull();
    expect(actualRange([], '2026-11-24')).toBeNull();
  });
});

describe('normalizePlanBody', () => {
  it('should read 和暦 months, 全角 digits and numbers given as text', () => {
    const result = normalizePlanBody({
      months: [
        { month: '令和8年5月', planned: '３５' },
        { month: '2026/4', planned: 40 },
        { month: 'R8.6', planned: '1,200' },
        { month: '2026-07-01', planned: 0 },
      ],
    });
    expect(result).toEqual({
      months: [
        { month: '2026-04', planned: 40 },
        { month: '2026-05', planned: 35 },
        { month: '2026-06', planned: 1200 },
        { month: '2026-07', planned: 0 },
      ],
    });
  });

  it('should refuse a duplicate month with the entry and name the first one', () => {
    const result = normalizePlanBody({ months: [{ month: '2026-04', planned: 1 }, { month: '令和8年4月', planned: 2 }] });
    expect(result).toEqual({
      problems: [
        {
          field: 'months[1]',
          value: { month: '令和8年4月', planned: 2 },
          code: 'duplicate_month',
          message: '月「令和8年4月」（2026-04）がmonths[0]と重複しています',
        },
      ],
    });
  });

  it('should name every bad entry by its index', () => {
    const result = normalizePlanBody({ months: [{ month: '来月', planned: -1 }, { planned: 1.5 }, 'x', { month: 202604, planned: 3 }] });
    expect('problems' in result && result.problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['months[0].month', 'invalid_month'],
      ['months[0].planned', 'negative_number'],
      ['months[1].month', 'missing_required'],
      ['months[1].planned', 'invalid_number'],
      ['months[2]', 'invalid_plan'],
      ['months[3].month', 'invalid_month'],
    ]);
  });

  it('should refuse a body without a months list, and a plan longer than the limit', () => {
    expect(normalizePlanBody({ month: '2026-04' })).toMatchObject({ problems: [{ code: 'invalid_plan' }] });
    expect(normalizePlanBody([])).toMatchObject({ problems: [{ code: 'invalid_plan' }] });
    const long = normalizePlanBody({ months: [{ month: '2026-04', planned: 1 }, { month: '2031-04', planned: 1 }] });
    expect(long).toMatchObject({ problems: [{ field: 'months', code: 'plan_too_long' }] });
    // 2026-04 … 2031-03 is exactly MAX_PLAN_MONTHS (60) months: accepted
    expect(MAX_PLAN_MONTHS).toBe(60);
    expect(normalizePlanBody({ months: [{ month: '2026-04', planned: 1 }, { month: '2031-03', planned: 1 }] })).toEqual({
      months: [
        { month: '2026-04', planned: 1 },
        { month: '2031-03', planned: 1 },
      ],
    });
  });

  it('should let a plan run as long as its target: from years before up to a later deadline', () => {
    // 2024-04 … 2030-03 is 72 months: too long in general, fine for a target due 2030-03-31
    const body = { months: [{ month: '2024-04', planned: 1 }, { month: '2030-03', planned: 1 }] };
    expect(normalizePlanBody(body)).toMatchObject({ problems: [{ code: 'plan_too_long' }] });
    expect(normalizePlanBody(body, '2030-03-31')).toEqual({ months: body.months });
    // but not past that deadline's month once beyond 60 months
    const longer = normalizePlanBody({ months: [...body.months, { month: '2030-04', planned: 1 }] }, '2030-03-31');
    expect(longer).toMatchObject({ problems: [{ code: 'plan_too_long', message: expect.stringContaining('73か月）。72か月以内（最初の月から目標の期限の月まで）') }] });
    // a near deadline still allows the usual 60 months
    expect(normalizePlanBody({ months: [{ month: '2026-04', planned: 1 }, { month: '2031-03', planned: 1 }] }, '2027-03-31')).not.toHaveProperty('problems');
  });

  it('should accept an empty list (the plan is removed)', () => {
    expect(normalizePlanBody({ months: [] })).toEqual({ months: [] });
  });
});

describe('parseMonthCell', () => {
  it('should read the month forms of the contract and date cells', () => {
    expect(parseMonthCell('2026-04')).toBe('2026-04');
    expect(parseMonthCell('２０２６／４')).toBe('2026-04');
    expect(parseMonthCell('令和8年4月')).toBe('2026-04');
    expect(parseMonthCell('R8.4')).toBe('2026-04');
    expect(parseMonthCell('令和8年4月1日')).toBe('2026-04');
    expect(parseMonthCell(new Date(Date.UTC(2026, 3, 1)))).toBe('2026-04');
    expect(parseMonthCell(46113)).toBe('2026-04'); // Excel serial of 2026-04-01
  });
  it('should tell an empty cell from one that is not a month', () => {
    expect(parseMonthCell(null)).toBeNull();
    expect(parseMonthCell('  ')).toBeNull();
    expect(parseMonthCell('4月')).toBeUndefined();
    expect(parseMonthCell('令和元年4月')).toBeUndefined();
    expect(parseMonthCell(true)).toBeUndefined();
  });
});
