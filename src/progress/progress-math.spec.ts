import { forecast, ForecastInput, percentDone, projectCompletion, roundedPercent } from './progress-math';

describe('percentDone', () => {
  it('should leave excluded items out of the denominator', () => {
    // ten seal items, four abolished, two legally required: 4 / 8
    expect(percentDone(10, 4, 2)).toBe(50);
  });
  it('should round half up to one decimal', () => {
    expect(percentDone(3, 2, 0)).toBe(66.7);
    expect(percentDone(3, 1, 0)).toBe(33.3);
    expect(percentDone(8, 1, 0)).toBe(12.5);
    expect(roundedPercent(1, 16)).toBe(6.3); // 6.25 → 6.3
    expect(roundedPercent(2000 - 1, 2000)).toBe(100); // 99.95 → 100.0
    expect(roundedPercent(1999 * 10 - 11, 19990)).toBe(99.9);
  });
  it('should read 100 when every item is excluded and null when there are none', () => {
    expect(percentDone(5, 0, 5)).toBe(100);
    expect(percentDone(0, 0, 0)).toBeNull();
  });
});

describe('forecast', () => {
  const base: ForecastInput = { asOf: '2026-11-24', deadline: '2027-03-31', total: 100, done: 40, excluded: 10, pastDue: 0, doneAtWindowStart: 40 };
  // 50 remaining over 2026-11-24 → 2027-03-31 (127 days = 4.172… months): needed ≈ 11.98/month

  it('should be no_items for an empty inventory', () => {
    expect(forecast({ ...base, total: 0, done: 0, excluded: 0, doneAtWindowStart: 0 }).verdict).toBe('no_items');
  });

  it('should be met when nothing remains, even past the deadline', () => {
    expect(forecast({ ...base, done: 90 }).verdict).toBe('met');
    expect(forecast({ ...base, done: 90, asOf: '2027-05-01' }).verdict).toBe('met');
  });

  it('should be missed past the deadline with items remaining, all of them overdue', () => {
    const result = forecast({ ...base, asOf: '2027-04-01' });
    expect(result.verdict).toBe('missed');
    expect(result.overdue).toBe(50);
    expect(forecast({ ...base, asOf: '2027-03-31' }).verdict).not.toBe('missed');
  });

  it('should compare the six-month pace with the pace needed', () => {
    const needed = forecast(base).neededPerMonth!;
    expect(needed).toBe(12);
    // on_track: pace ≥ needed (72 done in six months = 12/month ≥ 11.98)
    expect(forecast({ ...base, doneAtWindowStart: 40 - 72 }).verdict).toBe('on_track');
    // at_risk: 0.75 × needed ≤ pace < needed (pace 9.0 vs 11.98 × 0.75 = 8.99)
    expect(forecast({ ...base, doneAtWindowStart: 40 - 54 }).verdict).toBe('at_risk');
    // behind: pace below 0.75 × needed (8.83)
    expect(forecast({ ...base, doneAtWindowStart: 40 - 53 }).verdict).toBe('behind');
    expect(forecast(base).verdict).toBe('behind');
  });

  it('should project completion at the recent pace', () => {
    const result = forecast({ ...base, doneAtWindowStart: 10 }); // 30 in 6 months = 5/month, 50 left = 10 months
    expect(result.pacePerMonth).toBe(5);
    expect(result.projectedCompletion).toBe('2027-09-25'); // ceil(10 × 30.4375) = 305 days later
    expect(forecast(base).projectedCompletion).toBeNull();
  });

  it('should count items past their own due date as overdue before the deadline', () => {
    expect(forecast({ ...base, pastDue: 7 }).overdue).toBe(7);
  });

  it('should be behind on the deadline day itself with items remaining', () => {
    const result = forecast({ ...base, asOf: '2027-03-31', doneAtWindowStart: 0 });
    expect(result.neededPerMonth).toBeNull();
    expect(result.verdict).toBe('behind');
  });
});

describe('projectCompletion', () => {
  it('should give no date but the reason when the pace would finish after the horizon, without throwing', () => {
    // 16,000 open items and one completion in six months: year 9999 and beyond.
    expect(projectCompletion('2026-11-24', 16_000, 1 / 6)).toEqual({ date: null, reason: 'beyond_horizon' });
    expect(projectCompletion('2026-11-24', 1e15, 1e-12)).toEqual({ date: null, reason: 'beyond_horizon' });
    expect(projectCompletion('2026-11-24', 5, 0)).toEqual({ date: null, reason: 'zero_pace' });
    expect(projectCompletion('2026-11-24', 0, 3)).toEqual({ date: null, reason: null });
    expect(projectCompletion('2026-11-24', 10, 1)).toEqual({ date: '2027-09-25', reason: null });
  });

  it('should keep the last date inside the horizon', () => {
    // one month is ceil(30.4375) = 31 days
    expect(projectCompletion('2099-11-30', 1, 1)).toEqual({ date: '2099-12-31', reason: null });
    expect(projectCompletion('2099-12-01', 1, 1)).toEqual({ date: null, reason: 'beyond_horizon' });
  });

  it('should carry the reason through forecast', () => {
    const result = forecast({ asOf: '2026-11-24', deadline: '2028-03-31', total: 16_001, done: 1, excluded: 0, pastDue: 0, doneAtWindowStart: 0 });
    expect(result).toMatchObject({ projectedCompletion: null, projectionReason: 'beyond_horizon', verdict: 'behind' });
  });
});
