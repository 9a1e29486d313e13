// Calendar-date arithmetic on ISO 'YYYY-MM-DD' strings.
// Pure integer arithmetic on day numbers (no Date objects, no time zones, no wall clock),
// so results never depend on the server's TZ or the current time.

/** A calendar date 'YYYY-MM-DD' (proleptic Gregorian, years 0001–9999). */
export type IsoDate = string;
/** A calendar month 'YYYY-MM'. */
export type IsoMonth = string;

/** Inclusive date range. */
export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

export interface IsoDateParts {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH_RE = /^(\d{4})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;
// Average Gregorian month length (365.25 / 12), used by monthsBetween.
export const AVERAGE_DAYS_PER_MONTH = 30.4375;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Builds an IsoDate, or null when the parts are not a real date (e.g. 2026-02-30) or out of 0001–9999. */
export function toIsoDate(year: number, month: number, day: number): IsoDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Builds an IsoMonth, or null when out of range. */
export function toIsoMonth(year: number, month: number): IsoMonth | null {
  if (!Number.isInteger(year) || !Number.isInteger(month)) return null;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  return `${pad(year, 4)}-${pad(month, 2)}`;
}

/** True for a strictly formatted, existing date 'YYYY-MM-DD' (no time part, zero-padded). */
export function isValidIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE_RE.exec(s);
  return m !== null && toIsoDate(Number(m[1]), Number(m[2]), Number(m[3])) !== null;
}

/** True for a strictly formatted month 'YYYY-MM'. */
export function isValidIsoMonth(s: unknown): s is IsoMonth {
  if (typeof s !== 'string') return false;
  const m = ISO_MONTH_RE.exec(s);
  return m !== null && toIsoMonth(Number(m[1]), Number(m[2])) !== null;
}

/** Splits a date into numbers; throws RangeError on an invalid date (a caller bug, not user input). */
export function isoDateParts(date: IsoDate): IsoDateParts {
  const m = ISO_DATE_RE.exec(date);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!parts || toIsoDate(parts.year, parts.month, parts.day) === null) {
    throw new RangeError(`Invalid IsoDate: ${JSON.stringify(date)}`);
  }
  return parts;
}

function isoMonthParts(month: IsoMonth): { year: number; month: number } {
  const m = ISO_MONTH_RE.exec(month);
  if (!m || toIsoMonth(Number(m[1]), Number(m[2])) === null) {
    throw new RangeError(`Invalid IsoMonth: ${JSON.stringify(month)}`);
  }
  return { year: Number(m[1]), month: Number(m[2]) };
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil), exact for the proleptic Gregorian calendar.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0, so the leap day is the last day of the "year"
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): IsoDateParts {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Days since 1970-01-01 (negative before). */
export function isoDateToEpochDay(date: IsoDate): number {
  const { year, month, day } = isoDateParts(date);
  return daysFromCivil(year, month, day);
}

/** Inverse of isoDateToEpochDay; throws RangeError outside 0001–9999. */
export function epochDayToIsoDate(epochDay: number): IsoDate {
  if (!Number.isInteger(epochDay)) throw new RangeError(`Epoch day must be an integer: ${epochDay}`);
  const { year, month, day } = civilFromDays(epochDay);
  const iso = toIsoDate(year, month, day);
  if (iso === null) throw new RangeError(`Date out of supported range (0001–9999): epoch day ${epochDay}`);
  return iso;
}

function assertInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be an integer: ${n}`);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  assertInteger(days, 'days');
  return epochDayToIsoDate(isoDateToEpochDay(date) + days);
}

/** Adds calendar months, clamping the day to the target month's end (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  assertInteger(months, 'months');
  const { year, month, day } = isoDateParts(date);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const iso = toIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
  if (iso === null) throw new RangeError(`Date out of supported range: ${date} + ${months} months`);
  return iso;
}

/** Adds months to a 'YYYY-MM' month (2026-12 + 1 → 2027-01). */
export function addMonthsToMonth(month: IsoMonth, months: number): IsoMonth {
  assertInteger(months, 'months');
  const p = isoMonthParts(month);
  const total = p.year * 12 + (p.month - 1) + months;
  const y = Math.floor(total / 12);
  const iso = toIsoMonth(y, total - y * 12 + 1);
  if (iso === null) throw new RangeError(`Month out of supported range: ${month} + ${months}`);
  return iso;
}

/** b − a in whole days (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return isoDateToEpochDay(b) - isoDateToEpochDay(a);
}

/**
 * b − a in fractional months, approximated as days / 30.4375 (the average Gregorian month).
 * Good for progress ratios and "months overdue"; not an exact calendar-month count
 * (2026-01-01 → 2026-02-01 gives 31/30.4375 ≈ 1.018).
 */
export function monthsBetween(a: IsoDate, b: IsoDate): number {
  return daysBetween(a, b) / AVERAGE_DAYS_PER_MONTH;
}

/** 'YYYY-MM' of a date. */
export function monthOf(date: IsoDate): IsoMonth {
  isoDateParts(date);
  return date.slice(0, 7);
}

export function startOfMonth(month: IsoMonth): IsoDate {
  isoMonthParts(month);
  return `${month}-01`;
}

export function endOfMonth(month: IsoMonth): IsoDate {
  const p = isoMonthParts(month);
  return `${month}-${pad(daysInMonth(p.year, p.month), 2)}`;
}

// Excel's 1900 date system: serial 1 = 1900-01-01, and serial 60 is the fictitious 1900-02-29
// (kept for Lotus 1-2-3 compatibility), so serials from 61 on are one day "ahead".
const EXCEL_DAY_ZERO = daysFromCivil(1899, 12, 31);
const EXCEL_FAKE_LEAP_DAY = 60;

/**
 * Converts an Excel 1900-system serial to a date. The fractional part (time of day) is dropped.
 * 1 → 1900-01-01, 59 → 1900-02-28, 61 → 1900-03-01, 45383 → 2024-04-01.
 * Throws RangeError for serial 60 (Excel's non-existent 1900-02-29), serials below 1,
 * non-finite numbers and dates after 9999-12-31.
 */
export function excelSerialToIsoDate(serial: number): IsoDate {
  if (!Number.isFinite(serial)) throw new RangeError(`Excel serial must be finite: ${serial}`);
  const whole = Math.floor(serial);
  if (whole < 1) throw new RangeError(`Excel serial must be >= 1: ${serial}`);
  if (whole === EXCEL_FAKE_LEAP_DAY) {
    throw new RangeError('Excel serial 60 is the non-existent date 1900-02-29');
  }
  return epochDayToIsoDate(EXCEL_DAY_ZERO + whole - (whole > EXCEL_FAKE_LEAP_DAY ? 1 : 0));
}

/** -1 / 0 / 1; throws RangeError on invalid dates. */
export function compareIsoDate(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  isoDateParts(a);
  isoDateParts(b);
  // Zero-padded ISO dates sort lexicographically in date order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Earliest date; with at least one argument the result is always defined. */
export function minIsoDate(first: IsoDate, ...rest: IsoDate[]): IsoDate;
export function minIsoDate(...dates: IsoDate[]): IsoDate | undefined;
export function minIsoDate(...dates: IsoDate[]): IsoDate | undefined {
  dates.forEach((d) => isoDateParts(d));
  return dates.reduce<IsoDate | undefined>((acc, d) => (acc === undefined || d < acc ? d : acc), undefined);
}

/** Latest date; with at least one argument the result is always defined. */
export function maxIsoDate(first: IsoDate, ...rest: IsoDate[]): IsoDate;
export function maxIsoDate(...dates: IsoDate[]): IsoDate | undefined;
export function maxIsoDate(...dates: IsoDate[]): IsoDate | undefined {
  dates.forEach((d) => isoDateParts(d));
  return dates.reduce<IsoDate | undefined>((acc, d) => (acc === undefined || d > acc ? d : acc), undefined);
}
