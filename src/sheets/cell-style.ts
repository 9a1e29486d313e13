import type * as ExcelJS from 'exceljs';

// The look of the written workbooks' cells, in one place: column kinds with their widths and
// number formats, the header fill and rule, and the row height a wrapped cell needs.

/** 'yyyy/m/d' as in the import template: what a Japanese Excel shows for a date by default. */
export const DATE_NUMBER_FORMAT = 'yyyy/m/d';
export const DATE_TIME_NUMBER_FORMAT = 'yyyy/m/d h:mm';
export const PERCENT_NUMBER_FORMAT = '0.0%';
export const INTEGER_NUMBER_FORMAT = '#,##0';
export const DECIMAL_NUMBER_FORMAT = '#,##0.0';

export type TableValue = string | number | Date | null;

/** How a column's cells are formatted; user text is always a string cell, never a formula. */
export type ColumnKind = 'text' | 'code' | 'longText' | 'date' | 'dateTime' | 'integer' | 'decimal' | 'percent';

export interface TableColumn {
  header: string;
  kind: ColumnKind;
  /** In characters; default by kind. */
  width?: number;
}

export const DEFAULT_WIDTH: Record<ColumnKind, number> = {
  text: 16,
  code: 14,
  longText: 40,
  date: 12,
  dateTime: 16,
  integer: 10,
  decimal: 11,
  percent: 10,
};

export const NUMBER_FORMAT: Partial<Record<ColumnKind, string>> = {
  // '@' keeps a code typed later as text, so 001 keeps its zeros
  code: '@',
  date: DATE_NUMBER_FORMAT,
  dateTime: DATE_TIME_NUMBER_FORMAT,
  integer: INTEGER_NUMBER_FORMAT,
  decimal: DECIMAL_NUMBER_FORMAT,
  percent: PERCENT_NUMBER_FORMAT,
};

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
export const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF8EA9DB' } };


// Neither Excel nor LibreOffice grows a row to fit wrapped text when it opens a file, so a
// wrapped cell would spill over the row below: the writer sets the height from an estimate.
const LINE_HEIGHT = 15;
const MAX_LINES = 8;
/** East Asian wide characters (CJK, kana, hangul, full-width forms) take about two '0' widths. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3040 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Width of text in spreadsheet column units ('0' widths). */
export function displayWidth(text: string): number {
  // A code-point loop rather than a regex per character: every long-text cell of an export is measured.
  let units = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index)!;
    if (code > 0xffff) index++;
    units += code >= 0x1100 && isWide(code) ? 2 : 1;
  }
  return units;
}

/** Lines `text` wraps to in a column `width` units wide (its own line breaks included). */
export function wrappedLines(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  // No character is wider than two units (nor longer than two UTF-16 units): a short text with
  // no line break fits on one line without being measured, which is most cells.
  if (text.length * 2 <= usable && text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return 1;
  return text.split(/\r\n|\r|\n/).reduce((lines, line) => lines + Math.max(1, Math.ceil(displayWidth(line) / usable)), 0);
}

/** The height a row needs for its wrapped cells, or undefined when one line is enough. */
export function rowHeightFor(values: readonly TableValue[], columns: readonly TableColumn[]): number | undefined {
  let lines = 1;
  columns.forEach((column, index) => {
    const value = values[index];
    if (column.kind !== 'longText' || typeof value !== 'string') return;
    lines = Math.max(lines, wrappedLines(value, column.width ?? DEFAULT_WIDTH[column.kind]));
  });
  return lines > 1 ? Math.min(lines, MAX_LINES) * LINE_HEIGHT : undefined;
}
