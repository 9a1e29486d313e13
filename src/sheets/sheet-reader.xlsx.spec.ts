import * as ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { locateHeader } from './header';
import { normalizeFreeText, parseDateCell, parseIntegerCell } from './normalize';
import { SheetFormatError } from './sheet-errors';
import { listSheetNames, newReadStats, readSheet, ReadOptions, SheetRow } from './sheet-reader';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sheets-xlsx-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(path: string, options?: ReadOptions): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readSheet(path, options)) rows.push(row);
  return rows;
}

async function failure(promise: Promise<unknown>): Promise<SheetFormatError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SheetFormatError) return e;
    throw e;
  }
  throw new Error('expected a SheetFormatError');
}

async function writeWorkbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(dir, name);
  await wb.xlsx.writeFile(path);
  return path;
}

function writeBytes(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

interface RawEntry {
  name: string;
  /** Bytes as stored (deflated when method is 8). */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  /** What the headers claim the entry inflates to. */
  declaredSize: number;
}

/** A minimal zip writer, so tests can state sizes that do not match the data. */
function buildZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const columns = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'name', header: '名称', required: true },
  { key: 'division', header: '所管課', required: true },
  { key: 'status', header: '状況', required: true },
  { key: 'completedOn', header: '完了日', required: false },
  { key: 'annualVolume', header: '年間件数', required: false },
  { key: 'note', header: '備考', required: false },
];

describe('readSheet (xlsx)', () => {
  let surveyPath: string;

  beforeAll(async () => {
    surveyPath = await writeWorkbook('survey.xlsx', (wb) => {
      const ws = wb.addWorksheet('押印');
      ws.mergeCells('A1:G1');
      ws.getCell('A1').value = '押印見直し調査票（令和8年度）';
      ws.getCell('A2').value = '記入日';
      ws.getCell('B2').value = new Date(Date.UTC(2026, 3, 1));
      ws.getRow(3).values = ['管理番号', '名称', '所管課', '状況', '完了日', '年間件数', '備考'];
      ws.getRow(4).values = ['S-001', '髙橋①様式', '市民課', '押印廃止', new Date(Date.UTC(2026, 2, 31)), 1234, '㈱からの申請'];
      ws.getRow(5).values = [
        'S-002',
        { richText: [{ text: '転入' }, { font: { bold: true }, text: '届' }] },
        '税務課',
        '未着手',
        46113,
        { formula: '1000+234', result: 1234 },
        { text: '国の様式', hyperlink: 'https://example.go.jp/' },
      ];
      ws.getRow(8).values = ['S-003', '  前後に空白  ', '福祉課', '未着手', '令和8年4月1日', '１，２３４'];
    });
  });

  it('reads a merged title row, the header and typed cells with the sheet’s own row numbers', async () => {
    const rows = await readAll(surveyPath);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 8]);
    // A merged range gives its value in the top-left cell only.
    expect(rows[0].cells).toEqual(['押印見直し調査票（令和8年度）']);
    expect(rows[1].cells[1]).toBeInstanceOf(Date);
    expect(parseDateCell(rows[1].cells[1])).toEqual({ value: '2026-04-01' });

    const header = locateHeader(rows, columns);
    expect(header.rowNumber).toBe(3);
    const col = (key: string) => header.columnIndex.get(key)!;

    const s1 = rows[3].cells;
    expect(normalizeFreeText(s1[col('name')])).toBe('髙橋①様式');
    expect(normalizeFreeText(s1[col('note')])).toBe('㈱からの申請');
    expect(s1[col('completedOn')]).toBeInstanceOf(Date);
    expect(parseDateCell(s1[col('completedOn')])).toEqual({ value: '2026-03-31' });
    expect(s1[col('annualVolume')]).toBe(1234);

    const s2 = rows[4].cells;
    expect(s2[col('name')]).toBe('転入届'); // rich text flattened
    expect(s2[col('completedOn')]).toBe(46113); // a plain number: an Excel serial
    expect(parseDateCell(s2[col('completedOn')])).toEqual({ value: '2026-04-01' });
    expect(s2[col('annualVolume')]).toBe(1234); // formula result
    expect(s2[col('note')]).toBe('国の様式'); // hyperlink text

    const s3 = rows[5].cells;
    expect(s3).toHaveLength(6);
    expect(normalizeFreeText(s3[col('name')])).toBe('前後に空白');
    expect(parseDateCell(s3[col('completedOn')])).toEqual({ value: '2026-04-01' });
    expect(parseIntegerCell(s3[col('annualVolume')])).toEqual({ value: 1234 });
  });

  it('counts the work of a whole read: the file streamed once, every part inflated once, a record per row', async () => {
    const stats = newReadStats();
    expect(await readAll(surveyPath, { stats })).toHaveLength(6);
    const zip = await JSZip.loadAsync(readFileSync(surveyPath));
    let inflated = 0;
    for (const entry of Object.values(zip.files)) if (!entry.dir) inflated += (await entry.async('nodebuffer')).length;
    expect(stats).toEqual({ bytesRead: statSync(surveyPath).size, bytesInflated: inflated, records: 6 });
  });

  it('reads a file without extension (an upload) as xlsx by its magic bytes', async () => {
    const path = writeBytes('upload-tmp', readFileSync(surveyPath));
    expect((await readAll(path)).length).toBe(6);
  });

  describe('with several sheets', () => {
    let path: string;
    beforeAll(async () => {
      path = await writeWorkbook('multi.xlsx', (wb) => {
        const lists = wb.addWorksheet('選択肢', { state: 'hidden' });
        lists.getCell('A1').value = '未着手';
        wb.addWorksheet('説明').getCell('A1').value = 'この調査票の書き方';
        wb.addWorksheet('押印').getCell('A1').value = '押印のシート';
        wb.addWorksheet('オンライン化').getCell('A1').value = 'オンラインのシート';
      });
    });

    it('lists the sheets in workbook order', async () => {
      expect(await listSheetNames(path)).toEqual(['選択肢', '説明', '押印', 'オンライン化']);
    });

    it('reads the first visible sheet by default', async () => {
      expect((await readAll(path))[0].cells).toEqual(['この調査票の書き方']);
    });

    it('takes the first preferred sheet that exists', async () => {
      const rows = await readAll(path, { preferredSheetNames: ['押印廃止', 'オンライン化', '押印'] });
      expect(rows[0].cells).toEqual(['オンラインのシート']);
    });

    it('reads a sheet by name, exactly or after NFKC folding', async () => {
      expect((await readAll(path, { sheetName: '押印' }))[0].cells).toEqual(['押印のシート']);
      expect((await readAll(path, { sheetName: 'ｵﾝﾗｲﾝ化' }))[0].cells).toEqual(['オンラインのシート']);
      expect((await readAll(path, { sheetName: '選択肢' }))[0].cells).toEqual(['未着手']);
    });

    it('reads a small workbook reliably, every time (unzipper ends early on its own)', async () => {
      // Without the workaround about one read in five loses the workbook's last zip parts.
      const failures: string[] = [];
      for (let i = 0; i < 60; i++) {
        const name = ['選択肢', '説明', '押印', 'オンライン化'][i % 4];
        try {
          const rows = await readAll(path, { sheetName: name });
          if (rows.length !== 1 || typeof rows[0].cells[0] !== 'string') failures.push(`${name}: ${JSON.stringify(rows)}`);
        } catch (e) {
          failures.push(`${name}: ${String(e instanceof SheetFormatError ? JSON.stringify(e.detail) : e)}`);
        }
      }
      expect(failures).toEqual([]);
      // 60 reads: a loaded machine needs more than Jest's default 5 s; this is a bound, not a timing target.
    }, 60_000);

    it('names the available sheets when the one asked for is missing', async () => {
      const err = await failure(readAll(path, { sheetName: '台帳' }));
      expect(err.code).toBe('sheet_not_found');
      expect(err.messageJa).toBe('シート「台帳」が見つかりません（あるシート: 選択肢、説明、押印、オンライン化）');
    });
  });

  it('keeps Japanese characters that straddle chunk boundaries (shared strings and inline strings)', async () => {
    const text = (i: number) => `髙橋①㈱申請書の様式第${i}号（押印見直し・オンライン化対象）`;
    const shared = await writeWorkbook('many-shared.xlsx', (wb) => {
      const ws = wb.addWorksheet('押印');
      for (let i = 1; i <= 3000; i++) ws.addRow([text(i), i]);
    });
    const inlinePath = join(dir, 'many-inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: inlinePath, useSharedStrings: false });
    const ws = writer.addWorksheet('押印');
    for (let i = 1; i <= 3000; i++) ws.addRow([text(i), i]).commit();
    ws.commit();
    await writer.commit();

    for (const path of [shared, inlinePath]) {
      const rows = await readAll(path);
      expect(rows).toHaveLength(3000);
      const wrong = rows.filter((r) => r.cells[0] !== text(r.rowNumber));
      expect(wrong).toEqual([]);
    }
  }, 30_000);

  it('reads a workbook whatever the order of its zip parts', async () => {
    const text = (i: number) => `髙橋①㈱申請書の様式第${i}号（押印見直し・オンライン化対象）`;
    const source = await writeWorkbook('ordered-source.xlsx', (wb) => {
      wb.addWorksheet('説明').getCell('A1').value = '説明のシート';
      const ws = wb.addWorksheet('押印');
      for (let i = 1; i <= 3000; i++) ws.addRow([text(i), i, new Date(Date.UTC(2026, 3, 1))]);
    });
    const original = await JSZip.loadAsync(readFileSync(source));
    const names = Object.keys(original.files).filter((n) => !original.files[n].dir);
    const reorder = async (name: string, first: string[], last: string[]): Promise<string> => {
      const zip = new JSZip();
      const middle = names.filter((n) => !first.includes(n) && !last.includes(n));
      for (const part of [...first, ...middle, ...last]) zip.file(part, await original.file(part)!.async('nodebuffer'));
      return writeBytes(name, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    };
    const orders = [
      // Shared strings before the sheets, workbook and styles after them: exceljs alone throws
      // on this order (or reads dates as numbers).
      await reorder('strings-first.xlsx', ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'], ['xl/styles.xml', 'xl/workbook.xml']),
      await reorder('workbook-first.xlsx', ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml'], []),
    ];
    for (const path of orders) {
      const rows = await readAll(path, { sheetName: '押印' });
      expect(rows).toHaveLength(3000);
      expect(rows.filter((r) => r.cells[0] !== text(r.rowNumber))).toEqual([]);
      expect(rows[0].cells[2]).toBeInstanceOf(Date);
      expect((await readAll(path))[0].cells).toEqual(['説明のシート']);
    }
  }, 30_000);

  it('refuses a sheet part that is not XML', async () => {
    const zip = await JSZip.loadAsync(readFileSync(surveyPath));
    zip.file('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><<<');
    const path = writeBytes('bad-xml.xlsx', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const err = await failure(readAll(path));
    expect(err.code).toBe('unreadable_file');
    expect(err.detail).toMatchObject({ reason: 'xlsx_parse_failed' });
  });

  it('refuses a row with values beyond maxColumns', async () => {
    const path = await writeWorkbook('wide.xlsx', (wb) => {
      const ws = wb.addWorksheet('s');
      ws.getRow(1).values = ['a'];
      ws.getRow(2).values = Array.from({ length: 300 }, (_, i) => `v${i}`);
    });
    const err = await failure(readAll(path));
    expect(err.code).toBe('too_many_columns');
    expect(err.detail).toMatchObject({ row: 2, maxColumns: 200 });
    expect((await readAll(path, { maxColumns: 300 }))[1].cells).toHaveLength(300);
  });

  it('refuses more than maxRows rows', async () => {
    const path = await writeWorkbook('rows.xlsx', (wb) => {
      const ws = wb.addWorksheet('s');
      for (let i = 0; i < 20; i++) ws.addRow([i]);
    });
    expect(await readAll(path, { maxRows: 20 })).toHaveLength(20);
    expect((await failure(readAll(path, { maxRows: 19 }))).code).toBe('too_many_rows');
  });

  it('refuses random bytes named .xlsx, and random bytes behind a zip signature', async () => {
    const random = randomBytes(32 * 1024);
    random[0] = 0x00;
    expect((await failure(readAll(writeBytes('random.xlsx', random)))).code).toBe('unreadable_file');
    const zipLike = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(32 * 1024)]);
    expect((await failure(readAll(writeBytes('zip-like.xlsx', zipLike)))).code).toBe('unreadable_file');
    expect((await failure(readAll(writeBytes('zip-like.csv', zipLike)))).code).toBe('unreadable_file');
  });

  it('refuses truncated and corrupted workbooks without hanging', async () => {
    const bytes = readFileSync(surveyPath);
    for (const cut of [bytes.length - 10, Math.floor(bytes.length / 2), 100]) {
      const err = await failure(readAll(writeBytes(`cut-${cut}.xlsx`, bytes.subarray(0, cut))));
      expect(err.code).toBe('unreadable_file');
    }
    // Damage compressed data, keeping every header and the zip directory intact.
    const zip = await JSZip.loadAsync(bytes);
    zip.file('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${'<row/>'.repeat(20000)}</sheetData></worksheet>`);
    const big = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
    const at = big.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length + 20;
    const damaged = Buffer.from(big);
    for (let i = at; i < at + 40; i++) damaged[i] ^= 0xff;
    const err = await failure(readAll(writeBytes('damaged.xlsx', damaged)));
    expect(err.code).toBe('unreadable_file');
    expect(['inflate_failed', 'entry_size_mismatch']).toContain(err.detail?.reason);
  });

  it('refuses a zip that is not a workbook', async () => {
    const zip = new JSZip();
    zip.file('hello.txt', 'こんにちは');
    const path = writeBytes('not-a-workbook.xlsx', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const err = await failure(readAll(path));
    expect(err.code).toBe('unreadable_file');
    expect(err.detail).toMatchObject({ reason: 'not_an_xlsx_workbook' });
  });

  it('refuses binary (.xlsb) and OpenDocument workbooks as unsupported', async () => {
    const xlsb = new JSZip();
    xlsb.file('[Content_Types].xml', '<Types/>');
    xlsb.file('xl/workbook.bin', Buffer.from([1, 2, 3]));
    const err = await failure(readAll(writeBytes('book.xlsb', await xlsb.generateAsync({ type: 'nodebuffer' }))));
    expect(err.code).toBe('unsupported_format');
    const ods = new JSZip();
    ods.file('mimetype', 'application/vnd.oasis.opendocument.spreadsheet');
    ods.file('content.xml', '<office:document-content/>');
    expect((await failure(readAll(writeBytes('book.ods', await ods.generateAsync({ type: 'nodebuffer' }))))).code).toBe('unsupported_format');
  });

  it('refuses a cell reference beyond column XFD', async () => {
    const zip = await JSZip.loadAsync(readFileSync(surveyPath));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    zip.file('xl/worksheets/sheet1.xml', sheet.replace('r="A4"', 'r="ZZZZZZZZ4"'));
    const path = writeBytes('bad-ref.xlsx', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    expect((await failure(readAll(path))).code).toBe('unreadable_file');
  });

  it('refuses a zip bomb made with JSZip once its size passes the limit', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    zip.file('xl/worksheets/sheet1.xml', '0'.repeat(24 * 1024 * 1024));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bytes.length).toBeLessThan(200 * 1024);
    const err = await failure(readAll(writeBytes('jszip-bomb.xlsx', bytes), { maxUncompressedBytes: 8 * 1024 * 1024 }));
    expect(err.code).toBe('file_too_large');
  });

  describe('zip bombs under the default limits', () => {
    const size = 64 * 1024 * 1024;
    let deflated: Buffer;
    let crc: number;
    beforeAll(() => {
      const zeros = Buffer.alloc(size);
      deflated = deflateRawSync(zeros, { level: 9 }); // about 64 KB
      crc = crc32(zeros);
    });

    it('refuses a ~2 MB zip that inflates to 2 GB from its directory alone', async () => {
      const entries: RawEntry[] = Array.from({ length: 32 }, (_, i) => ({
        name: `xl/worksheets/sheet${i + 1}.xml`,
        data: deflated,
        method: 8,
        crc,
        declaredSize: size,
      }));
      const bytes = buildZip(entries);
      expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
      const stats = newReadStats();
      const err = await failure(readAll(writeBytes('bomb.xlsx', bytes), { stats }));
      expect(err.code).toBe('file_too_large');
      // nothing inflated, nothing handed to exceljs
      expect(stats).toEqual({ bytesRead: 0, bytesInflated: 0, records: 0 });
    });

    it('refuses an entry that inflates beyond the size its headers claim, within one chunk of the claim', async () => {
      const bytes = buildZip([
        { name: 'xl/workbook.xml', data: deflated, method: 8, crc, declaredSize: 1000 },
        { name: 'xl/_rels/workbook.xml.rels', data: deflateRawSync('<Relationships/>'), method: 8, crc: 0, declaredSize: 16 },
      ]);
      const stats = newReadStats();
      const err = await failure(readAll(writeBytes('lying-bomb.xlsx', bytes), { stats }));
      expect(err.code).toBe('file_too_large');
      // The check stops at the first inflated chunk past the 1,000 bytes claimed (zlib's chunks
      // are 16 KB), not after the 64 MB the entry holds; exceljs never sees the file.
      expect(stats.bytesInflated).toBeGreaterThan(1000);
      expect(stats.bytesInflated).toBeLessThanOrEqual(1000 + 64 * 1024);
      expect(stats.bytesRead).toBe(0);
    });
  });

  it('refuses .xls and password-protected workbooks (OLE files) as unsupported', async () => {
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), randomBytes(1024)]);
    const err = await failure(readAll(writeBytes('old.xls', ole)));
    expect(err.code).toBe('unsupported_format');
    expect((await failure(readAll(writeBytes('locked.xlsx', ole)))).code).toBe('unsupported_format');
  });

  it('lets a caller stop early', async () => {
    const seen: number[] = [];
    for await (const row of readSheet(surveyPath)) {
      seen.push(row.rowNumber);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1, 2]);
  });

  it('leaves no exceljs temp files behind, also when the caller stops early or a limit is hit', async () => {
    // exceljs copies every sheet to a temp file named by the tmp package: tmp-<pid>-<random>.
    const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`)).length;
    const path = await writeWorkbook('temp-files.xlsx', (wb) => {
      for (const name of ['一', '二', '三']) {
        const ws = wb.addWorksheet(name);
        for (let i = 1; i <= 50; i++) ws.addRow([`${name}${i}`]);
      }
    });
    const before = ours();
    for (const sheetName of ['一', '二', '三']) {
      await readAll(path, { sheetName });
      for await (const row of readSheet(path, { sheetName })) {
        if (row.rowNumber === 2) break;
      }
    }
    expect((await failure(readAll(path, { maxRows: 10 }))).code).toBe('too_many_rows');
    expect(ours()).toBe(before);
  });

  it('lists no sheets for a CSV', async () => {
    expect(await listSheetNames(writeBytes('plain.csv', Buffer.from('a,b\n')))).toEqual([]);
  });
});

describe('xlsx date cells of type t="d" (ISO 8601 text)', () => {
  /** A workbook whose cells B2…B5 are rewritten as <c t="d"> holding the given ISO texts. */
  async function isoDateWorkbook(name: string, values: string[], rows = 1): Promise<string> {
    const source = await writeWorkbook(`${name}-source.xlsx`, (wb) => {
      const ws = wb.addWorksheet('押印');
      ws.addRow(['管理番号', '完了日']);
      for (let r = 0; r < rows; r++) for (let i = 0; i < values.length; i++) ws.addRow([`C${r}-${i}`, 1]);
    });
    const zip = await JSZip.loadAsync(readFileSync(source));
    const part = 'xl/worksheets/sheet1.xml';
    let index = 0;
    // number cells only: the header's B1 is a shared string whose index may also be 1
    const xml = (await zip.file(part)!.async('string')).replace(/<c r="(B\d+)"((?: s="\d+")?)><v>1<\/v><\/c>/g, (_all, ref: string) => {
      const value = values[index++ % values.length];
      return `<c r="${ref}" t="d"><v>${value}</v></c>`;
    });
    zip.file(part, xml);
    return writeBytes(`${name}.xlsx`, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  }

  it('reads an ISO date cell as that date, not as the number 2026', async () => {
    const path = await isoDateWorkbook('iso-dates', ['2026-04-01', '2026-04-01T00:00:00', '2026-04-01T09:30:00.000Z', 'not a date']);
    const cells = (await readAll(path)).slice(1).map((row) => row.cells[1]);
    expect(cells).toEqual(['2026-04-01', '2026-04-01', '2026-04-01', 'not a date']);
    expect(cells.map((cell) => parseDateCell(cell))).toEqual([{ value: '2026-04-01' }, { value: '2026-04-01' }, { value: '2026-04-01' }, { error: 'invalid_date' }]);
  });

  it('keeps every row of a long sheet of ISO date cells (tags split across chunks)', async () => {
    const path = await isoDateWorkbook('iso-dates-long', ['2026-04-01', '2027-03-31T00:00:00'], 4000);
    const cells = (await readAll(path)).slice(1).map((row) => row.cells[1]);
    expect(cells).toHaveLength(8000);
    expect(cells.filter((cell, i) => cell !== (i % 2 === 0 ? '2026-04-01' : '2027-03-31'))).toEqual([]);
  }, 30_000);
});
