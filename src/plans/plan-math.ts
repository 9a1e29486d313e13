import { addMonthsToMonth, endOfMonth, formatWarekiMonth, MAX_MONTH_SPAN, monthOf, startOfMonth } from '../calendar';
import { FieldProblem } from '../common/domain-error';
import { fieldMessages, normalizeField } from '../items/item-fields';
import { FieldDefinition } from '../programs/program.types';
import { normalizeMonth } from './month-value';

// A target's monthly plan (月別業務計画) against its actual progress: pure arithmetic, pinned by
// plan-math.spec.ts. The plan counts completions from zero, like `done`: months before the first
// planned month and gaps inside the plan count 0.

export interface PlanMonth {
  month: string;
  planned: number;
}

export interface PlanPoint {
  month: string;
  /** 和暦 label of the month (令和8年4月). */
  monthLabel: string;
  planned: number;
  plannedCumulative: number;
  /** Done as of the month's end (as of the as-of date in its month); null for later months. */
  actualCumulative: number | null;
  /** The month lies after the target's deadline month: the plan runs past the deadline. */
  afterDeadline: boolean;
}

export interface PlanFields {
  /** Cumulative plan up to and including the as-of month; null without a plan. */
  plannedToDate: number | null;
  /** done − plannedToDate (negative = behind the plan); null without a plan. */
  planVariance: number | null;
  /** Every month from the plan's first to its last, gaps filled with 0; [] without a plan. */
  plan: PlanPoint[];
}

/** Each month with an actual is one as-of aggregate (the progress series): five years at most. */
export const MAX_PLAN_MONTHS = MAX_MONTH_SPAN;

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** Months from `from` to `to` inclusive (1 when equal). */
export function monthSpan(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from) + 1;
}

/** The plan sorted by month, every month from the first to the last present (gaps = 0). */
export function fillPlan(months: PlanMonth[]): PlanMonth[] {
  if (!months.length) return [];
  const byMonth = new Map(months.map((entry) => [entry.month, entry.planned]));
  const sorted = [...byMonth.keys()].sort();
  const filled: PlanMonth[] = [];
  for (let offset = 0; offset < monthSpan(sorted[0], sorted[sorted.length - 1]); offset++) {
    const month = addMonthsToMonth(sorted[0], offset);
    filled.push({ month, planned: byMonth.get(month) ?? 0 });
  }
  return filled;
}

/**
 * The dates whose done counts the plan needs: from the first plan month to the as-of date (or the
 * plan's last month, whichever is earlier). Null when the plan starts after the as-of month.
 */
export function actualRange(months: PlanMonth[], asOf: string): { from: string; to: string } | null {
  const filled = fillPlan(months);
  if (!filled.length) return null;
  const first = filled[0].month;
  const last = filled[filled.length - 1].month;
  if (monthOf(asOf) < first) return null;
  const lastDay = endOfMonth(last);
  return { from: startOfMonth(first), to: asOf < lastDay ? asOf : lastDay };
}

/**
 * Plan against actual. `actualByMonth` holds done as of each month's end up to the as-of month
 * (the as-of month's value is done as of the as-of date); `done` is done as of the as-of date.
 */
export function planProgress(
  months: PlanMonth[],
  context: { asOf: string; deadline: string; done: number },
  actualByMonth: ReadonlyMap<string, number>,
): PlanFields {
  const filled = fillPlan(months);
  if (!filled.length) return { plannedToDate: null, planVariance: null, plan: [] };
  const asOfMonth = monthOf(context.asOf);
  const deadlineMonth = monthOf(context.deadline);
  let cumulative = 0;
  let plannedToDate = 0;
  const plan = filled.map(({ month, planned }): PlanPoint => {
    cumulative += planned;
    if (month <= asOfMonth) plannedToDate = cumulative;
    return {
      month,
      monthLabel: formatWarekiMonth(month),
      planned,
      plannedCumulative: cumulative,
      actualCumulative: month > asOfMonth ? null : month === asOfMonth ? context.done : actualByMonth.get(month) ?? null,
      afterDeadline: month > deadlineMonth,
    };
  });
  return { plannedToDate, planVariance: context.done - plannedToDate, plan };
}

const PLANNED_FIELD: FieldDefinition = { key: 'planned', header: '計画件数', kind: 'integer' };

export const planMessages = {
  invalidBody: '計画は { "months": [ { "month": "2026-04", "planned": 40 } ] } の形で指定してください',
  invalidEntry: (index: number) => `months[${index}] は { "month", "planned" } のオブジェクトで指定してください`,
  duplicateMonth: (value: string, month: string, first: string) => `月「${value}」（${month}）が${first}と重複しています`,
  tooLong: (from: string, to: string, span: number, limit: number = MAX_PLAN_MONTHS) =>
    `計画の期間が長すぎます（${from}〜${to} の${span}か月）。${limit}か月以内${limit > MAX_PLAN_MONTHS ? '（最初の月から目標の期限の月まで）' : ''}にしてください`,
};

function display(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** One entry's month and planned count, each normalized (NFKC, 全角 digits, 和暦). */
export function normalizePlanEntry(
  rawMonth: unknown,
  rawPlanned: unknown,
): { month?: string; planned?: number; problems: { key: 'month' | 'planned'; value: string; code: string; message: string }[] } {
  const problems: { key: 'month' | 'planned'; value: string; code: string; message: string }[] = [];
  let month: string | undefined;
  let planned: number | undefined;
  const parsedMonth = normalizeMonth(rawMonth);
  if ('problem' in parsedMonth) problems.push({ key: 'month', ...parsedMonth.problem });
  else month = parsedMonth.month;
  // The count is an integer column like 年間件数: the item fields' rule and wording.
  const field = normalizeField('online', PLANNED_FIELD, typeof rawPlanned === 'object' && rawPlanned !== null ? String(rawPlanned) : rawPlanned);
  if ('problem' in field) problems.push({ key: 'planned', value: display(rawPlanned), code: field.problem.code, message: field.problem.message });
  else if (field.value === null) problems.push({ key: 'planned', value: '', code: 'missing_required', message: fieldMessages.missing_required(PLANNED_FIELD.header) });
  else planned = field.value as number;
  return { month, planned, problems };
}

/**
 * The whole plan's span check, shared by the API and the sheet import: at most MAX_PLAN_MONTHS,
 * or, for a target whose deadline lies further from the plan's first month, up to that deadline's
 * month (a plan may start years before and run as long as its target does).
 */
export function planSpanProblem(months: PlanMonth[], deadline?: string): { code: string; message: string } | null {
  const filled = fillPlan(months);
  if (!filled.length) return null;
  const from = filled[0].month;
  const to = filled[filled.length - 1].month;
  const throughDeadline = deadline ? monthsBetween(from, deadline.slice(0, 7)) + 1 : 0;
  const limit = Math.max(MAX_PLAN_MONTHS, throughDeadline);
  if (filled.length <= limit) return null;
  return { code: 'plan_too_long', message: planMessages.tooLong(from, to, filled.length, limit) };
}

/** Whole months from `from` to `to` (YYYY-MM): 2026-04 → 2026-06 is 2. */
function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** The body of PUT /targets/:id/plan → the plan, or every problem with the entry it concerns. */
export function normalizePlanBody(body: unknown, deadline?: string): { months: PlanMonth[] } | { problems: FieldProblem[] } {
  const raw = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).months : undefined;
  if (!Array.isArray(raw)) return { problems: [{ field: 'months', value: '', code: 'invalid_plan', message: planMessages.invalidBody }] };
  const problems: FieldProblem[] = [];
  const months: PlanMonth[] = [];
  const firstIndex = new Map<string, number>();
  raw.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ field: `months[${index}]`, value: entry ?? '', code: 'invalid_plan', message: planMessages.invalidEntry(index) });
      return;
    }
    const { month: rawMonth, planned: rawPlanned } = entry as Record<string, unknown>;
    // JSON months are text: a number such as 202604 is not read as an Excel date serial.
    const normalized = normalizePlanEntry(typeof rawMonth === 'number' ? String(rawMonth) : rawMonth, rawPlanned);
    for (const problem of normalized.problems) problems.push({ field: `months[${index}].${problem.key}`, value: problem.value, code: problem.code, message: problem.message });
    if (normalized.month === undefined || normalized.planned === undefined) return;
    const first = firstIndex.get(normalized.month);
    if (first !== undefined) {
      problems.push({
        field: `months[${index}]`,
        value: entry,
        code: 'duplicate_month',
        message: planMessages.duplicateMonth(display(rawMonth), normalized.month, `months[${first}]`),
      });
      return;
    }
    firstIndex.set(normalized.month, index);
    months.push({ month: normalized.month, planned: normalized.planned });
  });
  const span = problems.length ? null : planSpanProblem(months, deadline);
  if (span) problems.push({ field: 'months', value: '', ...span });
  if (problems.length) return { problems };
  return { months: months.sort((a, b) => a.month.localeCompare(b.month)) };
}
