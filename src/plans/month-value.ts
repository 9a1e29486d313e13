import { isSupportedMonth, monthOf, parseJapaneseDate, parseJapaneseMonth, SUPPORTED_MONTH_RANGE_LABEL } from '../calendar';
import { clip } from '../common/domain-error';
import { fieldMessages } from '../items/item-fields';
import { parseDateCell } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';

// A month as plans and volume sheets write it: 2026-04, 2026/4, 令和8年4月, R8.4, a full date
// (2026/4/1, its month is meant) or an Excel date cell. Parsed once here, at the edge.

export const MONTH_EXAMPLES = '例: 2026-04、2026/4、令和8年4月、R8.4';

/** 'YYYY-MM', null when the cell is empty, undefined when it is not a month. */
export function parseMonthCell(cell: CellValue | undefined): string | null | undefined {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') {
    if (cell.normalize('NFKC').trim() === '') return null;
    const month = parseJapaneseMonth(cell);
    if (month) return month;
    const date = parseJapaneseDate(cell);
    return date ? monthOf(date) : undefined;
  }
  if (cell instanceof Date || typeof cell === 'number') {
    const parsed = parseDateCell(cell);
    if ('date' in parsed) return monthOf(parsed.date); // normalizeMonth names the window
    return 'value' in parsed && parsed.value ? monthOf(parsed.value) : undefined;
  }
  return undefined;
}

export interface MonthProblem {
  value: string;
  code: 'missing_required' | 'invalid_month' | 'date_out_of_range';
  message: string;
}

/** A required month column: the month, or the problem with the value as given. */
export function normalizeMonth(raw: unknown, header = '月'): { month: string } | { problem: MonthProblem } {
  const cell = typeof raw === 'string' || typeof raw === 'number' || raw instanceof Date ? raw : raw === null || raw === undefined ? null : undefined;
  const month = cell === undefined ? undefined : parseMonthCell(cell);
  if (month === null) return { problem: { value: '', code: 'missing_required', message: fieldMessages.missing_required(header) } };
  if (month === undefined) {
    const value = String(raw);
    return { problem: { value: clip(value), code: 'invalid_month', message: `${header}「${clip(value)}」は月として読めません（${MONTH_EXAMPLES}）` } };
  }
  if (!isSupportedMonth(month)) {
    const value = String(raw instanceof Date ? month : raw);
    return { problem: { value: clip(value), code: 'date_out_of_range', message: `${header}「${clip(value)}」は扱える範囲（${SUPPORTED_MONTH_RANGE_LABEL}）の外です` } };
  }
  return { month };
}
