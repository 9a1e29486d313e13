import { TargetProgress } from '../progress/progress.service';
import {
  changedFieldsLabel,
  CREATED_LABEL,
  departmentColumns,
  departmentGroups,
  departmentRows,
  historyRow,
  monthPeriodLabel,
  nationalGroupLabel,
  overdueRow,
  PLAN_COLUMNS,
  percentCell,
  periodLabel,
  planRows,
  reportTitle,
  SUMMARY_COLUMNS,
  SUMMARY_VERDICT_COLUMN,
  summaryRow,
  TAKE_UP_COLUMNS,
  takeUpGroupRow,
  takeUpItemRow,
  takeUpTotalRow,
  verdictFill,
} from './compliance-sheets';

// Only the fields the sheet reads; the progress report may carry more (plans).
const target = {
  id: 'seal-abolition',
  program: 'seal',
  label: '押印廃止（全様式）',
  deadline: '2028-03-31',
  deadlineLabel: '令和9年度末',
  scope: {},
  total: 10,
  done: 4,
  excluded: 2,
  remaining: 4,
  percent: 50,
  overdue: 1,
  pacePerMonth: 0.3,
  neededPerMonth: 0.2,
  projectedCompletion: '2027-12-01',
  verdict: 'on_track',
} as TargetProgress;

describe('概要', () => {
  it('should title the report with the as-of date in 和暦', () => {
    expect(reportTitle('2026-11-24')).toBe('デジタル化の取組 進捗報告（令和8年11月24日現在）');
  });

  it("should turn a target into a row: the report's numbers, a percentage cell, 和暦 deadline, Japanese verdict", () => {
    const row = summaryRow(target);
    expect(row).toHaveLength(SUMMARY_COLUMNS.length);
    expect(row.slice(0, 8)).toEqual(['押印廃止（全様式）', '押印廃止', 10, 4, 2, 4, 0.5, '令和9年度末']);
    expect((row[8] as Date).toISOString()).toBe('2028-03-31T00:00:00.000Z');
    expect(row[SUMMARY_VERDICT_COLUMN - 1]).toBe('順調');
    expect(row.slice(10, 13)).toEqual([1, 0.3, 0.2]);
    expect((row[13] as Date).toISOString()).toBe('2027-12-01T00:00:00.000Z');
    expect(row.slice(14)).toEqual([null, null, 0]);
  });

  it('should add the monthly plan to date and the variance when the target has a plan', () => {
    expect(summaryRow({ ...target, plannedToDate: 6, planVariance: -2 }).slice(14)).toEqual([6, -2, 0]);
    expect(summaryRow({ ...target, reported: 3 }).slice(16)).toEqual([3]);
  });

  it('should leave the percent and projection empty for an empty inventory', () => {
    const row = summaryRow({ ...target, total: 0, done: 0, excluded: 0, remaining: 0, percent: null, neededPerMonth: null, projectedCompletion: null, verdict: 'no_items' });
    expect([row[6], row[9], row[12], row[13]]).toEqual([null, '未登録', null, null]);
  });

  it('should colour each verdict differently', () => {
    const fills = (['met', 'on_track', 'at_risk', 'behind', 'missed', 'no_items'] as const).map(verdictFill);
    expect(new Set(fills).size).toBe(6);
    expect(verdictFill('missed')).toBe('FFFFC7CE');
  });

  it('should write 61.5 % as the cell value 0.615', () => {
    expect(percentCell(61.5)).toBeCloseTo(0.615, 12);
    expect(percentCell(null)).toBeNull();
  });
});

describe('部局別', () => {
  const department = (code: string, name: string, program: string, total: number, done: number, percent: number | null) => ({
    department: name,
    departmentCode: code,
    program,
    total,
    done,
    reported: 0,
    excluded: 0,
    remaining: total - done,
    percent,
  });

  it('should put the programs of a department side by side, empty where it has no items', () => {
    const rows = departmentRows([department('D01', '行政管理部', 'online', 4, 1, 25), department('D01', '行政管理部', 'analog', 2, 2, 100), department('D03', '市民安全部', 'seal', 5, 0, 0)]);
    expect(rows).toEqual([
      // the built-in programs in order, the reform initiatives last (empty here)
      ['D01', '行政管理部', 4, 1, 0, 3, 0.25, null, null, null, null, null, 2, 2, 0, 0, 1, null, null, null, null, null],
      ['D03', '市民安全部', null, null, null, null, null, 5, 0, 0, 5, 0, null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it('should have a group header per program over five columns', () => {
    expect(departmentColumns()).toHaveLength(2 + 4 * 5);
    expect(departmentGroups()).toEqual([
      { label: '部局', span: 2 },
      { label: 'オンライン化', span: 5 },
      { label: '押印廃止', span: 5 },
      { label: 'アナログ規制見直し', span: 5 },
      { label: '取組方針の取組', span: 5 },
    ]);
  });
});

describe('期限超過', () => {
  it('should count the days late from the earliest reason and name every reason', () => {
    const row = overdueRow(
      {
        program: 'online',
        code: 'N01',
        name: '転出届',
        state: 'planning',
        dueOn: '2025-12-31',
        divisionName: '市民課',
        departmentName: '市民安全部',
        reasons: [
          { kind: 'target', date: '2025-09-30', targetId: 'online-mynumber27', label: 'マイナンバーカード対応27手続', deadlineLabel: '令和7年9月30日' },
          { kind: 'dueOn', date: '2025-12-31' },
        ],
      },
      '2026-11-24',
    );
    expect(row[0]).toBe('オンライン化');
    expect(row.slice(1, 6)).toEqual(['N01', '転出届', '市民課', '市民安全部', '検討中']);
    expect((row[7] as Date).toISOString().slice(0, 10)).toBe('2025-09-30');
    expect(row[8]).toBe('マイナンバーカード対応27手続（令和7年9月30日）／予定日（令和7年12月31日）');
    expect(row[9]).toBe(420);
  });
});

describe('変更履歴', () => {
  const line = {
    at: '2026-11-24T01:00:00.000Z',
    by: '山田',
    program: 'seal',
    code: 'S01',
    name: '届出書',
    fromStatus: null,
    toStatus: 'seal_required',
    effectiveOn: null,
    note: null,
    changes: null,
  };

  it('should label a creation and give the local time', () => {
    const row = historyRow(line, 'Asia/Tokyo');
    expect((row[0] as Date).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(row.slice(1, 8)).toEqual(['山田', '押印廃止', 'S01', '届出書', CREATED_LABEL, '押印必要', null]);
  });

  it('should give state labels and the effective date of a change', () => {
    const row = historyRow({ ...line, fromStatus: 'seal_required', toStatus: 'abolished', effectiveOn: '2026-10-01', note: '署名に変更' }, 'Asia/Tokyo');
    expect(row.slice(5, 7)).toEqual(['押印必要', '廃止済']);
    expect((row[7] as Date).toISOString().slice(0, 10)).toBe('2026-10-01');
    expect(row[8]).toBe('署名に変更');
  });

  it('should name the fields an edit changed, in sheet order', () => {
    expect(changedFieldsLabel('seal', JSON.stringify({ legalBasis: [null, 'x'], name: ['a', 'b'], divisionId: [1, 2], searchText: ['a', 'b'] }))).toBe('名称、所管課、根拠法令');
    expect(changedFieldsLabel('seal', null)).toBeNull();
    expect(changedFieldsLabel('seal', 'not json')).toBeNull();
  });

  it('should write the period in 和暦', () => {
    expect(periodLabel('2026-04-01', '2026-11-24')).toBe('令和8年4月1日〜令和8年11月24日');
  });
});

describe('月別', () => {
  it('should give one row per plan month: label, 和暦 month, planned, cumulative plan and actual, and the after-deadline mark', () => {
    const rows = planRows({
      label: '押印廃止（全様式）',
      plan: [
        { month: '2026-10', monthLabel: '令和8年10月', planned: 3, plannedCumulative: 3, actualCumulative: 2, afterDeadline: false },
        { month: '2026-12', monthLabel: '令和8年12月', planned: 0, plannedCumulative: 3, actualCumulative: null, afterDeadline: false },
        { month: '2028-04', monthLabel: '令和10年4月', planned: 5, plannedCumulative: 8, actualCumulative: null, afterDeadline: true },
      ],
    });
    expect(rows).toEqual([
      ['押印廃止（全様式）', '令和8年10月', 3, 3, 2, null],
      ['押印廃止（全様式）', '令和8年12月', 0, 3, null, null],
      ['押印廃止（全様式）', '令和10年4月', 5, 8, null, '期限後'],
    ]);
    expect(rows.every((row) => row.length === PLAN_COLUMNS.length)).toBe(true);
  });

  it('should give no rows to a target without a plan', () => {
    expect(planRows({ label: 'x', plan: [] })).toEqual([]);
  });
});

describe('利用率', () => {
  const item = { code: 'MN-01', name: '児童手当の認定請求', nationalGroup: 'mynumber27', status: 'online', statusLabel: 'オンライン化済', online: 10, offline: 90, takeUp: 10 };

  it('should turn a procedure into a row with labels and a percentage cell', () => {
    const row = takeUpItemRow(item);
    expect(row).toHaveLength(TAKE_UP_COLUMNS.length);
    expect(row).toEqual(['MN-01', '児童手当の認定請求', 'マイナンバー27', 'オンライン化済', 10, 90, 0.1]);
    expect(takeUpItemRow({ ...item, nationalGroup: null, online: 0, offline: 0, takeUp: null }).slice(2)).toEqual([null, 'オンライン化済', 0, 0, null]);
  });

  it('should label the group and total rows, with the number of procedures', () => {
    expect(takeUpGroupRow({ nationalGroup: 'priority24', label: '優先24', procedures: 24, online: 5, offline: 15, takeUp: 25 })).toEqual([
      '小計',
      '優先24（24手続）',
      '優先24',
      null,
      5,
      15,
      0.25,
    ]);
    expect(takeUpTotalRow({ online: 90, offline: 230, takeUp: 28.1 }, 51)).toEqual(['合計', '全手続（51手続）', null, null, 90, 230, 0.281]);
  });

  it('should name national groups by label and the period in 和暦 months', () => {
    expect([nationalGroupLabel('city'), nationalGroupLabel(null), nationalGroupLabel('other')]).toEqual(['市独自', null, 'other']);
    expect(monthPeriodLabel('2025-12', '2026-11')).toBe('令和7年12月〜令和8年11月');
  });
});
