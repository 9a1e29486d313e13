// Japanese public-sector fiscal year (年度): 1 April .. 31 March, named by the calendar year it starts in.
import { addDays, addMonths, DateRange, IsoDate, isoDateParts, toIsoDate } from './iso-date';

export type FiscalQuarter = 1 | 2 | 3 | 4;

const FISCAL_YEAR_START_MONTH = 4;
// FY + 1 must still be a 4-digit year, because the FY ends in the next calendar year.
const MIN_FISCAL_YEAR = 1;
const MAX_FISCAL_YEAR = 9998;

function assertFiscalYear(fy: number): void {
  if (!Number.isInteger(fy) || fy < MIN_FISCAL_YEAR || fy > MAX_FISCAL_YEAR) {
    throw new RangeError(`Invalid fiscal year: ${fy}`);
  }
}

export function isFiscalQuarter(q: unknown): q is FiscalQuarter {
  return q === 1 || q === 2 || q === 3 || q === 4;
}

/** FY of a date: 2026-03-31 → 2025, 2026-04-01 → 2026. */
export function fiscalYearOf(date: IsoDate): number {
  const { year, month } = isoDateParts(date);
  return month >= FISCAL_YEAR_START_MONTH ? year : year - 1;
}

/** Apr–Jun = 1, Jul–Sep = 2, Oct–Dec = 3, Jan–Mar = 4. */
export function fiscalQuarterOf(date: IsoDate): FiscalQuarter {
  const { month } = isoDateParts(date);
  // Shift so April is 0, then three months per quarter.
  const q = Math.floor(((month + 12 - FISCAL_YEAR_START_MONTH) % 12) / 3) + 1;
  if (!isFiscalQuarter(q)) throw new RangeError(`Unreachable quarter ${q}`);
  return q;
}

/** FY2026 → 2026-04-01. */
export function fiscalYearStart(fy: number): IsoDate {
  assertFiscalYear(fy);
  return toIsoDate(fy, FISCAL_YEAR_START_MONTH, 1) as IsoDate;
}

/** FY2026 → 2027-03-31. */
export function fiscalYearEnd(fy: number): IsoDate {
  return addDays(addMonths(fiscalYearStart(fy), 12), -1);
}

export function fiscalYearRange(fy: number): DateRange {
  return { start: fiscalYearStart(fy), end: fiscalYearEnd(fy) };
}

/** FY2026 Q2 → { start: 2026-07-01, end: 2026-09-30 }; Q4 lies in the next calendar year. */
export function fiscalQuarterRange(fy: number, quarter: FiscalQuarter): DateRange {
  if (!isFiscalQuarter(quarter)) throw new RangeError(`Invalid fiscal quarter: ${String(quarter)}`);
  const start = addMonths(fiscalYearStart(fy), (quarter - 1) * 3);
  return { start, end: addDays(addMonths(start, 3), -1) };
}

/** True on 31 March, the last day of a fiscal year (年度末). */
export function isFiscalYearEnd(date: IsoDate): boolean {
  const { month, day } = isoDateParts(date);
  return month === 3 && day === 31;
}
