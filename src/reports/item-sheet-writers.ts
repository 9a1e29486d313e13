import type * as ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { ExportItem, ExportValue, itemSheetHeaders, itemSheetValues } from '../items/item-sheet';
import { drained, ExportAborted } from '../sheets/back-pressure';
import { ColumnKind, TableColumn, TableValue } from '../sheets/cell-style';
import { CSV_BOM, CsvCell, csvRecord } from '../sheets/csv-writer';
import { dateCellValue } from '../sheets/xlsx-cells';
import { TableSheet } from '../sheets/table-sheet';

// Writers of a program's item sheet, CSV and xlsx: the import layout (items/item-sheet.ts), so
// an exported sheet imports back with nothing changed. Both stream: rows go out a page at a time
// and wait while the output is full.

/** CSV writes a date as 2026-04-01. */
export function toCsvCells(values: readonly ExportValue[]): CsvCell[] {
  return values.map((value) => (value !== null && typeof value === 'object' ? value.date : value));
}

/** xlsx writes a date as a date cell. */
export function toXlsxCells(values: readonly ExportValue[]): TableValue[] {
  return values.map((value) => (value !== null && typeof value === 'object' ? dateCellValue(value.date) : value));
}


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
