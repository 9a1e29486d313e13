import { addDays, AVERAGE_DAYS_PER_MONTH, daysBetween } from '../calendar';

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

export interface Forecast {
  remaining: number;
  percent: number | null;
  overdue: number;
  pacePerMonth: number;
  neededPerMonth: number | null;
  projectedCompletion: string | null;
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
  const projectedCompletion =
    remaining > 0 && rawPace > 0 ? addDays(input.asOf, Math.ceil((remaining / rawPace) * AVERAGE_DAYS_PER_MONTH)) : null;

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
    projectedCompletion,
    verdict,
  };
}
