import { formatWarekiDate, formatWarekiMonth } from '../calendar';
import { getProgram, nationalGroups, programFields, programKeys, programLabel, stateLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { OverdueReason } from '../progress/overdue';
import { PROJECTION_REASON_LABELS, Verdict, VERDICT_LABELS } from '../progress/progress-math';
import { DepartmentProgress, TargetProgress } from '../progress/progress.service';
import type { SurveyStatusLine } from '../common/survey-answers';
import type { GroupTakeUp, ProcedureTakeUp, TakeUpTotals } from '../volumes/take-up';
import { dateCellValue } from '../sheets/xlsx-cells';
import { daysLate, VERDICT_FILLS, wallClockCellValue } from './report-format';
import { TableColumn, TableValue } from '../sheets/cell-style';

// The rows of the compliance workbook's sheets, as plain values: the numbers come from the
// progress report unchanged (ProgressService.progress), only turned into cells.

export const SHEET_NAMES = {
  summary: '概要',
  plan: '月別',
  departments: '部局別',
  takeUp: '利用率',
  overdue: '期限超過',
  surveys: '回答状況',
  history: '変更履歴',
} as const;

export function reportTitle(asOf: string): string {
  return `デジタル化の取組 進捗報告（${formatWarekiDate(asOf)}現在）`;
}

// ---------------------------------------------------------------------------
// 概要

// Every width fixed and kept narrow: printed A4 landscape fitted to the width, the sheet then
// prints at about 90 % instead of shrinking its numbers to 6 points.
export const SUMMARY_COLUMNS: TableColumn[] = [
  { header: '目標', kind: 'longText', width: 28 },
  { header: '取組', kind: 'text', width: 11 },
  { header: '全件', kind: 'integer', width: 7 },
  { header: '完了', kind: 'integer', width: 7 },
  { header: '対象外', kind: 'integer', width: 7 },
  { header: '残り', kind: 'integer', width: 7 },
  { header: '進捗率', kind: 'percent', width: 8 },
  { header: '期限', kind: 'text', width: 12 },
  { header: '期限日', kind: 'date', width: 11 },
  { header: '判定', kind: 'text', width: 8 },
  { header: '期限超過', kind: 'integer', width: 8 },
  { header: '月ペース', kind: 'decimal', width: 8 },
  { header: '必要ペース', kind: 'decimal', width: 9 },
  { header: '完了見込み', kind: 'date', width: 11 },
  { header: '計画累計', kind: 'integer', width: 8 },
  { header: '計画差', kind: 'integer', width: 7 },
  { header: '報告済（確認待ち）', kind: 'integer', width: 9 },
];

export const CITY_TOTAL_LABEL = '全庁計';

/**
 * The 全庁計 row under the targets: every item of the programs that have a target, city-wide
 * (the 部局別 rows summed), so targets that overlap are not counted twice.
 */
export function summaryTotalRow(targets: readonly Pick<TargetProgress, 'program'>[], departments: readonly Pick<DepartmentProgress, 'program' | 'total' | 'done' | 'excluded'>[]): TableValue[] {
  const programs = new Set(targets.map((target) => target.program));
  const rows = departments.filter((row) => programs.has(row.program));
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  const done = rows.reduce((sum, row) => sum + row.done, 0);
  const excluded = rows.reduce((sum, row) => sum + row.excluded, 0);
  const percent = total === 0 ? null : total === excluded ? 100 : Math.round((done * 1000) / (total - excluded) + 1e-9) / 10;
  const values: TableValue[] = [CITY_TOTAL_LABEL, `${programs.size}取組`, total, done, excluded, total - done - excluded, percentCell(percent)];
  while (values.length < SUMMARY_COLUMNS.length) values.push(null);
  return values;
}

/** The column of the verdict in SUMMARY_COLUMNS (1-based): it gets the verdict's colour. */
export const SUMMARY_VERDICT_COLUMN = SUMMARY_COLUMNS.findIndex((column) => column.header === '判定') + 1;

/** A percent of the report (61.5) as a percentage cell value (0.615); null stays empty. */
export function percentCell(percent: number | null): number | null {
  return percent === null ? null : percent / 100;
}

export function summaryRow(target: TargetProgress): TableValue[] {
  return [
    target.label,
    programLabel(target.program),
    target.total,
    target.done,
    target.excluded,
    target.remaining,
    percentCell(target.percent),
    target.deadlineLabel,
    dateCellValue(target.deadline),
    VERDICT_LABELS[target.verdict],
    target.overdue,
    target.pacePerMonth,
    target.neededPerMonth,
    target.projectedCompletion ? dateCellValue(target.projectedCompletion) : target.projectionReason ? PROJECTION_REASON_LABELS[target.projectionReason] : null,
    // The monthly plan (月別業務計画), when the target has one: planned to date and done − planned.
    target.plannedToDate ?? null,
    target.planVariance ?? null,
    // completions reported by divisions and not yet confirmed: not in 完了 nor 進捗率
    target.reported ?? 0,
  ];
}

export function verdictFill(verdict: Verdict): string {
  return VERDICT_FILLS[verdict];
}

export const SUMMARY_NOTES = [
  '全件 = 登録された項目すべて、対象外 = 分母から除く項目（対象外・法令上存続・見直し不要）、対象（分母）= 全件 − 対象外、残り = 対象 − 完了。進捗率 = 完了 ÷ 対象（分母）。全庁計 = 目標のある取組の全件（全部局の合計、目標の重なりは数えません）。',
  '月ペース = 直近6か月の月平均完了数。必要ペース = 期限までに残りを終えるのに必要な月平均。完了見込み = 直近のペースが続いた場合。',
  '計画累計 = 月別業務計画の基準月までの計画件数の累計（計画の初月から数える）、計画差 = 完了 − 計画累計（計画のない目標は空欄）。判定は期限までのペースで決まるため、計画差がプラスでも「遅れ」になることがあります。',
  '報告済（確認待ち） = 所管課が完了と報告し、改革担当の確認を待っている件数。確認されるまで完了・進捗率に含めません（残りに含みます）。',
  `判定: ${(Object.keys(VERDICT_LABELS) as Verdict[]).map((verdict) => VERDICT_LABELS[verdict]).join('・')}（期限超過 = 期限を過ぎて残りがある）。`,
];

// ---------------------------------------------------------------------------
// 月別: each target's monthly plan (月別業務計画) against its actual, month by month

export const PLAN_COLUMNS: TableColumn[] = [
  { header: '目標', kind: 'text', width: 36 },
  { header: '月', kind: 'text', width: 13 },
  { header: '計画', kind: 'integer' },
  { header: '計画累計', kind: 'integer' },
  { header: '実績累計', kind: 'integer' },
  { header: '期限後', kind: 'text', width: 9 },
];

export const AFTER_DEADLINE_MARK = '期限後';

/** One row per month of the target's plan (the progress report's `plan`), oldest first; none without a plan. */
export function planRows(target: Pick<TargetProgress, 'label' | 'plan'>): TableValue[][] {
  return target.plan.map((point) => [
    target.label,
    point.monthLabel,
    point.planned,
    point.plannedCumulative,
    point.actualCumulative,
    point.afterDeadline ? AFTER_DEADLINE_MARK : null,
  ]);
}

export const PLAN_NOTES = [
  '計画 = 月別業務計画のその月の件数、計画累計 = その月までの累計、実績累計 = その月末（基準日の月は基準日）の完了数。基準日より後の月の実績は空欄。',
  `${AFTER_DEADLINE_MARK} = 目標の期限の月より後の月（計画が期限を越えています）。`,
];

export const NO_PLAN_NOTE = '月別業務計画が登録された目標はありません。';

// ---------------------------------------------------------------------------
// 部局別

// the dashboard's terms: 全件・対象外・対象（分母）= 全件 − 対象外・完了・残り
const DEPARTMENT_MEASURES = ['全件', '完了', '対象外', '残り', '進捗率'] as const;

export function departmentColumns(programs: readonly ProgramKey[] = programKeys()): TableColumn[] {
  const columns: TableColumn[] = [
    { header: '部局コード', kind: 'code', width: 11 },
    { header: '部局', kind: 'text', width: 22 },
  ];
  for (const program of programs) {
    for (const measure of DEPARTMENT_MEASURES) {
      columns.push({ header: measure, kind: measure === '進捗率' ? 'percent' : 'integer', width: measure === '進捗率' ? 9 : 8 });
    }
  }
  return columns;
}

export function departmentGroups(programs: readonly ProgramKey[] = programKeys()): { label: string; span: number }[] {
  return [{ label: '部局', span: 2 }, ...programs.map((program) => ({ label: getProgram(program).label, span: DEPARTMENT_MEASURES.length }))];
}

/** One row per department (in the report's order), its programs side by side; a program it has no items in stays empty. */
export function departmentRows(departments: readonly DepartmentProgress[], programs: readonly ProgramKey[] = programKeys()): TableValue[][] {
  const byDepartment = new Map<string, { name: string; cells: Map<string, DepartmentProgress> }>();
  for (const row of departments) {
    const entry = byDepartment.get(row.departmentCode) ?? { name: row.department, cells: new Map() };
    entry.cells.set(row.program, row);
    byDepartment.set(row.departmentCode, entry);
  }
  return [...byDepartment].map(([code, { name, cells }]) => {
    const values: TableValue[] = [code, name];
    for (const program of programs) {
      const cell = cells.get(program);
      values.push(...(cell ? [cell.total, cell.done, cell.excluded, cell.remaining, percentCell(cell.percent)] : [null, null, null, null, null]));
    }
    return values;
  });
}

// ---------------------------------------------------------------------------
// 期限超過

export const OVERDUE_COLUMNS: TableColumn[] = [
  { header: '取組', kind: 'text', width: 16 },
  { header: '管理番号', kind: 'code' },
  { header: '名称', kind: 'longText', width: 36 },
  { header: '所管課', kind: 'text', width: 20 },
  { header: '部局', kind: 'text', width: 18 },
  { header: '状況', kind: 'text', width: 12 },
  { header: '予定日', kind: 'date' },
  { header: '期限', kind: 'date' },
  { header: '期限の根拠', kind: 'longText', width: 36 },
  { header: '超過日数', kind: 'integer' },
];

export interface OverdueLine {
  program: ProgramKey;
  code: string;
  name: string;
  state: string;
  dueOn: string | null;
  divisionName: string;
  departmentName: string;
  /** Earliest first (overdueReasons): the first is where the lateness counts from. */
  reasons: OverdueReason[];
}

export function reasonLabel(reason: OverdueReason): string {
  return reason.kind === 'dueOn' ? `予定日（${formatWarekiDate(reason.date)}）` : `${reason.label}（${reason.deadlineLabel}）`;
}

export function overdueRow(line: OverdueLine, asOf: string): TableValue[] {
  const since = line.reasons[0].date;
  return [
    getProgram(line.program).label,
    line.code,
    line.name,
    line.divisionName,
    line.departmentName,
    stateLabel(line.program, line.state),
    line.dueOn ? dateCellValue(line.dueOn) : null,
    dateCellValue(since),
    line.reasons.map(reasonLabel).join('／'),
    daysLate(since, asOf),
  ];
}

// ---------------------------------------------------------------------------
// 変更履歴

export const HISTORY_COLUMNS: TableColumn[] = [
  { header: '日時', kind: 'dateTime' },
  { header: '変更者', kind: 'text', width: 14 },
  { header: '取組', kind: 'text', width: 16 },
  { header: '管理番号', kind: 'code' },
  { header: '名称', kind: 'longText', width: 32 },
  { header: '変更前', kind: 'text', width: 13 },
  { header: '変更後', kind: 'text', width: 13 },
  { header: '適用日', kind: 'date' },
  { header: '備考', kind: 'longText', width: 32 },
  { header: '変更した項目', kind: 'text', width: 20 },
];

export const CREATED_LABEL = '（新規登録）';

export interface HistoryLine {
  at: string;
  by: string;
  program: string;
  code: string;
  name: string;
  fromStatus: string | null;
  toStatus: string;
  effectiveOn: string | null;
  note: string | null;
  /** JSON { field: [before, after] } of an edit beyond the status, or null. */
  changes: string | null;
}

const CHANGE_HEADERS: Record<string, string> = { divisionId: '所管課', statusEffectiveOn: '適用日', searchText: '' };

/** The headers of the fields an edit changed, in sheet order, joined with 、. */
export function changedFieldsLabel(program: ProgramKey, changes: string | null): string | null {
  if (!changes) return null;
  let keys: string[];
  try {
    keys = Object.keys(JSON.parse(changes) as Record<string, unknown>);
  } catch {
    return null;
  }
  const fields = programFields(program);
  const order = (key: string) => {
    const index = fields.findIndex((field) => field.key === key || (key === 'divisionId' && field.key === 'division'));
    return index === -1 ? fields.length : index;
  };
  const labels = keys
    .sort((a, b) => order(a) - order(b))
    .map((key) => CHANGE_HEADERS[key] ?? fields.find((field) => field.key === key)?.header ?? key)
    .filter((label) => label !== '');
  return labels.length ? [...new Set(labels)].join('、') : null;
}

export function historyRow(line: HistoryLine, timeZone: string): TableValue[] {
  const program = line.program as ProgramKey;
  return [
    wallClockCellValue(line.at, timeZone),
    line.by,
    programLabel(program),
    line.code,
    line.name,
    line.fromStatus === null ? CREATED_LABEL : stateLabel(program, line.fromStatus),
    stateLabel(program, line.toStatus),
    line.effectiveOn ? dateCellValue(line.effectiveOn) : null,
    line.note,
    changedFieldsLabel(program, line.changes),
  ];
}

/** 令和8年4月1日〜令和8年11月24日 */
export function periodLabel(from: string, to: string): string {
  return `${formatWarekiDate(from)}〜${formatWarekiDate(to)}`;
}

// ---------------------------------------------------------------------------
// 利用率: take-up of the online procedures (VolumesService.takeUp), worst first

export const TAKE_UP_COLUMNS: TableColumn[] = [
  { header: '管理番号', kind: 'code' },
  { header: '名称', kind: 'longText', width: 40 },
  { header: '国の区分', kind: 'text', width: 14 },
  { header: '状況', kind: 'text', width: 14 },
  { header: 'オンライン件数', kind: 'integer', width: 14 },
  { header: '窓口件数', kind: 'integer', width: 12 },
  { header: '利用率', kind: 'percent' },
];

export const SUBTOTAL_LABEL = '小計';
export const TOTAL_LABEL = '合計';

export function nationalGroupLabel(group: string | null): string | null {
  return group === null ? null : (nationalGroups().find((choice) => choice.key === group)?.label ?? group);
}

export function takeUpItemRow(item: ProcedureTakeUp): TableValue[] {
  return [item.code, item.name, nationalGroupLabel(item.nationalGroup), item.statusLabel, item.online, item.offline, percentCell(item.takeUp)];
}

export function takeUpGroupRow(group: GroupTakeUp): TableValue[] {
  return [SUBTOTAL_LABEL, `${group.label}（${group.procedures}手続）`, group.label, null, group.online, group.offline, percentCell(group.takeUp)];
}

export function takeUpTotalRow(total: TakeUpTotals, procedures: number): TableValue[] {
  return [TOTAL_LABEL, `全手続（${procedures}手続）`, null, null, total.online, total.offline, percentCell(total.takeUp)];
}

/** 令和7年12月〜令和8年11月 */
export function monthPeriodLabel(from: string, to: string): string {
  return `${formatWarekiMonth(from)}〜${formatWarekiMonth(to)}`;
}

export const TAKE_UP_NOTES = [
  '利用率 = オンライン件数 ÷（オンライン件数 + 窓口件数）。利用率の低い順、件数のない手続は末尾。',
  '状況は書き出した時点の状況。小計・合計の行は絞り込みの範囲外です。',
];

// ---------------------------------------------------------------------------
// 回答状況: each 照会 round's divisions and where their answers stand

export const SURVEY_COLUMNS: TableColumn[] = [
  { header: '照会', kind: 'longText', width: 30 },
  { header: '取組', kind: 'text', width: 16 },
  { header: '回答期限', kind: 'text', width: 16 },
  { header: '部局', kind: 'text', width: 18 },
  { header: '所管課', kind: 'text', width: 20 },
  { header: '状況', kind: 'text', width: 10 },
  { header: '期限超過', kind: 'text', width: 9 },
  { header: '回答日時', kind: 'dateTime' },
  { header: '回答者', kind: 'text', width: 14 },
  { header: '回答行数', kind: 'integer' },
];

const SURVEY_STATUS_TEXT: Record<SurveyStatusLine['status'], string> = { waiting: '未回答', answered: '回答済', returned: '差戻し', confirmed: '確認済' };

export function surveyStatusRow(line: SurveyStatusLine, timeZone: string): TableValue[] {
  return [
    line.title,
    programLabel(line.program),
    formatWarekiDate(line.dueOn),
    line.department,
    line.division,
    SURVEY_STATUS_TEXT[line.status],
    line.late ? '期限超過' : null,
    line.answeredAt ? wallClockCellValue(line.answeredAt, timeZone) : null,
    line.answeredBy,
    line.rows,
  ];
}
