import { showControlCharacters } from '../common/control-characters';
import { clip } from '../common/domain-error';
import { ColumnSpec, HeaderLocation, normalizeFreeText } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';

// The row errors of a sheet import, collected the same way for every kind: each problem named by
// the sheet's row, the column as written and the value as typed; a row's problems in the order of
// its columns; the report capped (the rest only counted, `errorsOmitted`); and duplicate keys
// named with the row that used the key first.

/** One problem in one cell: the sheet's own row number and the column header as written. */
export interface ImportRowError {
  row: number;
  column: string;
  value: string;
  code: string;
  message: string;
}

/** Something worth telling that does not stop the import (an unknown column). */
export interface ImportWarning {
  row: number;
  column: string;
  code: string;
  message: string;
}

/** A file with every row wrong would otherwise produce a report larger than the file. */
export const MAX_REPORTED_ERRORS = 1000;

/** What a row rule found: the column's key, a stable code, the Japanese message. */
export interface RowProblem {
  field: string;
  code: string;
  message: string;
  /** Shown as the value when the sheet has no such column (else the cell as typed is shown). */
  value?: unknown;
}

/** The part of a sheet row the collector reads: its number and its cells. */
export interface RowCells {
  rowNumber: number;
  cells: readonly CellValue[];
}

export const sheetMessages = {
  unknownColumn: (header: string) => `列「${header}」は取り込みの対象外です（無視しました）`,
  noRows: (headerRow: number) => `見出し行（${headerRow}行目）の下にデータの行がありません`,
};

/** Unknown columns, and a sheet with its header but no data rows (most likely a mistake). */
export function sheetWarnings(header: HeaderLocation, rows: number, unknownColumn: (header: string) => string = sheetMessages.unknownColumn): ImportWarning[] {
  const warnings: ImportWarning[] = header.unknownHeaders.map((unknown) => ({
    row: header.rowNumber,
    column: unknown.header,
    code: 'unknown_column',
    message: unknownColumn(unknown.header),
  }));
  if (rows === 0) warnings.push({ row: header.rowNumber, column: '', code: 'no_rows', message: sheetMessages.noRows(header.rowNumber) });
  return warnings;
}

export interface CollectorOptions {
  /** Default MAX_REPORTED_ERRORS. */
  maxReported?: number;
  /** The column a problem's field is shown on, when it differs from the field. */
  fieldColumn?: (field: string) => string;
}

interface Pending {
  row: number;
  position: number;
  order: number;
  cells: readonly CellValue[] | null;
  problem: RowProblem;
}

export class RowErrorCollector {
  /** Every problem found, reported or not: `summary.errors`. */
  count = 0;
  private readonly reported: ImportRowError[] = [];
  // Problems wait here until flush(): rules that look rows up per chunk report after the cell
  // checks, and the report is in sheet order before the cap is applied.
  private pending: Pending[] = [];
  private order = 0;
  private readonly firstRows = new Map<string, number>();
  private readonly templateHeaders: Map<string, string>;
  private readonly max: number;
  private readonly fieldColumn: (field: string) => string;

  constructor(
    private readonly header: HeaderLocation,
    columns: readonly ColumnSpec[],
    options: CollectorOptions = {},
  ) {
    this.templateHeaders = new Map(columns.map((column) => [column.key, column.header]));
    this.max = options.maxReported ?? MAX_REPORTED_ERRORS;
    this.fieldColumn = options.fieldColumn ?? ((field) => field);
  }

  /** A row's problems; each shows the row's cell of its column as typed. */
  addRow(row: RowCells, problems: readonly RowProblem[]): void {
    for (const problem of problems) this.push(row.rowNumber, row.cells, problem);
  }

  /** A problem shown with `problem.value` itself (a rule over the whole sheet, not one cell). */
  addAt(rowNumber: number, problem: RowProblem): void {
    this.push(rowNumber, null, problem);
  }

  /**
   * Duplicate-key detection: the row that used `key` first, or undefined when none did (then this
   * row is remembered as the first).
   */
  firstRow(key: string, rowNumber: number): number | undefined {
    const first = this.firstRows.get(key);
    if (first === undefined) this.firstRows.set(key, rowNumber);
    return first;
  }

  /** The column's header as written in the sheet, else the template's. */
  columnName(field: string): string {
    const key = this.fieldColumn(field);
    return this.header.headersAsWritten.get(key) || this.templateHeaders.get(key) || field;
  }

  /** The cell as the clerk typed it, cut and printable (a huge or control-character cell is named, not echoed whole). */
  asWritten(row: RowCells, field: string): string {
    const index = this.header.columnIndex.get(this.fieldColumn(field));
    return clip(showControlCharacters(normalizeFreeText(index === undefined ? null : (row.cells[index] ?? null))));
  }

  /** Moves what is pending into the report: by row, then column, in the order found, up to the cap. */
  flush(): void {
    if (!this.pending.length) return;
    const pending = this.pending;
    this.pending = [];
    pending.sort((a, b) => a.row - b.row || a.position - b.position || a.order - b.order);
    for (const entry of pending) {
      if (this.reported.length >= this.max) break;
      this.reported.push(this.toError(entry));
    }
  }

  /** The report once every row is checked: in sheet order, with how many were left out. */
  finish(): { errors: ImportRowError[]; errorsOmitted: number } {
    this.flush();
    // A rule over the whole sheet reports last, on any row: put it in its place (a stable sort).
    this.reported.sort((a, b) => a.row - b.row);
    return { errors: this.reported, errorsOmitted: this.count - this.reported.length };
  }

  private push(row: number, cells: readonly CellValue[] | null, problem: RowProblem): void {
    this.count++;
    // Past the cap only the count grows: every later row is past the reported ones.
    if (this.reported.length >= this.max) return;
    const position = this.header.columnIndex.get(this.fieldColumn(problem.field)) ?? Number.MAX_SAFE_INTEGER;
    this.pending.push({ row, position, order: this.order++, cells, problem });
  }

  private toError(entry: Pending): ImportRowError {
    const { problem } = entry;
    let value: string;
    if (entry.cells && this.header.columnIndex.has(this.fieldColumn(problem.field))) value = this.asWritten({ rowNumber: entry.row, cells: entry.cells }, problem.field);
    else value = clip(showControlCharacters(problem.value === null || problem.value === undefined ? '' : String(problem.value)));
    return { row: entry.row, column: this.columnName(problem.field), value, code: problem.code, message: problem.message };
  }
}
