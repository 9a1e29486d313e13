import { InitiativeInput, initiativeProgress, reformProgress, ReformRules, TargetCounts } from './reform-progress';

const RULES: ReformRules = {
  areas: [
    { key: 'a1', label: '組織見直しの取組' },
    { key: 'a2', label: '業務の効率性・生産性の向上の取組' },
    { key: 'a3', label: '危機管理・コンプライアンス対策の取組' },
  ],
  doneStates: ['done'],
  excludedStates: ['cancelled'],
};

function initiative(given: Partial<InitiativeInput> & Pick<InitiativeInput, 'code'>): InitiativeInput {
  return {
    id: 1,
    policyNo: null,
    name: given.code,
    shortName: null,
    area: 'a1',
    status: 'in_progress',
    statusLabel: '実施中',
    division: '行政経営課',
    dueOn: null,
    dueLabel: null,
    linkedTargets: [],
    latestReport: null,
    planned: null,
    ...given,
  };
}

const NO_TARGETS = new Map<string, TargetCounts>();

describe('initiativeProgress', () => {
  it('is 100 when done, whatever was reported', () => {
    expect(initiativeProgress(initiative({ code: 'x', status: 'done', latestReport: { month: '2026-10', progress: 40, comment: null } }), RULES, NO_TARGETS)).toEqual({ progress: 100, source: 'done' });
  });

  it('is left out when excluded (中止)', () => {
    expect(initiativeProgress(initiative({ code: 'x', status: 'cancelled' }), RULES, NO_TARGETS)).toEqual({ progress: null, source: 'excluded' });
  });

  it('combines linked targets: done ÷ (total − excluded) over all their items', () => {
    const targets = new Map<string, TargetCounts>([
      ['online-mynumber27', { total: 27, done: 27, excluded: 0 }],
      ['online-priority24', { total: 24, done: 6, excluded: 4 }],
    ]);
    // (27 + 6) ÷ (51 − 4) = 70.21… → 70.2, not the mean of 100 % and 30 %
    const result = initiativeProgress(initiative({ code: 'x', linkedTargets: ['online-mynumber27', 'online-priority24'], latestReport: { month: '2026-10', progress: 90, comment: null } }), RULES, targets);
    expect(result).toEqual({ progress: 70.2, source: 'targets' });
  });

  it('reads 100 for linked targets whose items are all excluded, and falls back to the report when they hold no items', () => {
    const allExcluded = new Map([['t', { total: 3, done: 0, excluded: 3 }]]);
    expect(initiativeProgress(initiative({ code: 'x', linkedTargets: ['t'] }), RULES, allExcluded)).toEqual({ progress: 100, source: 'targets' });
    const empty = new Map([['t', { total: 0, done: 0, excluded: 0 }]]);
    expect(initiativeProgress(initiative({ code: 'x', linkedTargets: ['t'], latestReport: { month: '2026-09', progress: 15, comment: null } }), RULES, empty)).toEqual({ progress: 15, source: 'report' });
    expect(initiativeProgress(initiative({ code: 'x', linkedTargets: ['unknown'] }), RULES, empty)).toEqual({ progress: 0, source: 'none' });
  });

  it('takes the latest report, and 0 without one', () => {
    expect(initiativeProgress(initiative({ code: 'x', latestReport: { month: '2026-10', progress: 35, comment: 'c' } }), RULES, NO_TARGETS)).toEqual({ progress: 35, source: 'report' });
    expect(initiativeProgress(initiative({ code: 'x' }), RULES, NO_TARGETS)).toEqual({ progress: 0, source: 'none' });
  });
});

describe('reformProgress', () => {
  const asOf = '2026-11-24';
  const initiatives = [
    initiative({ code: 'RF1-01', area: 'a1', status: 'done', dueOn: '2026-04-30' }),
    initiative({ code: 'RF1-02', area: 'a1', latestReport: { month: '2026-10', progress: 50, comment: '調整中' }, dueOn: '2026-09-30' }),
    initiative({ code: 'RF1-03', area: 'a1', status: 'cancelled', dueOn: '2026-01-31' }),
    initiative({ code: 'RF2-01', area: 'a2', latestReport: { month: '2026-11', progress: 25, comment: null }, dueOn: '2027-03-31' }),
    initiative({ code: 'RF2-02', area: 'a2', dueOn: null }),
  ];
  const report = reformProgress(asOf, RULES, initiatives, NO_TARGETS);

  it('averages each area over its initiatives, leaving excluded ones out', () => {
    // (100 + 50) ÷ 2, the cancelled one left out
    expect(report.areas[0]).toMatchObject({ key: 'a1', progress: 75 });
    expect(report.areas[0].initiatives.map((entry) => entry.progress)).toEqual([100, 50, null]);
    // (25 + 0) ÷ 2
    expect(report.areas[1]).toMatchObject({ key: 'a2', progress: 12.5 });
  });

  it('gives an empty area null and leaves it out of the overall mean', () => {
    expect(report.areas[2]).toEqual({ key: 'a3', label: '危機管理・コンプライアンス対策の取組', progress: null, initiatives: [] });
    // mean of the areas (75 and 12.5), not of the initiatives
    expect(report.overall.progress).toBe(43.8);
  });

  it('marks overdue: past its date and neither done nor excluded; never without a date', () => {
    const overdue = Object.fromEntries(report.areas.flatMap((area) => area.initiatives).map((entry) => [entry.code, entry.overdue]));
    expect(overdue).toEqual({ 'RF1-01': false, 'RF1-02': true, 'RF1-03': false, 'RF2-01': false, 'RF2-02': false });
  });

  it('does not mark late what is finished by its own measure (targets or report at 100 %)', () => {
    const targets = new Map([['t', { total: 4, done: 4, excluded: 0 }]]);
    const finished = reformProgress(asOf, RULES, [
      initiative({ code: 'RF1-01', dueOn: '2026-03-31', linkedTargets: ['t'] }),
      initiative({ code: 'RF1-02', dueOn: '2026-03-31', latestReport: { month: '2026-03', progress: 100, comment: null } }),
      initiative({ code: 'RF1-03', dueOn: '2026-03-31', latestReport: { month: '2026-03', progress: 99, comment: null } }),
    ], targets);
    expect(finished.areas[0].initiatives.map((entry) => [entry.progress, entry.overdue])).toEqual([[100, false], [100, false], [99, true]]);
  });

  it('carries the latest comment, its month and the source', () => {
    expect(report.areas[0].initiatives[1]).toMatchObject({ latestComment: '調整中', reportMonth: '2026-10', source: 'report' });
    expect(report.areas[1].initiatives[1]).toMatchObject({ latestComment: null, source: 'none' });
  });

  it('is null overall when nothing counts', () => {
    expect(reformProgress(asOf, RULES, [], NO_TARGETS).overall.progress).toBeNull();
  });
});
