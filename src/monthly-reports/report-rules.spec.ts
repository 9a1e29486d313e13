import { normalizePlanBody, normalizeReportBody, parsePercent, planProblems } from './report-rules';

describe('monthly report rules', () => {
  it('reads a report: month forms, percent with 全角 digits and %, comment kept as typed', () => {
    expect(normalizeReportBody('令和8年10月', { progress: '４０%', comment: '  方針案を作成中。 ' }, '2026-11')).toEqual({
      values: { month: '2026-10', progress: 40, comment: '方針案を作成中。' },
    });
    expect(normalizeReportBody('2026-11', { progress: 0 }, '2026-11')).toEqual({ values: { month: '2026-11', progress: 0, comment: null } });
  });

  it.each([
    [{ progress: 101 }, 'invalid_percent'],
    [{ progress: -1 }, 'invalid_percent'],
    [{ progress: 12.5 }, 'invalid_percent'],
    [{ progress: '半分' }, 'invalid_percent'],
    [{}, 'missing_required'],
    [{ progress: 10, comment: 'x'.repeat(1001) }, 'too_long'],
    [{ progress: 10, comment: { a: 1 } }, 'invalid_text'],
  ])('refuses %j with %s', (body, code) => {
    const result = normalizeReportBody('2026-10', body, '2026-11');
    expect('problems' in result && result.problems.map((p) => p.code)).toEqual([code]);
  });

  it('refuses a month not yet come and a month it cannot read', () => {
    const future = normalizeReportBody('2026-12', { progress: 10 }, '2026-11');
    expect('problems' in future && future.problems[0]).toMatchObject({ field: 'month', code: 'month_in_future' });
    expect('problems' in future && future.problems[0].message).toContain('令和8年12月');
    const bad = normalizeReportBody('13月', { progress: 10 }, '2026-11');
    expect('problems' in bad && bad.problems[0].code).toBe('invalid_month');
  });

  it('reads percents 0 and 100 and leaves empty as null', () => {
    expect(parsePercent(0, 'x', 'progress')).toEqual({ value: 0 });
    expect(parsePercent('100', 'x', 'progress')).toEqual({ value: 100 });
    expect(parsePercent('', 'x', 'progress')).toEqual({ value: null });
  });
});

describe('monthly plan rules', () => {
  it('sorts months and keeps milestones without a percent', () => {
    const result = normalizePlanBody({
      months: [
        { month: '2026-06', planned: 50, milestone: '方針決定' },
        { month: '令和8年4月', planned: '10' },
        { month: 'R8.5', milestone: '庁内協議' },
      ],
    });
    expect(result).toEqual({
      entries: [
        { month: '2026-04', planned: 10, milestone: null },
        { month: '2026-05', planned: null, milestone: '庁内協議' },
        { month: '2026-06', planned: 50, milestone: '方針決定' },
      ],
    });
  });

  it('refuses a plan whose cumulative percent goes down, a duplicate month, an empty month', () => {
    const down = normalizePlanBody({ months: [{ month: '2026-04', planned: 40 }, { month: '2026-05', milestone: 'x' }, { month: '2026-06', planned: 30 }] });
    expect('problems' in down && down.problems.map((p) => p.code)).toEqual(['plan_decreases']);
    expect(planProblems([{ month: '2026-04', planned: 1, milestone: null }, { month: '2026-04', planned: 2, milestone: null }]).map((p) => p.code)).toEqual(['duplicate_month']);
    const empty = normalizePlanBody({ months: [{ month: '2026-04' }] });
    expect('problems' in empty && empty.problems[0].code).toBe('empty_plan_month');
    const shape = normalizePlanBody({ months: 'no' });
    expect('problems' in shape && shape.problems[0].code).toBe('invalid_plan');
  });
});
