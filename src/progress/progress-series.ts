import { addMonthsToMonth, FIRST_SUPPORTED_DATE, endOfMonth, formatWarekiMonth, isSupportedDate, isValidIsoDate, MAX_MONTH_SPAN, monthOf, startOfMonth, SUPPORTED_RANGE_LABEL } from '../calendar';
import { DomainError } from '../common/domain-error';

// The months of a burn-up series: one point per calendar month, measured at the month's end
// (or at `to` in its last month, so the last point matches the progress as of that date).

/** At most five years of monthly points: each point is one as-of aggregate. */
export const MAX_SERIES_POINTS = MAX_MONTH_SPAN;
/** Without `from`, the series covers two years up to `to`. */
export const DEFAULT_SERIES_MONTHS = 24;

export interface SeriesMonth {
  month: string;
  /** The date the point is measured on. */
  asOf: string;
  /** 和暦 label of the month (令和8年4月). */
  monthLabel: string;
}

export function defaultSeriesFrom(to: string): string {
  const from = startOfMonth(addMonthsToMonth(monthOf(to), -(DEFAULT_SERIES_MONTHS - 1)));
  return from < FIRST_SUPPORTED_DATE ? FIRST_SUPPORTED_DATE : from;
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function seriesMonths(from: string, to: string): SeriesMonth[] {
  if (!isValidIsoDate(from) || !isValidIsoDate(to)) throw new DomainError('invalid_date', `期間 ${from}〜${to} は日付として読めません`);
  if (!isSupportedDate(from) || !isSupportedDate(to)) throw new DomainError('date_out_of_range', `期間 ${from}〜${to} は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`);
  if (from > to) throw new DomainError('invalid_range', `期間の開始 ${from} が終了 ${to} より後です`);
  const count = monthIndex(monthOf(to)) - monthIndex(monthOf(from)) + 1;
  if (count > MAX_SERIES_POINTS) {
    throw new DomainError('range_too_long', `期間が長すぎます（${count}か月）。${MAX_SERIES_POINTS}か月以内で指定してください`, 400, {
      from,
      to,
      months: count,
      max: MAX_SERIES_POINTS,
    });
  }
  const result: SeriesMonth[] = [];
  for (let offset = 0; offset < count; offset++) {
    const month = addMonthsToMonth(monthOf(from), offset);
    const end = endOfMonth(month);
    result.push({ month, asOf: end < to ? end : to, monthLabel: formatWarekiMonth(month) });
  }
  return result;
}
