import { formatWarekiMonth } from '../calendar';
import { normalizeMonth } from '../plans/month-value';
import { normalizeFreeText, parseIntegerCell } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';

// Monthly reports (月次報告) and the per-initiative monthly plan, normalized at the edge: pure
// rules shared by the API and the sheet import, pinned by report-rules.spec.ts.

export const MAX_COMMENT_LENGTH = 1000;
export const MAX_MILESTONE_LENGTH = 200;

/** One month's report as it is stored: the latest revision of (item, month) is the one in force. */
export interface ReportValues {
  month: string;
  progress: number;
  comment: string | null;
}

/** One month of an initiative's plan: cumulative planned progress by the month's end, and the step due. */
export interface PlanEntry {
  month: string;
  planned: number | null;
  milestone: string | null;
}

export interface RuleProblem {
  /** The sheet column key / body key the problem is about. */
  field: 'code' | 'month' | 'progress' | 'comment' | 'planned' | 'milestone' | 'months';
  value: string;
  code: string;
  message: string;
  /** The month a plan problem is about. */
  month?: string;
}

export const reportMessages = {
  percent: (header: string, value: string) => `${header}「${value}」は0〜100の整数で入力してください`,
  futureMonth: (month: string, current: string) => `${formatWarekiMonth(month)}はまだ来ていません（${formatWarekiMonth(current)}までの報告を入力してください）`,
  tooLong: (header: string, max: number) => `${header}は${max}文字以内で入力してください`,
  commentWithoutProgress: () => 'コメントだけの報告はできません。進捗率も入力してください',
  emptyRow: () => '進捗率・計画進捗率・マイルストーンのいずれかを入力してください',
  planDecreases: (month: string, planned: number, before: string, previous: number) =>
    `${formatWarekiMonth(month)}の計画進捗率 ${planned}% が${formatWarekiMonth(before)}の ${previous}% より小さくなっています（計画は累計の進捗率です）`,
  duplicateMonth: (month: string, first: string) => `${formatWarekiMonth(month)}が${first}と重複しています`,
  unknownCode: (code: string, programLabel: string) => `管理番号「${code}」の${programLabel}がありません`,
  forbidden: (code: string, division: string) => `管理番号「${code}」は所属部局外の「${division}」の所管のため報告できません`,
};

function display(raw: unknown): string {
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  return raw === null || raw === undefined ? '' : String(raw);
}

function asCell(raw: unknown): CellValue | undefined {
  if (raw === null || raw === undefined || typeof raw === 'string' || typeof raw === 'number' || raw instanceof Date) return raw as CellValue;
  return undefined;
}

/** A percent 0–100 (全角 digits and a trailing % accepted); null when empty. */
export function parsePercent(raw: unknown, header: string, field: RuleProblem['field']): { value: number | null } | { problem: RuleProblem } {
  if (raw === null || raw === undefined) return { value: null };
  const cell = asCell(raw);
  const text = typeof cell === 'string' ? cell.normalize('NFKC').trim().replace(/%$/, '') : cell;
  const parsed = text === undefined ? { error: 'invalid_number' as const } : parseIntegerCell(text);
  if ('error' in parsed || (parsed.value !== null && (parsed.value < 0 || parsed.value > 100))) {
    return { problem: { field, value: display(raw), code: 'invalid_percent', message: reportMessages.percent(header, display(raw)) } };
  }
  return { value: parsed.value };
}

/** Free text kept as typed (trimmed); null when empty. */
export function parseText(raw: unknown, header: string, field: RuleProblem['field'], max: number): { value: string | null } | { problem: RuleProblem } {
  const cell = asCell(raw);
  if (cell === undefined) return { problem: { field, value: display(raw), code: 'invalid_text', message: `${header}は文字で入力してください` } };
  const value = normalizeFreeText(cell);
  if (value.length > max) return { problem: { field, value: display(raw), code: 'too_long', message: reportMessages.tooLong(header, max) } };
  return { value: value || null };
}

/** A report month (YYYY-MM, 2026/4, 令和8年4月 …), not after the current month. */
export function parseReportMonth(raw: unknown, currentMonth: string): { month: string } | { problem: RuleProblem } {
  const month = normalizeMonth(raw, '月');
  if ('problem' in month) return { problem: { field: 'month', ...month.problem } };
  if (month.month > currentMonth) {
    return { problem: { field: 'month', value: display(raw), code: 'month_in_future', message: reportMessages.futureMonth(month.month, currentMonth) } };
  }
  return month;
}

/** `PUT /items/:id/reports/:month` body: { progress, comment }. */
export function normalizeReportBody(month: unknown, body: unknown, currentMonth: string): { values: ReportValues } | { problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const input = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const parsedMonth = parseReportMonth(month, currentMonth);
  if ('problem' in parsedMonth) problems.push(parsedMonth.problem);
  const progress = parsePercent(input.progress, '進捗率（progress）', 'progress');
  if ('problem' in progress) problems.push(progress.problem);
  else if (progress.value === null) problems.push({ field: 'progress', value: '', code: 'missing_required', message: '進捗率（progress）は必須です' });
  const comment = parseText(input.comment ?? null, 'コメント（comment）', 'comment', MAX_COMMENT_LENGTH);
  if ('problem' in comment) problems.push(comment.problem);
  if (problems.length) return { problems };
  return {
    values: {
      month: (parsedMonth as { month: string }).month,
      progress: (progress as { value: number }).value,
      comment: (comment as { value: string | null }).value,
    },
  };
}

/** Problems of a whole plan: one entry per month, cumulative planned percent never going down. */
export function planProblems(entries: PlanEntry[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  let lastMonth: string | undefined;
  let lastPlanned: PlanEntry | undefined;
  for (const entry of [...entries].sort((a, b) => a.month.localeCompare(b.month))) {
    if (entry.month === lastMonth) {
      problems.push({ field: 'month', value: entry.month, code: 'duplicate_month', message: reportMessages.duplicateMonth(entry.month, 'ほかの行') });
      continue;
    }
    lastMonth = entry.month;
    if (entry.planned === null) continue;
    if (lastPlanned && lastPlanned.planned !== null && entry.planned < lastPlanned.planned) {
      problems.push({
        field: 'planned',
        value: String(entry.planned),
        month: entry.month,
        code: 'plan_decreases',
        message: reportMessages.planDecreases(entry.month, entry.planned, lastPlanned.month, lastPlanned.planned),
      });
    }
    lastPlanned = entry;
  }
  return problems;
}

/** `PUT /items/:id/monthly-plan` body: { months: [ { month, planned, milestone } ] } (the whole plan). */
export function normalizePlanBody(body: unknown): { entries: PlanEntry[] } | { problems: RuleProblem[] } {
  const input = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (!Array.isArray(input.months)) {
    return { problems: [{ field: 'months', value: '', code: 'invalid_plan', message: 'months は配列で指定してください（例: [{ "month": "2026-04", "planned": 20, "milestone": "方針案" }]）' }] };
  }
  const problems: RuleProblem[] = [];
  const entries: PlanEntry[] = [];
  input.months.forEach((raw, index) => {
    const row = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const before = problems.length;
    const month = normalizeMonth(row.month, `months[${index}].month`);
    if ('problem' in month) problems.push({ field: 'month', ...month.problem });
    const planned = parsePercent(row.planned ?? null, `months[${index}].planned`, 'planned');
    if ('problem' in planned) problems.push(planned.problem);
    const milestone = parseText(row.milestone ?? null, `months[${index}].milestone`, 'milestone', MAX_MILESTONE_LENGTH);
    if ('problem' in milestone) problems.push(milestone.problem);
    if (problems.length > before) return;
    const entry = { month: (month as { month: string }).month, planned: (planned as { value: number | null }).value, milestone: (milestone as { value: string | null }).value };
    if (entry.planned === null && entry.milestone === null) {
      problems.push({ field: 'months', value: entry.month, code: 'empty_plan_month', message: `months[${index}]: planned か milestone を指定してください` });
      return;
    }
    entries.push(entry);
  });
  if (!problems.length) problems.push(...planProblems(entries));
  return problems.length ? { problems } : { entries: entries.sort((a, b) => a.month.localeCompare(b.month)) };
}
