import { addDays, AVERAGE_DAYS_PER_MONTH, daysBetween, LAST_SUPPORTED_DATE } from '../calendar';

// Progress arithmetic and verdicts (README "Progress and verdicts"): pure, so every boundary is
// pinned by unit tests without a database.

export type Verdict = 'met' | 'on_track' | 'at_risk' | 'behind' | 'missed' | 'no_items';

/** Japanese labels of the verdicts (the CLI table, the public page and its open data). */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  met: '達成',
  on_track: '順調',
  at_risk: '要注意',
  behind: '遅れ',
  missed: '期限超過',
  no_items: '未登録',
};

/** Months over which the recent pace is measured. */
export const PACE_WINDOW_MONTHS = 6;
/** A pace at least this share of the needed pace is `at_risk`; below it, `behind`. */
export const AT_RISK_RATIO = 0.75;

/** 100 × numerator ÷ denominator, rounded half up to one decimal. */
export function roundedPercent(numerator: number, denominator: number): number {
  return Math.round(((numerator * 100) / denominator) * 10 + 1e-9) / 10;
}

export function roundOne(value: number): number {
  return Math.round(value * 10 + 1e-9) / 10;
}

/** done ÷ (total − excluded); 100 when everything is excluded; null for an empty inventory. */
export function percentDone(total: number, done: number, excluded: number): number | null {
  if (total === 0) return null;
  const denominator = total - excluded;
  if (denominator === 0) return 100;
  return roundedPercent(done, denominator);
}

export interface ForecastInput {
  asOf: string;
  deadline: string;
  total: number;
  done: number;
  excluded: number;
  /** Not done, not excluded, and past the item's own due date. */
  pastDue: number;
  /** Done items as of PACE_WINDOW_MONTHS before asOf. */
  doneAtWindowStart: number;
}

/**
 * Why there is no projected completion date (見込みなし): no net completions in the pace window,
 * or the pace would finish only after LAST_SUPPORTED_DATE (the horizon: no formatter, sheet or
 * report is asked to show a date past it). null when there is a date or nothing remains.
 */
export type ProjectionReason = 'zero_pace' | 'beyond_horizon';

export const PROJECTION_REASON_LABELS: Readonly<Record<ProjectionReason, string>> = {
  zero_pace: '見込みなし（直近6か月の完了なし）',
  beyond_horizon: '見込みなし（2099年より後）',
};

/** D + remaining ÷ pace months, or why not. Never throws, however slow the pace. */
export function projectCompletion(asOf: string, remaining: number, pacePerMonth: number): { date: string | null; reason: ProjectionReason | null } {
  if (remaining <= 0) return { date: null, reason: null };
  if (!(pacePerMonth > 0)) return { date: null, reason: 'zero_pace' };
  const days = Math.ceil((remaining / pacePerMonth) * AVERAGE_DAYS_PER_MONTH);
  if (!Number.isSafeInteger(days) || days > daysBetween(asOf, LAST_SUPPORTED_DATE)) return { date: null, reason: 'beyond_horizon' };
  return { date: addDays(asOf, days), reason: null };
}

export interface Forecast {
  remaining: number;
  percent: number | null;
  overdue: number;
  pacePerMonth: number;
  neededPerMonth: number | null;
  projectedCompletion: string | null;
  /** Set when projectedCompletion is null although items remain. */
  projectionReason: ProjectionReason | null;
  verdict: Verdict;
}

export function forecast(input: ForecastInput): Forecast {
  const remaining = input.total - input.done - input.excluded;
  const percent = percentDone(input.total, input.done, input.excluded);
  const pastDeadline = input.asOf > input.deadline;
  const overdue = pastDeadline ? remaining : input.pastDue;
  // Net pace: completions minus reopenings over the window.
  const rawPace = Math.max(0, input.done - input.doneAtWindowStart) / PACE_WINDOW_MONTHS;
  const monthsLeft = daysBetween(input.asOf, input.deadline) / AVERAGE_DAYS_PER_MONTH;
  const neededRaw = remaining > 0 && monthsLeft > 0 ? remaining / monthsLeft : null;
  const projection = projectCompletion(input.asOf, remaining, rawPace);

  let verdict: Verdict;
  if (input.total === 0) verdict = 'no_items';
  else if (remaining === 0) verdict = 'met';
  else if (pastDeadline) verdict = 'missed';
  else if (neededRaw === null) verdict = 'behind'; // the deadline is today and items remain
  else if (rawPace >= neededRaw) verdict = 'on_track';
  else if (rawPace >= neededRaw * AT_RISK_RATIO) verdict = 'at_risk';
  else verdict = 'behind';

  return {
    remaining,
    percent,
    overdue,
    pacePerMonth: roundOne(rawPace),
    neededPerMonth: neededRaw === null ? null : roundOne(neededRaw),
    projectedCompletion: projection.date,
    projectionReason: projection.reason,
    verdict,
  };
}
