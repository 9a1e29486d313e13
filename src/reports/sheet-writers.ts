import * as ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { getProgram, programFields } from '../programs/program-definitions';
import { FieldDefinition, ProgramKey } from '../programs/program.types';
import { CSV_BOM, CsvCell, csvRecord } from './csv';
import {
  DATE_NUMBER_FORMAT,
  DATE_TIME_NUMBER_FORMAT,
  dateCellValue,
  DECIMAL_NUMBER_FORMAT,
  INTEGER_NUMBER_FORMAT,
  PERCENT_NUMBER_FORMAT,
} from './report-format';

// Writers of the exported sheets. An item sheet is the import layout (programFields: the same
// headers in the same order), so an exported sheet imports back with nothing changed: states and
// choices as their Japanese labels, dates as dates, integers as numbers, free text as stored.
// Both writers stream: rows go out a page at a time and wait while the output is full.

/** A cell of an item sheet before it is written: a date stays a date until the format decides. */
export type ExportValue = string | number | { date: string } | null;

/** A stored item as the exports read it: field key → stored value; `division` is the name to write, `status` a state key. */
export type ExportItem = Record<string, string | number | null>;

type StoredValue = string | number | null | undefined;

/** How one field's stored value becomes its cell: labels looked up in a map made once per program. */
function fieldConverter(program: ProgramKey, field: FieldDefinition): (value: string | number) => ExportValue {
  switch (field.kind) {
    case 'status': {
      const labels = new Map(getProgram(program).states.map((state) => [state.key, state.label]));
      return (value) => labels.get(String(value)) ?? String(value);
    }
    case 'choice': {
      const labels = new Map((field.choices ?? []).map((choice) => [choice.key, choice.label]));
      return (value) => labels.get(String(value)) ?? String(value);
    }
    case 'date':
      return (value) => ({ date: String(value) });
    case 'integer':
      return (value) => (typeof value === 'number' ? value : Number(value));
    default:
      // code, division and free text: exactly as stored
      return (value) => String(value);
  }
}

interface SheetField {
  key: string;
  convert: (value: string | number) => ExportValue;
}

// An export converts every row of a program the same way: the fields and their converters are
// built once per program, not per row.
const SHEET_FIELDS = new Map<ProgramKey, SheetField[]>();

function sheetFields(program: ProgramKey): SheetField[] {
  let fields = SHEET_FIELDS.get(program);
  if (!fields) {
    fields = programFields(program).map((field) => ({ key: field.key, convert: fieldConverter(program, field) }));
    SHEET_FIELDS.set(program, fields);
  }
  return fields;
}

function exportValue(field: SheetField, value: StoredValue): ExportValue {
  return value === null || value === undefined || value === '' ? null : field.convert(value);
}

/** The row of an item, in the columns of its program's sheet. */
export function itemSheetValues(program: ProgramKey, item: ExportItem): ExportValue[] {
  const fields = sheetFields(program);
  const values = new Array<ExportValue>(fields.length);
  for (let index = 0; index < fields.length; index++) values[index] = exportValue(fields[index], item[fields[index].key]);
  return values;
}

/** The headers of a program's sheet, in order. */
export function itemSheetHeaders(program: ProgramKey): string[] {
  return programFields(program).map((field) => field.header);
}

/** CSV writes a date as 2026-04-01. */
export function toCsvCells(values: readonly ExportValue[]): CsvCell[] {
  return values.map((value) => (value !== null && typeof value === 'object' ? value.date : value));
}

/** xlsx writes a date as a date cell. */
export function toXlsxCells(values: readonly ExportValue[]): TableValue[] {
  return values.map((value) => (value !== null && typeof value === 'object' ? dateCellValue(value.date) : value));
}

// ---------------------------------------------------------------------------
// Back-pressure

/** The download was abandoned (the client went away): stop reading the database. */
export class ExportAborted extends Error {
  constructor() {
    super('export aborted: the output was closed');
    this.name = 'ExportAborted';
  }
}

/** A writable stream, Node's own or an older readable-stream one (archiver's). */
export type WritableLike = Pick<Writable, 'on' | 'off' | 'destroyed'> & {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
};

function needsDrain(out: WritableLike): boolean {
  return out.writableNeedDrain ?? out._writableState?.needDrain ?? false;
}

/** Resolves once `out` can take more; rejects if it closes or fails first. */
export function drained(out: WritableLike): Promise<void> {
  if (out.destroyed) return Promise.reject(new ExportAborted());
  if (!needsDrain(out)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new ExportAborted());
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}

// ---------------------------------------------------------------------------
// CSV

/** A CSV item sheet: BOM, the header line, then one record per item, CRLF. */
export class CsvItemWriter {
  private rows = 0;
  constructor(
    private readonly program: ProgramKey,
    private readonly out: Writable,
  ) {}

  async start(): Promise<void> {
    await this.write(CSV_BOM + csvRecord(itemSheetHeaders(this.program)));
  }

  async writeItems(items: readonly ExportItem[]): Promise<void> {
    if (!items.length) return;
    this.rows += items.length;
    await this.write(items.map((item) => csvRecord(toCsvCells(itemSheetValues(this.program, item)))).join(''));
  }

  get rowCount(): number {
    return this.rows;
  }

  private async write(text: string): Promise<void> {
    if (this.out.destroyed) throw new ExportAborted();
    this.out.write(text);
    await drained(this.out);
  }
}

// ---------------------------------------------------------------------------
// xlsx

export type TableValue = string | number | Date | null;

/** How a column's cells are formatted; user text is always a string cell, never a formula. */
export type ColumnKind = 'text' | 'code' | 'longText' | 'date' | 'dateTime' | 'integer' | 'decimal' | 'percent';

export interface TableColumn {
  header: string;
  kind: ColumnKind;
  /** In characters; default by kind. */
  width?: number;
}

const DEFAULT_WIDTH: Record<ColumnKind, number> = {
  text: 16,
  code: 14,
  longText: 40,
  date: 12,
  dateTime: 16,
  integer: 10,
  decimal: 11,
  percent: 10,
};

const NUMBER_FORMAT: Partial<Record<ColumnKind, string>> = {
  // '@' keeps a code typed later as text, so 001 keeps its zeros
  code: '@',
  date: DATE_NUMBER_FORMAT,
  dateTime: DATE_TIME_NUMBER_FORMAT,
  integer: INTEGER_NUMBER_FORMAT,
  decimal: DECIMAL_NUMBER_FORMAT,
  percent: PERCENT_NUMBER_FORMAT,
};

const ITEM_FIELD_WIDTH: Record<string, number> = { name: 40, note: 36, legalBasis: 30, division: 22, status: 14, article: 18, category: 16, channel: 18 };

/** The columns of a program's item sheet: kinds and widths per field. */
export function itemSheetColumns(program: ProgramKey): TableColumn[] {
  return programFields(program).map((field) => {
    const kind: ColumnKind =
      field.kind === 'date'
        ? 'date'
        : field.kind === 'integer'
          ? 'integer'
          : field.kind === 'code'
            ? 'code'
            : field.key === 'name' || field.key === 'note' || field.key === 'legalBasis'
              ? 'longText'
              : 'text';
    return { header: field.header, kind, width: ITEM_FIELD_WIDTH[field.key] };
  });
}

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

export interface TableSheetOptions {
  /** Row 1: what the sheet is, with its as-of date. */
  title: string;
  /** Row 2 when given: filters, the period. */
  subtitle?: string;
  columns: TableColumn[];
  /** The download the workbook streams into: the sheet waits while it is full. */
  out?: Writable;
  /** A header row above the column headers naming groups of columns (部局別: one per program). */
  groups?: { label: string; span: number }[];
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF8EA9DB' } };

/**
 * One worksheet of a streamed workbook, readable on first open: a title, bold headers with a
 * fill, frozen under the header, an auto-filter over the data, widths by kind, dates and
 * percentages formatted, and A4 landscape printing fitted to the width with the headers repeated.
 */
export class TableSheet {
  readonly sheet: ExcelJS.Worksheet;
  readonly headerRow: number;
  private lastRow: number;
  private committedRow: number;
  /** The last row of the data once total rows follow it: the filter ends there. */
  private lastDataRow: number | undefined;
  /**
   * The style of each column's data cells, one frozen object shared by all of them: exceljs
   * remembers a style's id by object identity, so a shared object is looked up once, where a
   * cell's own copy would be serialized to XML again for every cell (the export's largest cost).
   * That id ignores the value's type, so a column holds one kind of value (dates in date columns).
   */
  private readonly cellStyles: Readonly<Partial<ExcelJS.Style>>[];

  constructor(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    name: string,
    private readonly options: TableSheetOptions,
  ) {
    const titleRows = options.subtitle ? 2 : 1;
    const groupRows = options.groups ? 1 : 0;
    // A blank row between the title and the table, so the filter range is clearly the table.
    this.headerRow = titleRows + 1 + groupRows + 1;
    this.lastRow = this.headerRow;
    this.committedRow = this.headerRow;
    this.sheet = workbook.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: this.headerRow, topLeftCell: `A${this.headerRow + 1}`, activeCell: `A${this.headerRow + 1}` }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0, // as many pages down as it takes
        printTitlesRow: `${this.headerRow - groupRows}:${this.headerRow}`,
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: '&P / &N ページ', oddHeader: `&L${escapeHeaderFooter(name)}&R${escapeHeaderFooter(options.title)}` },
    } as Partial<ExcelJS.AddWorksheetOptions>);
    this.cellStyles = options.columns.map((column) =>
      Object.freeze({
        ...(NUMBER_FORMAT[column.kind] ? { numFmt: NUMBER_FORMAT[column.kind] } : {}),
        alignment: Object.freeze({ vertical: 'top', wrapText: column.kind === 'longText' }) as Partial<ExcelJS.Alignment>,
      }),
    );
    this.sheet.columns = options.columns.map((column, index) => ({
      width: column.width ?? DEFAULT_WIDTH[column.kind],
      style: { ...this.cellStyles[index] },
    }));

    const title = this.sheet.getRow(1);
    title.getCell(1).value = options.title;
    title.getCell(1).font = { bold: true, size: 13 };
    title.getCell(1).alignment = { vertical: 'middle', wrapText: false };
    title.commit();
    if (options.subtitle) {
      const subtitle = this.sheet.getRow(2);
      subtitle.getCell(1).value = options.subtitle;
      subtitle.getCell(1).alignment = { vertical: 'middle', wrapText: false };
      subtitle.commit();
    }
    if (options.groups) {
      const row = this.sheet.getRow(this.headerRow - 1);
      let column = 1;
      for (const group of options.groups) {
        const cell = row.getCell(column);
        cell.value = group.label;
        this.styleHeader(cell);
        for (let extra = 1; extra < group.span; extra++) this.styleHeader(row.getCell(column + extra));
        if (group.span > 1) this.sheet.mergeCells(this.headerRow - 1, column, this.headerRow - 1, column + group.span - 1);
        column += group.span;
      }
      row.commit();
    }
    const header = this.sheet.getRow(this.headerRow);
    options.columns.forEach((column, index) => {
      const cell = header.getCell(index + 1);
      cell.value = column.header;
      this.styleHeader(cell);
    });
    header.commit();
  }

  private styleHeader(cell: ExcelJS.Cell): void {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.numFmt = 'General';
  }

  /**
   * Adds one data row. Strings are written as string cells (never formulas); Date values as dates.
   * Its cells share their column's style: give one cell a look of its own with `styleCell`.
   */
  addRow(values: readonly TableValue[]): ExcelJS.Row {
    this.lastRow++;
    const row = this.sheet.getRow(this.lastRow);
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      if (value === null || value === undefined) continue;
      const cell = row.getCell(index + 1);
      cell.style = this.cellStyles[index] as Partial<ExcelJS.Style>;
      cell.value = value;
    }
    const height = rowHeightFor(values, this.options.columns);
    if (height) row.height = height;
    return row;
  }

  /** Gives a cell of a data row its own style: the column's, with `style` over it. */
  styleCell(cell: ExcelJS.Cell, style: Partial<ExcelJS.Style>): void {
    cell.style = { ...cell.style, ...style };
  }

  /**
   * A total row below the data rows: bold, with a rule above the first one, and outside the
   * auto-filter, so sorting or filtering the table leaves the totals where they are.
   */
  addTotalRow(values: readonly TableValue[]): ExcelJS.Row {
    const first = this.lastDataRow === undefined;
    this.lastDataRow ??= this.lastRow;
    const row = this.addRow(values);
    for (let column = 1; column <= this.options.columns.length; column++) {
      this.styleCell(row.getCell(column), first ? { font: { bold: true }, border: { top: THIN } } : { font: { bold: true } });
    }
    return row;
  }

  /** Commits the rows so far and waits while the zip or the download is behind. */
  async flush(): Promise<void> {
    // Rows are written out in order up to the one committed; a committed row cannot be asked for again.
    if (this.lastRow > this.committedRow) {
      this.sheet.getRow(this.lastRow).commit();
      this.committedRow = this.lastRow;
    }
    for (const input of zipInputs(this.sheet)) await drained(input);
    if (this.options.out) await drained(this.options.out);
  }

  get dataRows(): number {
    return (this.lastDataRow ?? this.lastRow) - this.headerRow;
  }

  /** Sets the filter over the rows written, adds `notes` below the table (outside the filter) and writes the sheet out. */
  finish(notes: readonly string[] = []): void {
    this.sheet.autoFilter = {
      from: { row: this.headerRow, column: 1 },
      to: { row: this.lastDataRow ?? this.lastRow, column: this.options.columns.length },
    };
    let row = this.lastRow + 1;
    for (const note of notes) {
      const cell = this.sheet.getRow(++row).getCell(1);
      cell.value = note;
      cell.font = { size: 9, color: { argb: 'FF595959' } };
      cell.alignment = { vertical: 'top', wrapText: false };
    }
    this.sheet.commit();
  }
}

/**
 * The streams the sheet's XML is compressed from. exceljs's streaming writer (4.4) buffers a
 * sheet in a StreamBuf that ignores back-pressure and pipes into archiver's input stream, so a
 * sheet written faster than it is deflated (or than the download takes it) piles up in memory.
 * Waiting for those inputs to drain after each page keeps memory flat. Reached through
 * exceljs's internals, defensively: without them the writer still works, only unthrottled.
 */
export function zipInputs(sheet: ExcelJS.Worksheet): WritableLike[] {
  const stream = (sheet as unknown as { stream?: { pipes?: unknown } }).stream;
  const pipes = Array.isArray(stream?.pipes) ? (stream.pipes as unknown[]) : [];
  // archiver's PassThrough comes from readable-stream 2, not node:stream: recognized by shape.
  return pipes.filter(
    (pipe): pipe is WritableLike =>
      typeof pipe === 'object' && pipe !== null && typeof (pipe as WritableLike).on === 'function' && typeof (pipe as WritableLike)._writableState === 'object',
  );
}

/** '&' starts a code in print headers and footers. */
function escapeHeaderFooter(text: string): string {
  return text.replace(/&/g, '&&');
}

/** A streamed workbook writing into `out`: no shared-strings table, so memory stays flat. */
export function streamingWorkbook(out: Writable): ExcelJS.stream.xlsx.WorkbookWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'procedure-dx-tracker';
  return workbook;
}

/** Finishes the zip; gives up (ExportAborted) if the download is closed before it is all written. */
export async function commitWorkbook(workbook: ExcelJS.stream.xlsx.WorkbookWriter, out: Writable): Promise<void> {
  let onClose!: () => void;
  const closed = new Promise<never>((_, reject) => {
    onClose = () => {
      if (!out.writableFinished) reject(new ExportAborted());
    };
    out.once('close', onClose);
  });
  closed.catch(() => undefined); // settled through the race below
  try {
    await Promise.race([workbook.commit(), closed]);
  } finally {
    out.off('close', onClose);
  }
}

/** The item sheet of a program inside a streamed workbook. */
export class XlsxItemWriter {
  readonly table: TableSheet;
  constructor(
    private readonly program: ProgramKey,
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    sheetName: string,
    options: { title: string; subtitle?: string; out?: Writable },
  ) {
    this.table = new TableSheet(workbook, sheetName, { ...options, columns: itemSheetColumns(program) });
  }

  async writeItems(items: readonly ExportItem[]): Promise<void> {
    for (const item of items) this.table.addRow(toXlsxCells(itemSheetValues(this.program, item)));
    await this.table.flush();
  }

  get rowCount(): number {
    return this.table.dataRows;
  }

  finish(): void {
    this.table.finish();
  }
}
