import * as ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { drained, ExportAborted, WritableLike } from './back-pressure';
import { DEFAULT_WIDTH, HEADER_FILL, NUMBER_FORMAT, rowHeightFor, TableColumn, TableValue, THIN } from './cell-style';

// A streamed xlsx workbook and its table sheets: every sheet of the exports (the item sheets and
// the compliance workbook's) is a TableSheet.

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

