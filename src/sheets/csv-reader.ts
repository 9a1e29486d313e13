import { parse, CsvError, Parser } from 'csv-parse';
import * as iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { sniffEncoding, SNIFF_BYTES, TextEncoding } from './encoding';
import type { CellValue, SheetReadStats, SheetRow } from './sheet-reader';
import { sheetErrors, SheetFormatError } from './sheet-errors';

export interface CsvReadLimits {
  maxColumns: number;
  maxRows: number;
  /** Called every CHECKPOINT_EVERY records, blank ones included; throws to stop reading (as is). */
  checkpoint?: () => void;
  stats?: SheetReadStats;
}

/** Records (blank lines included) between two checkpoint calls. */
export const CHECKPOINT_EVERY = 256;

/**
 * csv-parse compares each record's field count with the first record's and, on a difference,
 * builds a CsvError (a stack trace, ~60 µs) even with relax_column_count, only to drop it: a
 * file of short or blank lines then costs ten to a hundred times a normal one. The field count
 * means nothing here (cells are matched by header position and trailing empties are dropped),
 * so the expected length is made to follow each record and the mismatch path never runs.
 * Returns false when csv-parse's internals have changed shape (then it is merely slower).
 */
export function skipFieldCountCheck(parser: unknown): boolean {
  type Api = { state?: { record?: unknown; expectedRecordLength?: unknown }; __onRecord?: (this: Api, push: unknown) => unknown };
  const api = (parser as { api?: Api }).api;
  const onRecord = api?.__onRecord;
  if (!api || typeof onRecord !== 'function' || !Array.isArray(api.state?.record) || !('expectedRecordLength' in api.state!)) return false;
  api.__onRecord = function (this: Api, push: unknown) {
    this.state!.expectedRecordLength = (this.state!.record as unknown[]).length;
    return onRecord.call(this, push);
  };
  return true;
}

/** csv-parse as every CSV here is read. */
export function createCsvParser(): Parser {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    // Excel writes CRLF; files edited elsewhere mix in LF or (old Mac) CR.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_RECORD_CHARS,
  });
  skipFieldCountCheck(parser);
  return parser;
}

// csv-parse builds a whole record before we see it; this many characters in one record is far
// beyond any real row and stops a runaway quoted field from eating memory.
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Chooses the encoding from the first 64 KB; refuses what we cannot decode. */
export async function sniffCsvEncoding(path: string): Promise<TextEncoding> {
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (err) {
    throw sheetErrors.unreadable('open_failed', err);
  }
  const sniffed = sniffEncoding(head);
  if (sniffed === 'utf-16le' || sniffed === 'utf-16be') {
    throw sheetErrors.invalidText(
      sniffed,
      undefined,
      'UTF-16（Unicode テキスト）のファイルは読み込めません。「CSV UTF-8」または「CSV（コンマ区切り）」で保存してください',
    );
  }
  if (sniffed === 'unknown') throw sheetErrors.invalidText('unknown_encoding');
  return sniffed;
}

/** Decodes the file as a stream of text; the UTF-8 BOM is dropped by TextDecoder. */
async function* decodeFile(path: string, encoding: TextEncoding, lines: LineTracker, stats?: SheetReadStats): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    if (encoding === 'utf-8') {
      // fatal: bytes that are not UTF-8 further down the file must not become U+FFFD silently.
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const decode = (chunk?: Buffer): string => {
        try {
          return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
        } catch {
          throw sheetErrors.invalidText(
            'invalid_utf8',
            lines.current,
            `UTF-8 として読めないバイトがあります（${lines.current}行目付近）。文字コードを UTF-8 か Shift_JIS にそろえて保存してください`,
          );
        }
      };
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (stats) stats.bytesRead += chunk.length;
        const text = decode(chunk);
        if (text) yield text;
      }
      const tail = decode();
      if (tail) yield tail;
    } else {
      // iconv-lite's incremental decoder (what decodeStream uses) keeps split double-byte characters.
      const decoder = iconv.getDecoder('cp932');
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (stats) stats.bytesRead += chunk.length;
        const text = decoder.write(chunk);
        if (text) yield text;
      }
      const tail = decoder.end();
      if (tail) yield tail;
    }
  } finally {
    stream.destroy();
  }
}

class LineTracker {
  /** Physical line (1-based) of the next character. */
  current = 1;
  private afterCr = false;

  advance(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        if (!this.afterCr) this.current++;
        this.afterCr = false;
      } else if (c === 0x0d) {
        this.current++;
        this.afterCr = true;
      } else {
        this.afterCr = false;
      }
    }
  }
}

/**
 * Checks decoded text before csv-parse sees it: NUL characters, undecodable CP932 bytes (U+FFFD,
 * which CP932 cannot encode, so it only comes from bad input) and a fail-fast column count, so a
 * 100,000-column line is refused after about a thousand fields instead of being built in full.
 */
class TextGuard {
  private inQuotes = false;
  private pendingQuote = false;
  private fieldStart = true;
  private separators = 0;

  constructor(
    private readonly encoding: TextEncoding,
    private readonly lines: LineTracker,
    private readonly separatorLimit: number,
    private readonly maxColumns: number,
  ) {}

  check(text: string): void {
    const startLine = this.lines.current;
    if (text.includes('\u0000')) {
      const line = startLine + countBreaks(text.slice(0, text.indexOf('\u0000')));
      throw sheetErrors.invalidText(
        'nul_character',
        line,
        `NUL 文字が含まれています（${line}行目）。CSV ではないファイルか、UTF-16 で保存されたファイルの可能性があります`,
      );
    }
    if (this.encoding === 'cp932' && text.includes('\uFFFD')) {
      const line = startLine + countBreaks(text.slice(0, text.indexOf('\uFFFD')));
      throw sheetErrors.invalidText(
        'invalid_cp932',
        line,
        `Shift_JIS として読めない文字があります（${line}行目）。文字コードを UTF-8 か Shift_JIS にそろえて保存してください`,
      );
    }
    // A small quote-aware scan; it only needs to be right for well-formed CSV, since the exact
    // count is checked again on each parsed record.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (this.pendingQuote) {
          this.pendingQuote = false;
          if (c === 0x22) continue; // "" inside quotes
          this.inQuotes = false;
        } else {
          if (c === 0x22) this.pendingQuote = true;
          continue;
        }
      }
      if (c === 0x2c) {
        this.fieldStart = true;
        if (++this.separators >= this.separatorLimit) {
          const line = startLine + countBreaks(text.slice(0, i));
          throw sheetErrors.tooManyColumns(line, this.maxColumns);
        }
      } else if (c === 0x0a || c === 0x0d) {
        this.fieldStart = true;
        this.separators = 0;
      } else if (c === 0x22 && this.fieldStart) {
        this.inQuotes = true;
        this.fieldStart = false;
      } else {
        this.fieldStart = false;
      }
    }
    this.lines.advance(text);
  }
}

function countBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d) {
      n++;
      if (text.charCodeAt(i + 1) === 0x0a) i++;
    } else if (c === 0x0a) {
      n++;
    }
  }
  return n;
}

async function* guarded(source: AsyncIterable<string>, guard: TextGuard): AsyncGenerator<string> {
  for await (const text of source) {
    guard.check(text);
    yield text;
  }
}

function csvParseError(err: CsvError): SheetFormatError {
  const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as unknown as { lines: number }).lines : undefined;
  const where = line ? `（${line}行目付近）` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return sheetErrors.unreadable('csv_quote_not_closed', err, `CSV の引用符（"）が閉じられていません${where}`);
    case 'CSV_MAX_RECORD_SIZE':
      return sheetErrors.unreadable('csv_record_too_long', err, `CSV の1行が長すぎます${where}`);
    default:
      return sheetErrors.unreadable(`csv_${err.code.toLowerCase()}`, err, `CSV として読めません${where}`);
  }
}

function isBlankRow(cells: CellValue[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

export async function* readCsvRows(path: string, limits: CsvReadLimits): AsyncGenerator<SheetRow, void, undefined> {
  const encoding = await sniffCsvEncoding(path);
  const lines = new LineTracker();
  // Generous on purpose: Excel pads every line with empty fields up to the used range.
  const separatorLimit = Math.max(1000, limits.maxColumns * 5);
  const guard = new TextGuard(encoding, lines, separatorLimit, limits.maxColumns);
  const source = Readable.from(guarded(decodeFile(path, encoding, lines, limits.stats), guard));
  const parser = createCsvParser();
  // pipeline destroys both sides on any error, so the loop below sees it instead of hanging.
  pipeline(source, parser, () => undefined);

  // Physical line numbers: a record spans its terminating line break plus the line breaks inside
  // its (quoted) fields, which csv-parse keeps as typed (a CRLF counts as one). csv-parse's
  // info.lines counts the CR and LF of a quoted CRLF twice, so it is not used; nor is its raw
  // text, whose copy of every record cost a seventh of the parse. The last record may lack the
  // terminator: no row follows it to be numbered.
  let line = 1;
  let rows = 0;
  let records = 0;
  let stopped: unknown;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (limits.stats) limits.stats.records++;
      if (limits.checkpoint && ++records % CHECKPOINT_EVERY === 0) {
        try {
          limits.checkpoint();
        } catch (err) {
          stopped = err;
          throw err;
        }
      }
      const rowNumber = line;
      line += 1;
      for (const field of record) if (field.includes('\n') || field.includes('\r')) line += countBreaks(field);
      const cells: CellValue[] = record.map((field) => (field === '' ? null : field));
      while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
      if (cells.length > limits.maxColumns) throw sheetErrors.tooManyColumns(rowNumber, limits.maxColumns);
      if (isBlankRow(cells)) continue;
      if (++rows > limits.maxRows) throw sheetErrors.tooManyRows(limits.maxRows);
      yield { rowNumber, cells };
    }
  } catch (err) {
    if (err instanceof SheetFormatError || (stopped !== undefined && err === stopped)) throw err;
    if (err instanceof CsvError) throw csvParseError(err);
    throw sheetErrors.unreadable('read_failed', err);
  } finally {
    parser.destroy();
    source.destroy();
  }
}
