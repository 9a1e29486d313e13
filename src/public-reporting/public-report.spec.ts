import type { ProgressReport } from '../progress/progress.service';
import type { TakeUpReport } from '../volumes/volumes.service';
import { buildPublicReport, renderPublicCsv, renderPublicHtml } from './public-report';

const target = {
  id: 'seal-abolition',
  program: 'seal',
  label: '<script>alert(1)</script>押印の廃止',
  deadline: '2028-03-31',
  deadlineLabel: '令和9年度末',
  scope: { codes: ['SECRET-CODE'] },
  total: 10,
  done: 4,
  excluded: 2,
  remaining: 4,
  percent: 50,
  overdue: 1,
  pacePerMonth: 0.3,
  neededPerMonth: 0.2,
  projectedCompletion: null,
  verdict: 'on_track' as const,
  plannedToDate: 5,
  planVariance: -1,
  plan: [],
  // anything added to the internal report later must not pass through
  note: 'internal note',
};
const progress = {
  asOf: '2026-11-24',
  targets: [target],
  departments: [{ department: '行政管理部', departmentCode: 'D01', program: 'seal', total: 10, done: 4, excluded: 2, remaining: 4, percent: 50, divisions: ['総務課'] }],
  divisions: [{ division: '総務課', divisionCode: 'D01-01', department: '行政管理部', departmentCode: 'D01', program: 'seal', total: 10, done: 4, excluded: 2, remaining: 4, percent: 50 }],
} as unknown as ProgressReport;
const takeUp = {
  from: '2025-12',
  to: '2026-11',
  fromLabel: '令和7年12月',
  toLabel: '令和8年11月',
  nationalGroup: null,
  items: [{ code: 'MN-01', name: '児童手当', nationalGroup: 'mynumber27', status: 'online', statusLabel: 'オンライン化済', online: 3, offline: 97, takeUp: 3 }],
  groups: [{ nationalGroup: 'mynumber27', label: 'マイナンバー27', procedures: 1, online: 3, offline: 97, takeUp: 3 }],
  total: { online: 3, offline: 97, takeUp: 3 },
} as TakeUpReport;

describe('buildPublicReport', () => {
  const report = buildPublicReport(progress, takeUp);

  it('should copy only the allow-listed fields: no scope, plan, division list or procedure', () => {
    const text = JSON.stringify(report);
    for (const internal of ['SECRET-CODE', 'internal note', '総務課', '児童手当', 'MN-01', 'pacePerMonth', 'plannedToDate']) expect(text).not.toContain(internal);
    expect(report.targets[0]).toMatchObject({ id: 'seal-abolition', verdict: 'on_track', verdictLabel: '順調', programLabel: '押印廃止' });
    expect(report.takeUp.groups).toEqual([{ nationalGroup: 'mynumber27', label: 'マイナンバー27', procedures: 1, online: 3, offline: 97, takeUp: 3 }]);
  });

  it('should escape every text in the page', () => {
    const html = renderPublicHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;押印の廃止');
  });

  it('should neutralize a label a spreadsheet would run as a formula', () => {
    const csv = renderPublicCsv(buildPublicReport({ ...progress, targets: [{ ...target, label: '=HYPERLINK("x")' }] } as unknown as ProgressReport, takeUp));
    expect(csv).toContain(`,"'=HYPERLINK(""x"")",`);
  });
});
