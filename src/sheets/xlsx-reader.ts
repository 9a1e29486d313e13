import * as ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { CellValue, SheetRow } from './sheet-reader';
import { sheetErrors, SheetFormatError } from './sheet-errors';
import { inspectZip, ZipLimits } from './zip-inspect';

export interface XlsxSheetInfo {
  name: string;
  hidden: boolean;
  /** Zip path of the sheet part, e.g. xl/worksheets/sheet1.xml. */
  partPath: string;
}

export interface XlsxReadLimits extends ZipLimits {
  maxColumns: number;
  maxRows: number;
}

const WORKBOOK_PART = 'xl/workbook.xml';
const WORKBOOK_RELS_PART = 'xl/_rels/workbook.xml.rels';
// The only worksheet part names exceljs's streaming reader recognizes.
const WORKSHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, ref: string) => {
    switch (ref) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
    }
  });
}

function attributes(tagBody: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tagBody.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out.set(m[1], decodeXmlEntities(m[2] ?? m[3] ?? ''));
  }
  return out;
}

function resolvePartPath(target: string): string {
  const absolute = target.startsWith('/');
  const parts = (absolute ? target.slice(1) : `xl/${target}`).split('/');
  const resolved: string[] = [];
  for (const part of parts) {
    if (part === '..') resolved.pop();
    else if (part !== '.' && part !== '') resolved.push(part);
  }
  return resolved.join('/');
}

/** Sheets in workbook order, from xl/workbook.xml and its relationships. */
export function parseWorkbookSheets(workbookXml: string, relsXml: string): XlsxSheetInfo[] {
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\s([^>]*?)\/?>/g)) {
    const attrs = attributes(m[1]);
    const id = attrs.get('Id');
    const target = attrs.get('Target');
    if (id && target) targets.set(id, resolvePartPath(target));
  }
  const sheets: XlsxSheetInfo[] = [];
  for (const m of workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\s([^>]*?)\/?>/g)) {
    const attrs = attributes(m[1]);
    const name = attrs.get('name');
    // The relationship id attribute is r:id, whatever prefix the writer bound to that namespace.
    const relId = [...attrs.entries()].find(([key]) => key.endsWith(':id'))?.[1];
    if (name === undefined || relId === undefined) continue;
    const state = attrs.get('state');
    sheets.push({ name, hidden: state === 'hidden' || state === 'veryHidden', partPath: targets.get(relId) ?? '' });
  }
  return sheets;
}

function foldSheetName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

function findSheet(sheets: XlsxSheetInfo[], wanted: string): XlsxSheetInfo | undefined {
  // Exact name first; then a forgiving match (全角/半角, spaces, case), as clerks type sheet names.
  return sheets.find((s) => s.name === wanted) ?? sheets.find((s) => foldSheetName(s.name) === foldSheetName(wanted));
}

export function chooseSheet(sheets: XlsxSheetInfo[], sheetName?: string, preferredSheetNames?: string[]): XlsxSheetInfo {
  const names = sheets.map((s) => s.name);
  if (sheetName !== undefined) {
    const found = findSheet(sheets, sheetName);
    if (!found) throw sheetErrors.sheetNotFound(sheetName, names);
    return found;
  }
  for (const preferred of preferredSheetNames ?? []) {
    const found = findSheet(sheets, preferred);
    if (found) return found;
  }
  // Hidden sheets hold drop-down lists and the like, not the data a clerk filled in.
  const first = sheets.find((s) => !s.hidden) ?? sheets[0];
  if (!first) throw sheetErrors.sheetNotFound(undefined, names);
  return first;
}

async function inspectWorkbook(path: string, limits: ZipLimits, verifyAll: boolean): Promise<XlsxSheetInfo[]> {
  const { entries, texts } = await inspectZip(path, limits, { verifyAll, collect: [WORKBOOK_PART, WORKBOOK_RELS_PART] });
  const workbookXml = texts.get(WORKBOOK_PART);
  if (workbookXml === undefined) throw sheetErrors.unreadable('not_an_xlsx_workbook');
  const sheets = parseWorkbookSheets(workbookXml, texts.get(WORKBOOK_RELS_PART) ?? '');
  const present = new Set(entries.map((e) => e.name));
  // A sheet whose part is missing cannot be read; keep it listed so the message can name it.
  return sheets.map((s) => (present.has(s.partPath) ? s : { ...s, partPath: '' }));
}

export async function listXlsxSheets(path: string, limits: ZipLimits): Promise<XlsxSheetInfo[]> {
  return inspectWorkbook(path, limits, false);
}

// ---------------------------------------------------------------------------------------------
// exceljs 4.4's streaming reader decodes every zip chunk with a fresh TextDecoder, so a multibyte
// character split between two chunks turns into U+FFFD (a 20,000-row sheet of Japanese text loses
// a dozen characters). We wrap its per-part parse methods on our instance to hand it text that was
// decoded across chunk boundaries, and to skip the sheets we do not read.

type PartStream = NodeJS.ReadableStream & { setEncoding(encoding: BufferEncoding): unknown };

interface WorkbookReaderInternals {
  _parseRels(entry: PartStream): Promise<void>;
  _parseWorkbook(entry: PartStream): Promise<void>;
  _parseStyles(entry: PartStream): Promise<void>;
  _parseSharedStrings(entry: PartStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

async function* decodeUtf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

function releaseSkipped(iterator: AsyncIterable<Buffer | string>): void {
  // Deferred sheets arrive as file streams on exceljs's temp files: close them. A zip entry is
  // drained by exceljs itself once we return without reading it.
  const maybeStream = iterator as { destroy?: () => void };
  if (typeof maybeStream.destroy === 'function') maybeStream.destroy();
}

function patchWorkbookReader(reader: ExcelJS.stream.xlsx.WorkbookReader, targetSheetNo: string): void {
  const internals = reader as unknown as WorkbookReaderInternals;
  const proto = Object.getPrototypeOf(reader) as Partial<WorkbookReaderInternals>;
  for (const method of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'] as const) {
    if (typeof proto[method] !== 'function') throw new Error(`exceljs WorkbookReader.${method} is missing: the sheets reader needs updating`);
  }
  const wrapEntry = <K extends '_parseRels' | '_parseWorkbook' | '_parseStyles' | '_parseSharedStrings'>(method: K): void => {
    const original = proto[method] as (this: unknown, entry: PartStream) => ReturnType<WorkbookReaderInternals[K]>;
    internals[method] = function (this: unknown, entry: PartStream) {
      // A stream with an encoding uses a StringDecoder, which keeps split characters together.
      entry.setEncoding('utf8');
      return original.call(this, entry);
    } as WorkbookReaderInternals[K];
  };
  wrapEntry('_parseRels');
  wrapEntry('_parseWorkbook');
  wrapEntry('_parseStyles');
  wrapEntry('_parseSharedStrings');
  const originalWorksheet = proto._parseWorksheet as WorkbookReaderInternals['_parseWorksheet'];
  internals._parseWorksheet = function* (this: unknown, iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
    if (String(sheetNo) !== targetSheetNo) {
      releaseSkipped(iterator);
      return;
    }
    yield* originalWorksheet.call(this, decodeUtf8Chunks(iterator), sheetNo);
  };
}

interface RichTextRun {
  text?: unknown;
}

/** exceljs cell values → plain values: rich text, hyperlinks and formula results flattened. */
export function flattenCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      const text = (v.richText as RichTextRun[]).map((run) => (typeof run?.text === 'string' ? run.text : '')).join('');
      return text === '' ? null : text;
    }
    if ('formula' in v || 'sharedFormula' in v) return flattenCellValue(v.result);
    if ('error' in v) return typeof v.error === 'string' ? v.error : null;
    if ('text' in v) return flattenCellValue(v.text);
  }
  return null;
}

function rowToCells(row: ExcelJS.Row, rowNumber: number, maxColumns: number): CellValue[] {
  const cells: CellValue[] = [];
  let width = 0;
  row.eachCell((cell, col) => {
    const value = flattenCellValue(cell.value);
    if (value === null) return;
    if (col > maxColumns) throw sheetErrors.tooManyColumns(rowNumber, maxColumns);
    cells[col - 1] = value;
    width = Math.max(width, col);
  });
  // eachCell skips holes; a sparse array would surprise callers.
  for (let i = 0; i < width; i++) if (cells[i] === undefined) cells[i] = null;
  cells.length = width;
  return cells;
}

function isBlankRow(cells: CellValue[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

export async function* readXlsxRows(
  path: string,
  limits: XlsxReadLimits,
  sheetName?: string,
  preferredSheetNames?: string[],
): AsyncGenerator<SheetRow, void, undefined> {
  const sheets = await inspectWorkbook(path, limits, true);
  const sheet = chooseSheet(sheets, sheetName, preferredSheetNames);
  const partMatch = WORKSHEET_PART.exec(sheet.partPath);
  if (!partMatch) {
    // A chart sheet, or a part name exceljs does not stream.
    throw sheetErrors.unreadable('sheet_part_not_readable', undefined, `シート「${sheet.name}」は表のシートとして読み込めません`);
  }

  const file = createReadStream(path);
  const input = new PassThrough();
  let readError: unknown;
  // exceljs pipes its input without listening for errors; end the input instead so its parser
  // fails on a short archive rather than waiting forever.
  file.on('error', (err) => {
    readError = err;
    input.end();
  });
  file.pipe(input);

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles carry the number formats that tell a date cell from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  patchWorkbookReader(reader, partMatch[1]);

  let found = false;
  let rows = 0;
  try {
    for await (const worksheet of reader) {
      found = true;
      let lastRowNumber = 0;
      for await (const row of worksheet) {
        // Some writers omit r="…" on rows; count on from the previous one then.
        const rowNumber = Number.isInteger(row.number) && row.number > lastRowNumber ? row.number : lastRowNumber + 1;
        lastRowNumber = rowNumber;
        const cells = rowToCells(row, rowNumber, limits.maxColumns);
        if (isBlankRow(cells)) continue;
        if (++rows > limits.maxRows) throw sheetErrors.tooManyRows(limits.maxRows);
        yield { rowNumber, cells };
      }
      break;
    }
  } catch (err) {
    if (err instanceof SheetFormatError) throw err;
    throw sheetErrors.unreadable(readError ? 'read_failed' : 'xlsx_parse_failed', readError ?? err);
  } finally {
    file.destroy();
    input.destroy();
  }
  if (!found) throw sheetErrors.unreadable('worksheet_part_not_streamed');
}
