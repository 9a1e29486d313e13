import type { CellValue, SheetRow } from './sheet-reader';
import { columnLetter, SheetFormatError } from './sheet-errors';

export interface ColumnSpec {
  key: string;
  /** The Japanese header, as the template writes it. */
  header: string;
  aliases?: string[];
  required: boolean;
}

export interface HeaderLocation {
  rowNumber: number;
  /** key → 0-based index into SheetRow.cells. */
  columnIndex: Map<string, number>;
  /** key → the header text as written in the sheet (trimmed), for messages. */
  headersAsWritten: Map<string, string>;
  /** Non-empty header cells that match no column (0-based index, as written). */
  unknownHeaders: { column: number; header: string }[];
}

export const DEFAULT_HEADER_SCAN_ROWS = 20;

/**
 * Header text → comparison form: NFKC, no whitespace (line breaks in header cells included),
 * lower case (for English keys), and without the "required" marks templates add (※, *, (必須)).
 */
export function foldHeader(value: CellValue): string {
  if (value === null || value instanceof Date) return '';
  return String(value)
    .normalize('NFKC')
    .replace(/[\s\u200B\uFEFF]+/gu, '')
    .toLowerCase()
    .replace(/^[*※]+|[*※]+$/gu, '')
    .replace(/\((?:必須|任意)\)$/u, '');
}

function buildLookup(columns: ColumnSpec[]): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const column of columns) {
    for (const name of [column.header, column.key, ...(column.aliases ?? [])]) {
      const folded = foldHeader(name);
      if (!folded) continue;
      const existing = lookup.get(folded);
      if (existing !== undefined && existing !== column.key) {
        throw new Error(`Column specs clash: "${name}" names both ${existing} and ${column.key}`);
      }
      lookup.set(folded, column.key);
    }
  }
  return lookup;
}

interface RowMatch {
  row: SheetRow;
  /** key → every column where it appears. */
  positions: Map<string, number[]>;
  unknown: { column: number; header: string }[];
}

function matchRow(row: SheetRow, lookup: Map<string, string>): RowMatch {
  const positions = new Map<string, number[]>();
  const unknown: { column: number; header: string }[] = [];
  row.cells.forEach((cell, column) => {
    const folded = foldHeader(cell);
    if (!folded) return;
    const key = lookup.get(folded);
    if (key === undefined) {
      unknown.push({ column, header: String(cell).trim() });
      return;
    }
    const list = positions.get(key);
    if (list) list.push(column);
    else positions.set(key, [column]);
  });
  return { row, positions, unknown };
}

function asWritten(cell: CellValue | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell).trim();
}

/**
 * Finds the header row: the first of the first `maxScan` rows that holds every required header
 * (by Japanese header, English key or alias). Throws SheetFormatError `header_not_found` naming
 * the missing headers, or `duplicate_header` when the header row names a column twice.
 */
export function locateHeader(firstRows: SheetRow[], columns: ColumnSpec[], maxScan = DEFAULT_HEADER_SCAN_ROWS): HeaderLocation {
  const lookup = buildLookup(columns);
  const required = columns.filter((c) => c.required);
  let best: { match: RowMatch; found: number } | undefined;
  for (const row of firstRows.slice(0, maxScan)) {
    const match = matchRow(row, lookup);
    const found = required.filter((c) => match.positions.has(c.key)).length;
    if (found === required.length && match.positions.size > 0) return toLocation(match, columns);
    if (found > 0 && (best === undefined || found > best.found)) best = { match, found };
  }
  // Name what is missing from the row that came closest; with no candidate, every required header.
  const missing = required.filter((c) => !best?.match.positions.has(c.key));
  const names = missing.map((c) => c.header).join('・');
  throw new SheetFormatError('header_not_found', `見出し行が見つかりません（先頭${maxScan}行に ${names} が必要です）`, {
    missing: missing.map((c) => c.key),
    missingHeaders: missing.map((c) => c.header),
    closestRow: best?.match.row.rowNumber ?? null,
    scannedRows: Math.min(firstRows.length, maxScan),
  });
}

function toLocation(match: RowMatch, columns: ColumnSpec[]): HeaderLocation {
  const columnIndex = new Map<string, number>();
  const headersAsWritten = new Map<string, string>();
  for (const column of columns) {
    const at = match.positions.get(column.key);
    if (!at) continue;
    if (at.length > 1) {
      const written = asWritten(match.row.cells[at[0]]);
      const letters = at.map(columnLetter).join('列・');
      throw new SheetFormatError(
        'duplicate_header',
        `見出し「${written || column.header}」の列が複数あります（${match.row.rowNumber}行目の${letters}列）`,
        { key: column.key, header: column.header, row: match.row.rowNumber, columns: at },
      );
    }
    columnIndex.set(column.key, at[0]);
    headersAsWritten.set(column.key, asWritten(match.row.cells[at[0]]));
  }
  return { rowNumber: match.row.rowNumber, columnIndex, headersAsWritten, unknownHeaders: match.unknown };
}
