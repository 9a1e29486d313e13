import { IsoDate, IsoMonth, isValidIsoDate, isValidIsoMonth, monthOf } from './iso-date';

// The dates the tracker accepts anywhere (items, targets, plans, volumes, reorganizations, query
// parameters). Every formatter handles them: 和暦 from 平成 on (a date before 明治 has no era at all,
// and the 昭和 dates no item of a digitization program can carry are kept out with them), and four-
// digit years for Excel and PostgreSQL. Arithmetic inside the calendar module still covers
// 0001–9999; this window is what enters the system.

export const FIRST_SUPPORTED_DATE: IsoDate = '1989-01-08';
export const LAST_SUPPORTED_DATE: IsoDate = '2099-12-31';
export const FIRST_SUPPORTED_MONTH: IsoMonth = monthOf(FIRST_SUPPORTED_DATE);
export const LAST_SUPPORTED_MONTH: IsoMonth = monthOf(LAST_SUPPORTED_DATE);

/**
 * The longest run of months one answer spans: a burn-up series (one as-of aggregate a month) and
 * a monthly plan (drawn on that series) stop at five years.
 */
export const MAX_MONTH_SPAN = 60;

/** Named in error messages. */
export const SUPPORTED_RANGE_LABEL = '1989-01-08（平成元年1月8日）〜2099-12-31';
export const SUPPORTED_MONTH_RANGE_LABEL = '1989-01〜2099-12';

/** True for a valid ISO date within FIRST_SUPPORTED_DATE … LAST_SUPPORTED_DATE. */
export function isSupportedDate(date: unknown): date is IsoDate {
  return isValidIsoDate(date) && date >= FIRST_SUPPORTED_DATE && date <= LAST_SUPPORTED_DATE;
}

/** True for a valid ISO month that has a day inside the window (1989-01 … 2099-12). */
export function isSupportedMonth(month: unknown): month is IsoMonth {
  return isValidIsoMonth(month) && month >= FIRST_SUPPORTED_MONTH && month <= LAST_SUPPORTED_MONTH;
}
