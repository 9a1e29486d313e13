import * as ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { CellValue, SheetReadStats, SheetRow } from './sheet-reader';
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
  /** Called every CHECKPOINT_EVERY rows, blank ones included; what it throws ends the read as is. */
  checkpoint?: () => void;
  stats?: SheetReadStats;
}

const CHECKPOINT_EVERY = 256;

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

interface WorkbookInspection {
  sheets: XlsxSheetInfo[];
  /** Names of the zip entries. */
  parts: Set<string>;
}

async function inspectWorkbook(path: string, limits: ZipLimits, verifyAll: boolean, stats?: SheetReadStats): Promise<WorkbookInspection> {
  const { entries, texts } = await inspectZip(path, limits, { verifyAll, collect: [WORKBOOK_PART, WORKBOOK_RELS_PART], stats });
  const workbookXml = texts.get(WORKBOOK_PART);
  if (workbookXml === undefined) {
    // Other zip-based spreadsheets: Excel binary workbooks and OpenDocument.
    const names = new Set(entries.map((e) => e.name));
    if (names.has('xl/workbook.bin')) throw sheetErrors.unsupportedFormat({ reason: 'xlsb' });
    if (names.has('content.xml') && names.has('mimetype')) throw sheetErrors.unsupportedFormat({ reason: 'opendocument' });
    throw sheetErrors.unreadable('not_an_xlsx_workbook');
  }
  const sheets = parseWorkbookSheets(workbookXml, texts.get(WORKBOOK_RELS_PART) ?? '');
  const parts = new Set(entries.map((e) => e.name));
  // A sheet whose part is missing cannot be read; keep it listed so the message can name it.
  return { sheets: sheets.map((s) => (parts.has(s.partPath) ? s : { ...s, partPath: '' })), parts };
}

export async function listXlsxSheets(path: string, limits: ZipLimits): Promise<XlsxSheetInfo[]> {
  return (await inspectWorkbook(path, limits, false)).sheets;
}

// ---------------------------------------------------------------------------------------------
// Faults of exceljs 4.4's streaming reader (and the unzipper 0.10 it uses), worked around on our
// reader instance only:
// 1. it decodes every zip chunk with a fresh TextDecoder, so a multibyte character split between
//    two chunks turns into U+FFFD (a 20,000-row sheet of Japanese text loses a dozen characters);
// 2. a sheet that comes after sharedStrings.xml in the zip is parsed on the spot, before
//    workbook.xml and styles.xml when those come later (exceljs's own writer may order parts so):
//    it then throws on the missing workbook model, or reads date cells as plain numbers;
// 3. unzipper emits 'end' by hand as soon as its input is written, while small entries it already
//    parsed may still wait in its buffer: exceljs then never sees the last parts (workbook.xml,
//    sharedStrings.xml…) — a few percent of small workbooks fail, or lose their strings silently.
// So we hand it text decoded across chunk boundaries, keep the shared strings out of its sight
// until the zip has been read (every sheet is then deferred to exceljs's temp files and parsed
// after all the workbook parts), let only the real end of the entry stream through, check that
// every workbook part was seen, and skip the sheets we do not read.

type PartStream = NodeJS.ReadableStream & { setEncoding(encoding: BufferEncoding): unknown };

interface WorkbookReaderInternals {
  sharedStrings?: unknown[];
  _parseRels(entry: PartStream): Promise<void>;
  _parseWorkbook(entry: PartStream): Promise<void>;
  _parseStyles(entry: PartStream): Promise<void>;
  _parseSharedStrings(entry: PartStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

const PART_OF_METHOD = {
  _parseRels: WORKBOOK_RELS_PART,
  _parseWorkbook: WORKBOOK_PART,
  _parseStyles: 'xl/styles.xml',
  _parseSharedStrings: 'xl/sharedStrings.xml',
} as const;

async function* decodeUtf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

// Fault 4: a cell of type t="d" holds an ISO 8601 date as text (valid ECMA-376, written by
// LibreOffice and by scripts); exceljs reads it with parseFloat, so 2026-04-01 becomes the number
// 2026 (1905-07-18 as a serial). Before exceljs sees the sheet, such a cell is turned into a text
// cell holding the date part (2026-04-01), which every date column reads like a typed date; a
// value that is no ISO date stays as written and is refused by the column with its row.
const DATE_CELL_TAG = /<c\b[^>]*?\st\s*=\s*(?:"d"|'d')[^>]*>/g;
const CELL_TOKEN = /<c\b[^>]*>|<v>([^<]*)<\/v>|<\/c>/g;
const ISO_DATE_VALUE = /^\s*(\d{4}-\d{2}-\d{2})(?:$|[T\s])/;

export async function* isoDateCellsAsText(source: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  let inDateCell = false;
  const rewrite = (text: string): string => {
    if (!inDateCell && !/\st\s*=\s*(?:"d"|'d')/.test(text)) return text;
    return text.replace(CELL_TOKEN, (token: string, value: string | undefined) => {
      if (token.startsWith('</')) {
        inDateCell = false;
        return token;
      }
      if (value !== undefined) {
        if (!inDateCell) return token;
        const iso = ISO_DATE_VALUE.exec(value);
        return `<v>${iso ? iso[1] : value}</v>`;
      }
      DATE_CELL_TAG.lastIndex = 0;
      if (!DATE_CELL_TAG.test(token)) {
        inDateCell = false;
        return token;
      }
      // A self-closing <c t="d"/> has no value: nothing to rewrite after it.
      inDateCell = !token.endsWith('/>');
      return token.replace(/(\st\s*=\s*)(?:"d"|'d')/, '$1"str"');
    });
  };
  for await (const chunk of source) {
    const text = carry + chunk;
    // Only whole tags, and a date cell's <v>…</v> whole, are rewritten; the rest waits for the next chunk.
    let cut = text.lastIndexOf('>') + 1;
    const openValue = text.lastIndexOf('<v>', cut);
    if (openValue >= 0 && text.indexOf('</v>', openValue) < 0) cut = Math.min(cut, openValue);
    carry = text.slice(cut);
    const ready = text.slice(0, cut);
    if (ready) yield rewrite(ready);
  }
  if (carry) yield rewrite(carry);
}

type MaybeFileStream = { destroy?: () => void; on?: (event: string, listener: () => void) => unknown; path?: unknown };

function releaseSkipped(iterator: AsyncIterable<Buffer | string>): void {
  // Deferred sheets arrive as file streams on exceljs's temp files: close them. exceljs deletes
  // the file right after we return, so the stream may yet fail to open: that must not go unheard.
  const stream = iterator as MaybeFileStream;
  if (typeof stream.on === 'function') stream.on('error', () => undefined);
  if (typeof stream.destroy === 'function') stream.destroy();
}

/** Fault 3: exceljs pipes our input into unzipper's parser; only its real end may pass. */
function letOnlyTheRealEndThrough(input: PassThrough): void {
  const pipe = input.pipe.bind(input);
  input.pipe = (<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    const parser = destination as unknown as { emit(event: string | symbol, ...args: unknown[]): boolean; readableEnded?: boolean };
    const emit = parser.emit;
    parser.emit = function (this: typeof parser, event: string | symbol, ...args: unknown[]): boolean {
      // Node sets readableEnded before it emits the real 'end', after the last buffered entry.
      if (event === 'end' && this.readableEnded !== true) return false;
      return emit.call(this, event, ...args);
    };
    return pipe(destination, options);
  }) as typeof input.pipe;
}

interface PatchState {
  /** exceljs's temp copy of the sheet we read; left behind by exceljs when we stop early. */
  targetTempFile?: string;
}

function patchWorkbookReader(reader: ExcelJS.stream.xlsx.WorkbookReader, targetSheetNo: string, parts: Set<string>): PatchState {
  const state: PatchState = {};
  const internals = reader as unknown as WorkbookReaderInternals;
  const proto = Object.getPrototypeOf(reader) as Partial<WorkbookReaderInternals>;
  for (const method of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'] as const) {
    if (typeof proto[method] !== 'function') throw new Error(`exceljs WorkbookReader.${method} is missing: the sheets reader needs updating`);
  }
  const seen = new Set<string>();
  const wrapEntry = <K extends '_parseRels' | '_parseWorkbook' | '_parseStyles'>(method: K): void => {
    const original = proto[method] as (this: unknown, entry: PartStream) => Promise<void>;
    internals[method] = async function (this: unknown, entry: PartStream) {
      // Fault 1: a stream with an encoding uses a StringDecoder, which keeps split characters together.
      entry.setEncoding('utf8');
      await original.call(this, entry);
      seen.add(PART_OF_METHOD[method]);
    };
  };
  wrapEntry('_parseRels');
  wrapEntry('_parseWorkbook');
  wrapEntry('_parseStyles');

  let sharedStrings: unknown[] | undefined;
  const originalSharedStrings = proto._parseSharedStrings as WorkbookReaderInternals['_parseSharedStrings'];
  internals._parseSharedStrings = async function* (this: WorkbookReaderInternals, entry: PartStream) {
    entry.setEncoding('utf8');
    yield* originalSharedStrings.call(this, entry);
    seen.add(PART_OF_METHOD._parseSharedStrings);
    // Fault 2: exceljs parses a sheet on the spot once it has shared strings; hiding them defers
    // every sheet until the whole zip has been read.
    sharedStrings = this.sharedStrings;
    this.sharedStrings = undefined;
  };

  const originalWorksheet = proto._parseWorksheet as WorkbookReaderInternals['_parseWorksheet'];
  internals._parseWorksheet = function* (this: WorkbookReaderInternals, iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
    if (String(sheetNo) !== targetSheetNo) {
      releaseSkipped(iterator);
      return;
    }
    // Never read a sheet without its workbook parts: no strings would mean silently empty cells.
    const missed = Object.values(PART_OF_METHOD).filter((part) => parts.has(part) && !seen.has(part));
    if (missed.length > 0) throw sheetErrors.unreadable(`xlsx_parts_not_read:${missed.join(',')}`);
    if (sharedStrings !== undefined) this.sharedStrings = sharedStrings;
    const tempFile = (iterator as MaybeFileStream).path;
    if (typeof tempFile === 'string') state.targetTempFile = tempFile;
    yield* originalWorksheet.call(this, isoDateCellsAsText(decodeUtf8Chunks(iterator)), sheetNo);
  };
  return state;
}

interface RichTextRun {
  text?: unknown;
}

// Fault 5: Excel writes a character XML cannot carry (ESC, BEL …) as _xHHHH_ (ECMA-376 ST_Xstring;
// a literal "_x" is written _x005F_x…); exceljs's streaming reader leaves the escape undecoded, so
// the cell would arrive as the text "_x001B_". Decoded here, the character meets the one rule
// every way in applies to control characters (refused with its row and column).
const XSTRING_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

function decodeXstring(text: string): string {
  return text.includes('_x') ? text.replace(XSTRING_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** exceljs cell values → plain values: rich text, hyperlinks and formula results flattened. */
export function flattenCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : decodeXstring(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      const text = (v.richText as RichTextRun[]).map((run) => (typeof run?.text === 'string' ? run.text : '')).join('');
      return text === '' ? null : decodeXstring(text);
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

/**
 * Lets exceljs finish after we stopped reading our sheet: every sheet is deferred, so by then
 * the zip has been read and what remains is skipping (and deleting) the other sheets' temp files.
 */
async function drainQuietly(worksheets: AsyncIterator<unknown>): Promise<void> {
  try {
    while (!(await worksheets.next()).done) {
      // Nothing else is yielded: the patch skips every sheet but ours, which was yielded already.
    }
  } catch {
    // We are already leaving with an error or an early stop; this one adds nothing.
  }
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
  const { sheets, parts } = await inspectWorkbook(path, limits, true, limits.stats);
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
  letOnlyTheRealEndThrough(input);
  file.pipe(input);
  const stats = limits.stats;
  if (stats) file.on('data', (chunk) => void (stats.bytesRead += chunk.length));

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles carry the number formats that tell a date cell from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const patched = patchWorkbookReader(reader, partMatch[1], parts);

  // Only our sheet is yielded (the others are skipped by the patch). The iterator is driven by
  // hand so that, even when we stop early, exceljs still runs to its end and deletes the temp
  // file of every sheet; a return() would leave them on disk until the process exits.
  const worksheets = reader[Symbol.asyncIterator]();
  let found = false;
  let finished = false;
  let rows = 0;
  let rowsSeen = 0;
  let stopped: unknown;
  try {
    for (let next = await worksheets.next(); !next.done; next = await worksheets.next()) {
      found = true;
      let lastRowNumber = 0;
      for await (const row of next.value) {
        if (stats) stats.records++;
        if (limits.checkpoint && ++rowsSeen % CHECKPOINT_EVERY === 0) {
          try {
            limits.checkpoint();
          } catch (err) {
            stopped = err;
            throw err;
          }
        }
        // Some writers omit r="…" on rows; count on from the previous one then.
        const rowNumber = Number.isInteger(row.number) && row.number > lastRowNumber ? row.number : lastRowNumber + 1;
        lastRowNumber = rowNumber;
        const cells = rowToCells(row, rowNumber, limits.maxColumns);
        if (isBlankRow(cells)) continue;
        if (++rows > limits.maxRows) throw sheetErrors.tooManyRows(limits.maxRows);
        yield { rowNumber, cells };
      }
    }
    finished = true;
  } catch (err) {
    if (err instanceof SheetFormatError || (stopped !== undefined && err === stopped)) throw err;
    throw sheetErrors.unreadable(readError ? 'read_failed' : 'xlsx_parse_failed', readError ?? err);
  } finally {
    if (!finished) await drainQuietly(worksheets);
    file.destroy();
    input.destroy();
    if (patched.targetTempFile) await rm(patched.targetTempFile, { force: true }).catch(() => undefined);
  }
  if (!found) throw sheetErrors.unreadable('worksheet_part_not_streamed');
}
