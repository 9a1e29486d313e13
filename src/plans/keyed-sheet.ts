import { showControlCharacters } from '../common/control-characters';
import { clip } from '../common/domain-error';
import { ColumnSpec, DEFAULT_HEADER_SCAN_ROWS, HeaderLocation, locateHeader, normalizeFreeText, readSheet, ReadOptions, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';

// A small sheet (the plan's 月/計画件数, the volumes' 件数) read through src/sheets: the header row
// is located among the first rows, then each data row comes as cells by column key.

export interface KeyedRow {
  /** The sheet's own row number (1 = the file's first line or row). */
  rowNumber: number;
  cells: Record<string, CellValue>;
}

export interface KeyedSheet {
  header: HeaderLocation;
  /** The column's header as written in the sheet (else the template's), for row errors. */
  columnName(key: string): string;
  /** The cell as the clerk typed it, for the `value` of a row error. */
  asWritten(row: KeyedRow, key: string): string;
  /** Data rows below the header; rows with no value in any known column are skipped. */
  rows: AsyncGenerator<KeyedRow, void, undefined>;
}

function isBlank(cell: CellValue | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

export async function openKeyedSheet(path: string, columns: ColumnSpec[], options: ReadOptions = {}): Promise<KeyedSheet> {
  const source = readSheet(path, options);
  const head: SheetRow[] = [];
  let header: HeaderLocation;
  try {
    while (head.length < DEFAULT_HEADER_SCAN_ROWS) {
      const next = await source.next();
      if (next.done) break;
      head.push(next.value);
    }
    header = locateHeader(head, columns);
  } catch (error) {
    await source.return(undefined);
    throw error;
  }
  const toKeyed = (row: SheetRow): KeyedRow | null => {
    const cells: Record<string, CellValue> = {};
    let any = false;
    for (const [key, index] of header.columnIndex) {
      cells[key] = row.cells[index] ?? null;
      if (!isBlank(cells[key])) any = true;
    }
    return any ? { rowNumber: row.rowNumber, cells } : null;
  };
  async function* rows(): AsyncGenerator<KeyedRow, void, undefined> {
    for (const row of head) {
      const keyed = row.rowNumber > header.rowNumber ? toKeyed(row) : null;
      if (keyed) yield keyed;
    }
    for await (const row of source) {
      const keyed = toKeyed(row);
      if (keyed) yield keyed;
    }
  }
  const byKey = new Map(columns.map((column) => [column.key, column.header]));
  return {
    header,
    columnName: (key) => header.headersAsWritten.get(key) || byKey.get(key) || key,
    // Cut and printable: a huge or control-character cell is named, not echoed whole.
    asWritten: (row, key) => clip(showControlCharacters(normalizeFreeText(row.cells[key] ?? null))),
    rows: rows(),
  };
}
