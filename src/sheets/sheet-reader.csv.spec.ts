import * as iconv from 'iconv-lite';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { createCsvParser, skipFieldCountCheck } from './csv-reader';
import { locateHeader } from './header';
import { normalizeFreeText, normalizeMatchValue } from './normalize';
import { SheetFormatError } from './sheet-errors';
import { newReadStats, readSheet, ReadOptions, SheetRow } from './sheet-reader';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sheets-csv-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string, options?: ReadOptions): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readSheet(path, options)) rows.push(row);
  return rows;
}

async function failure(path: string, options?: ReadOptions): Promise<SheetFormatError> {
  try {
    await readAll(path, options);
  } catch (e) {
    if (e instanceof SheetFormatError) return e;
    throw e;
  }
  throw new Error('expected a SheetFormatError');
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const columns = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'name', header: '名称', required: true },
  { key: 'division', header: '所管課', required: true },
  { key: 'status', header: '状況', required: true },
  { key: 'note', header: '備考', required: false },
];

describe('readSheet (CSV)', () => {
  it('reads CP932 as Japanese Windows Excel writes it, with title rows above the header', async () => {
    const text = [
      '押印見直し調査票,,,,',
      '令和8年4月1日現在,,,,',
      '管理番号,名称,所管課,状況,備考',
      'S-001,髙橋様式①,市民課,押印廃止,㈱からの申請',
      'S-002,"転入届,住所変更",ｼﾐﾝ課,未着手,',
      '',
    ].join('\r\n');
    const path = file('cp932.csv', iconv.encode(text, 'cp932'));
    const rows = await readAll(path);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].cells).toEqual(['押印見直し調査票']);
    const header = locateHeader(rows, columns);
    expect(header.rowNumber).toBe(3);
    const data = rows[3].cells;
    expect(normalizeFreeText(data[header.columnIndex.get('name')!])).toBe('髙橋様式①');
    expect(normalizeFreeText(data[header.columnIndex.get('note')!])).toBe('㈱からの申請');
    expect(rows[4].cells).toEqual(['S-002', '転入届,住所変更', 'ｼﾐﾝ課', '未着手']);
    expect(normalizeMatchValue(rows[4].cells[2])).toBe('シミン課');
  });

  it('reads UTF-8 with BOM; row numbers stay right after a quoted multi-line cell', async () => {
    const text =
      '管理番号,名称,所管課,状況,備考\r\n' + // line 1
      'A-1,住民票の写し,市民課,完了,"一行目\r\n' + // line 2: the quoted cell spans lines 2-4
      '二行目\n' +
      '三行目"\r\n' +
      'A-2,"印鑑登録,""証明""",市民課,未着手,\r\n' + // line 5
      '\r\n' + // line 6: empty, skipped
      'A-3,戸籍,市民課,未着手,最後'; // line 7, no final line break
    const path = file('bom.csv', Buffer.concat([BOM, Buffer.from(text)]));
    const rows = await readAll(path);
    expect(rows[0].cells[0]).toBe('管理番号'); // BOM stripped
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 5, 7]);
    expect(rows[1].cells[4]).toBe('一行目\r\n二行目\n三行目');
    expect(rows[2].cells[1]).toBe('印鑑登録,"証明"');
    expect(rows[3].cells).toEqual(['A-3', '戸籍', '市民課', '未着手', '最後']);
  });

  it('counts lines right with LF, CR and mixed endings', async () => {
    const path = file('mixed.csv', 'a,b\n"x\ny",z\rc,d\r\n\n"p\r\nq",r\ns,t');
    const rows = await readAll(path);
    expect(rows.map((r) => [r.rowNumber, r.cells[0]])).toEqual([
      [1, 'a'],
      [2, 'x\ny'],
      [4, 'c'],
      [6, 'p\r\nq'],
      [8, 's'],
    ]);
  });

  it('reads UTF-8 without BOM and keeps a character split by the 64 KB sniff window', async () => {
    // 3-byte characters so that the 65,536th byte falls inside one.
    const filler = 'あ'.repeat(30000);
    const path = file('utf8-long.csv', `管理番号,備考\nA-1,${filler}\nA-2,髙①㈱\n`);
    const rows = await readAll(path);
    expect(rows[1].cells[1]).toBe(filler);
    expect(rows[2].cells[1]).toBe('髙①㈱');
  });

  it('drops empty cells at the end of a row and reads empty cells as null', async () => {
    const rows = await readAll(file('pad.csv', 'a,,b,,,,\n,,,\n x ,\n'));
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['a', null, 'b'] },
      { rowNumber: 3, cells: [' x '] },
    ]);
  });

  it('refuses a row of 100,000 columns from its first 64 KB, before csv-parse builds it', async () => {
    const refuse = async (columns: number) => {
      const path = file(`wide-${columns}.csv`, `a,b\n${'x,'.repeat(columns)}x\n`);
      const stats = newReadStats();
      const err = await failure(path, { stats });
      expect(err.code).toBe('too_many_columns');
      expect(err.detail).toMatchObject({ row: 2, maxColumns: 200 });
      return { size: statSync(path).size, stats };
    };
    const wide = await refuse(100_000);
    const wider = await refuse(1_000_000);
    // The fail-fast scan stops inside the first chunk: without it csv-parse would read the whole
    // file and build the row (a record, a field per column) before the column check saw it.
    expect(wider.size).toBeGreaterThan(30 * 64 * 1024);
    expect(wide.stats).toEqual({ bytesRead: 64 * 1024, bytesInflated: 0, records: 0 });
    // and the work does not grow with the row
    expect(wider.stats).toEqual(wide.stats);
  });

  it('counts the work of a whole read: every byte once, a record per line (blank ones too)', async () => {
    const path = file('counted.csv', 'a,b\r\n\r\nc,d\r\ne,f\r\n');
    const stats = newReadStats();
    expect(await readAll(path, { stats })).toHaveLength(3);
    expect(stats).toEqual({ bytesRead: statSync(path).size, bytesInflated: 0, records: 4 });
  });

  it('refuses a line of 100,000 empty fields before csv-parse builds it', async () => {
    // Trailing empty cells are dropped from parsed rows, so only the fail-fast scan sees these.
    const err = await failure(file('wide-empty.csv', `a,b\n${','.repeat(100_000)}\nc,d\n`));
    expect(err.code).toBe('too_many_columns');
  });

  it('applies maxColumns exactly to parsed rows', async () => {
    const path = file('cols.csv', 'a,b,c\n1,2,3,4\n');
    expect((await readAll(path, { maxColumns: 4 })).length).toBe(2);
    const err = await failure(path, { maxColumns: 3 });
    expect(err.code).toBe('too_many_columns');
    expect(err.messageJa).toBe('列が多すぎます（2行目が上限の3列を超えています）');
  });

  it('refuses more than maxRows rows', async () => {
    const path = file('rows.csv', Array.from({ length: 11 }, (_, i) => `r${i}`).join('\n'));
    expect((await readAll(path, { maxRows: 11 })).length).toBe(11);
    expect((await failure(path, { maxRows: 10 })).code).toBe('too_many_rows');
  });

  it('refuses a file larger than maxFileBytes before reading it', async () => {
    const err = await failure(file('big.csv', 'x'.repeat(2048)), { maxFileBytes: 1024 });
    expect(err.code).toBe('file_too_large');
  });

  it('refuses NUL bytes with the line they are on', async () => {
    const err = await failure(file('nul.csv', Buffer.from('a,b\nc,d\u0000e\n')));
    expect(err.code).toBe('invalid_text');
    expect(err.detail).toMatchObject({ reason: 'nul_character', line: 2 });
  });

  it('refuses random bytes', async () => {
    const err = await failure(file('random.csv', randomBytes(64 * 1024)));
    expect(err.code).toBe('invalid_text');
  });

  it('refuses random bytes with no extension (an upload) as text, not as xlsx', async () => {
    const bytes = randomBytes(8192);
    bytes[0] = 0x41; // not PK
    expect((await failure(file('upload-tmp', bytes))).code).toBe('invalid_text');
  });

  it('refuses UTF-16 text and invalid UTF-8 past the sniffed head', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('管理番号,名称\r\n', 'utf16le')]);
    expect((await failure(file('utf16.csv', utf16))).detail).toMatchObject({ reason: 'utf-16le' });
    const head = Buffer.from(`a,b\n${'x'.repeat(70 * 1024)}\n`);
    const err = await failure(file('late-bad.csv', Buffer.concat([head, iconv.encode('髙橋\n', 'cp932')])));
    expect(err.code).toBe('invalid_text');
    expect(err.detail).toMatchObject({ reason: 'invalid_utf8' });
  });

  it('refuses bytes that are not CP932 in a Shift_JIS file', async () => {
    const good = iconv.encode('管理番号,名称\r\n', 'cp932');
    const bad = Buffer.concat([good, Buffer.from(`${'y'.repeat(70 * 1024)}\r\n`), Buffer.from([0x82, 0x20, 0x0d, 0x0a])]);
    const err = await failure(file('bad-sjis.csv', bad));
    expect(err.code).toBe('invalid_text');
    expect(err.detail).toMatchObject({ reason: 'invalid_cp932', line: 3 });
  });

  it('reports an unclosed quote as unreadable_file', async () => {
    const err = await failure(file('quote.csv', 'a,b\nc,"never closed\nd,e\n'));
    expect(err.code).toBe('unreadable_file');
    expect(err.detail).toMatchObject({ reason: 'csv_quote_not_closed' });
  });

  it('lets a caller stop early without leaking the read', async () => {
    const path = file('early.csv', Array.from({ length: 1000 }, (_, i) => `r${i},v`).join('\n'));
    const seen: number[] = [];
    for await (const row of readSheet(path)) {
      seen.push(row.rowNumber);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('short and blank lines cost what a normal line costs', () => {
  /** Parses text with the reader's csv-parse settings; returns the records and csv-parse's info. */
  async function parseText(text: string, parser = createCsvParser()): Promise<{ records: string[][]; invalidFieldLength: number }> {
    const records: string[][] = [];
    parser.on('data', (record: string[]) => records.push(record));
    const ended = once(parser, 'end');
    parser.end(text);
    await ended;
    return { records, invalidFieldLength: (parser.info as { invalid_field_length: number }).invalid_field_length };
  }

  it('should never take csv-parse into its field-count error path (an Error built per line)', async () => {
    const text = 'a,b,c,d,e\r\n' + 'x,y\r\n\r\n1,2,3,4,5\r\n,\r\n'.repeat(2000);
    const fast = await parseText(text);
    expect(fast.records).toHaveLength(1 + 8000);
    expect(fast.records.slice(0, 5)).toEqual([['a', 'b', 'c', 'd', 'e'], ['x', 'y'], [''], ['1', '2', '3', '4', '5'], ['', '']]);
    expect(fast.invalidFieldLength).toBe(0);
    // csv-parse by itself: the path taken once per short or blank line.
    const plain = parse({ relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] });
    expect((await parseText(text, plain)).invalidFieldLength).toBe(6000);
    expect(skipFieldCountCheck({})).toBe(false);
  });

  it('should read a file of short and blank lines at volume, row numbers intact', async () => {
    const lines = ['管理番号,名称,所管課,状況,備考'];
    for (let i = 0; i < 30_000; i++) lines.push(i % 3 === 0 ? '' : i % 3 === 1 ? `S${i},名` : `S${i},名称,総務課,未着手,`);
    const rows = await readAll(file('short-lines.csv', lines.join('\r\n')));
    expect(rows).toHaveLength(1 + 20_000);
    expect(rows[1]).toEqual({ rowNumber: 3, cells: ['S1', '名'] });
    expect(rows[rows.length - 1]).toEqual({ rowNumber: 30_001, cells: ['S29999', '名称', '総務課', '未着手'] });
  });

  it('should call the checkpoint on blank lines too, and let what it throws through as it is', async () => {
    const path = file('blank-lines.csv', '管理番号,名称\r\n' + '\r\n'.repeat(10_000) + 'A,B\r\n');
    let calls = 0;
    const stop = new Error('stop');
    await expect(readAll(path, { checkpoint: () => { if (++calls === 3) throw stop; } })).rejects.toBe(stop);
    expect(calls).toBe(3);
    calls = 0;
    expect(await readAll(path, { checkpoint: () => void calls++ })).toHaveLength(2);
    expect(calls).toBe(Math.floor(10_002 / 256));
  });
});
