import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { readCsvRows } from './csv-reader';
import { sheetErrors, SheetFormatError } from './sheet-errors';
import { listXlsxSheets, readXlsxRows } from './xlsx-reader';

export type CellValue = string | number | boolean | Date | null;

export interface SheetRow {
  /** The sheet's own row number: 1 = the first line (CSV) or row (xlsx) of the file. */
  rowNumber: number;
  /** Cells left to right (index 0 = column A); empty cells are null; trailing empties are dropped. */
  cells: CellValue[];
}

export type SheetFormat = 'csv' | 'xlsx';

export interface ReadOptions {
  /** Else from magic bytes (PK\x03\x04 = xlsx) or the extension; anything else is read as CSV. */
  format?: SheetFormat;
  /** xlsx: the sheet to read (exact name, else matched after NFKC / spaces / case folding). */
  sheetName?: string;
  /** xlsx default sheet: the first of these that exists, else the first visible sheet. */
  preferredSheetNames?: string[];
  /** Default 200: a row with a value beyond this column is refused (`too_many_columns`). */
  maxColumns?: number;
  /** Default 1,000,000 non-empty rows (`too_many_rows`). */
  maxRows?: number;
  /** Default 256 MiB for the file itself (`file_too_large`). */
  maxFileBytes?: number;
  /** xlsx: default 512 MiB for the sum of the zip entries once inflated (`file_too_large`). */
  maxUncompressedBytes?: number;
  /**
   * CSV only: applied to every text cell as it is read (the item import undoes the exports'
   * formula neutralizing with it). An xlsx cell is typed, so it never goes through this.
   */
  csvText?: (text: string) => string;
  /**
   * Called every few hundred rows read, blank ones included, so a caller can stop the work (the
   * client went away, the time budget is spent): whatever it throws ends the read as it is.
   */
  checkpoint?: () => void;
  /** Filled in as the read goes with the work it did, so tests can bound work instead of time. */
  stats?: SheetReadStats;
}

/** The work a read has done (see ReadOptions.stats); `newReadStats()` gives a zeroed one. */
export interface SheetReadStats {
  /** Bytes of the file the row parser consumed (CSV: decoded; xlsx: streamed to exceljs). */
  bytesRead: number;
  /** xlsx: bytes inflated while checking the zip, before exceljs reads anything. */
  bytesInflated: number;
  /** Records the row parser produced, blank ones included. */
  records: number;
}

export function newReadStats(): SheetReadStats {
  return { bytesRead: 0, bytesInflated: 0, records: 0 };
}

export const SHEET_READ_DEFAULTS = {
  maxColumns: 200,
  maxRows: 1_000_000,
  maxFileBytes: 256 * 1024 * 1024,
  maxUncompressedBytes: 512 * 1024 * 1024,
  maxZipEntries: 10_000,
} as const;

const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);
const LEGACY_EXCEL_EXTENSIONS = new Set(['.xls', '.xlsb', '.ods', '.numbers']);

function positiveLimit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer: ${value}`);
  return value;
}

async function readMagic(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buffer, 0, 8, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
// OLE compound file: .xls, and also an xlsx saved with a password (Excel encrypts into OLE).
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

interface CheckedFile {
  format: SheetFormat;
}

async function checkFile(path: string, options: ReadOptions, maxFileBytes: number): Promise<CheckedFile> {
  let size: number;
  let magic: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw sheetErrors.unreadable('not_a_file');
    size = info.size;
    magic = await readMagic(path);
  } catch (err) {
    if (err instanceof SheetFormatError) throw err;
    throw sheetErrors.unreadable('open_failed', err, 'ファイルを開けません');
  }
  if (size > maxFileBytes) throw sheetErrors.fileTooLarge(maxFileBytes, 'file', size);
  const isZip = magic.subarray(0, 4).equals(ZIP_MAGIC) || magic.subarray(0, 4).equals(EMPTY_ZIP_MAGIC);
  const isOle = magic.equals(OLE_MAGIC);
  if (options.format === 'xlsx') {
    if (isOle) throw sheetErrors.legacyExcel();
    if (!isZip) throw sheetErrors.unreadable('not_a_zip');
    return { format: 'xlsx' };
  }
  if (options.format === 'csv') return { format: 'csv' };
  // Magic bytes win over the extension: uploads arrive under temporary names, and clerks rename.
  if (isZip) return { format: 'xlsx' };
  if (isOle) throw sheetErrors.legacyExcel();
  const ext = extname(path).toLowerCase();
  if (XLSX_EXTENSIONS.has(ext)) throw sheetErrors.unreadable('not_a_zip');
  if (LEGACY_EXCEL_EXTENSIONS.has(ext)) throw sheetErrors.unsupportedFormat({ extension: ext });
  return { format: 'csv' };
}

/**
 * Streams the rows of a CSV or xlsx file, skipping rows with no value. Whole-file problems reject
 * with SheetFormatError; nothing is read before the first `next()`.
 */
export async function* readSheet(path: string, options: ReadOptions = {}): AsyncGenerator<SheetRow, void, undefined> {
  const maxColumns = positiveLimit(options.maxColumns, SHEET_READ_DEFAULTS.maxColumns, 'maxColumns');
  const maxRows = positiveLimit(options.maxRows, SHEET_READ_DEFAULTS.maxRows, 'maxRows');
  const maxFileBytes = positiveLimit(options.maxFileBytes, SHEET_READ_DEFAULTS.maxFileBytes, 'maxFileBytes');
  const maxUncompressedBytes = positiveLimit(options.maxUncompressedBytes, SHEET_READ_DEFAULTS.maxUncompressedBytes, 'maxUncompressedBytes');
  const { format } = await checkFile(path, options, maxFileBytes);
  if (format === 'csv') {
    const csvText = options.csvText;
    const limits = { maxColumns, maxRows, checkpoint: options.checkpoint, stats: options.stats };
    if (!csvText) {
      yield* readCsvRows(path, limits);
    } else {
      for await (const row of readCsvRows(path, limits)) {
        yield { rowNumber: row.rowNumber, cells: row.cells.map((cell) => (typeof cell === 'string' ? csvText(cell) : cell)) };
      }
    }
  } else {
    const limits = { maxColumns, maxRows, maxUncompressedBytes, maxEntries: SHEET_READ_DEFAULTS.maxZipEntries, checkpoint: options.checkpoint, stats: options.stats };
    yield* readXlsxRows(path, limits, options.sheetName, options.preferredSheetNames);
  }
}

/**
 * Sheet names in workbook order (hidden ones included). A CSV has none: []. Reads only the zip
 * directory and xl/workbook.xml.
 */
export async function listSheetNames(path: string, options: Pick<ReadOptions, 'format' | 'maxFileBytes' | 'maxUncompressedBytes'> = {}): Promise<string[]> {
  const maxFileBytes = positiveLimit(options.maxFileBytes, SHEET_READ_DEFAULTS.maxFileBytes, 'maxFileBytes');
  const { format } = await checkFile(path, options, maxFileBytes);
  if (format === 'csv') return [];
  const sheets = await listXlsxSheets(path, {
    maxUncompressedBytes: positiveLimit(options.maxUncompressedBytes, SHEET_READ_DEFAULTS.maxUncompressedBytes, 'maxUncompressedBytes'),
    maxEntries: SHEET_READ_DEFAULTS.maxZipEntries,
  });
  return sheets.map((s) => s.name);
}
