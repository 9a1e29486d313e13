import * as ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { isSupportedDate } from '../src/calendar';
import { normalizeField } from '../src/items/item-fields';
import { parseDateCell, readSheet, SHEET_FORMAT_ERROR_CODES, SheetFormatError, SheetRow } from '../src/sheets';
import { createCsvParser, skipFieldCountCheck } from '../src/sheets/csv-reader';

// A bounded, seeded fuzz of the sheet readers: random bytes, mutated CSV (NUL, invalid UTF-8,
// huge fields), truncated and mutated xlsx (zip) files, zip bombs, a 100,000-column row. Every
// case must end in rows or a SheetFormatError with a known code: never another exception, never
// a hang. The seed is fixed, so a failing case is reproduced by its number.

const SEED = 20261124;

/** mulberry32: small, fast and deterministic. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return {
    int,
    pick: <T>(values: readonly T[]): T => values[int(values.length)],
    bytes: (length: number) => Buffer.from(Array.from({ length }, () => int(256))),
  };
}

type Random = ReturnType<typeof prng>;

// ---- a minimal zip writer, so crafted archives can lie about sizes ------------------------------

interface ZipEntry {
  name: string;
  data: Buffer;
  /** Store (0) or deflate (8, default). */
  method?: 0 | 8;
  /** Already deflated bytes (the data is then only used for nothing). */
  compressed?: Buffer;
  declaredSize?: number;
  flags?: number;
}

function buildZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const body = entry.compressed ?? (method === 8 ? zlib.deflateRawSync(entry.data) : entry.data);
    const name = Buffer.from(entry.name, 'utf8');
    const crc = zlib.crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function workbookParts(sheetXml: string | Buffer, sheetEntry: Partial<ZipEntry> = {}): ZipEntry[] {
  const text = (value: string) => Buffer.from(value, 'utf8');
  return [
    {
      name: '[Content_Types].xml',
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          '<sheets><sheet name="押印廃止" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: typeof sheetXml === 'string' ? text(sheetXml) : sheetXml, ...sheetEntry },
  ];
}

function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
}

function inlineCell(ref: string, value: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t>${value}</t></is></c>`;
}

function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** Deflate data that inflates to `megabytes` MB of zeros, from about a kilobyte per megabyte. */
function zerosBomb(megabytes: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  // each block ends byte-aligned and refers to nothing before it, so copies simply concatenate
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), zlib.deflateRawSync(Buffer.alloc(0))]);
}

// ---- the cases ----------------------------------------------------------------------------------

interface FuzzCase {
  id: number;
  kind: string;
  /** File name (the extension steers the reader when the bytes do not). */
  name: string;
  bytes: Buffer;
}

const BASE_CSV = [
  '押印廃止 棚卸し（令和8年度）',
  '管理番号,名称,所管課,状況,完了日,備考',
  'SL-001,"①住民票の写し等交付申請書（㈱用）",市民課,押印必要,,',
  'SL-002,"転入届, 様式第2号",総務課,廃止済,R8.4.1,"署名で代替\r\n（窓口）"',
  'ＳＬ－００３,髙橋様式,防災安全課,検討中,,""引用""',
].join('\r\n');

function mutateBytes(random: Random, source: Buffer, edits: number): Buffer {
  const bytes = Buffer.from(source);
  for (let i = 0; i < edits && bytes.length; i++) bytes[random.int(bytes.length)] = random.int(256);
  return bytes;
}

function csvCases(random: Random, next: () => number): FuzzCase[] {
  const utf8 = Buffer.from(BASE_CSV, 'utf8');
  const cases: FuzzCase[] = [];
  const add = (kind: string, bytes: Buffer, name = 'inventory.csv') => cases.push({ id: next(), kind, name, bytes });
  const insertAt = (source: Buffer, insert: Buffer) => {
    const at = random.int(source.length + 1);
    return Buffer.concat([source.subarray(0, at), insert, source.subarray(at)]);
  };
  for (let i = 0; i < 15; i++) add('csv with NUL bytes', insertAt(utf8, Buffer.alloc(1 + random.int(4))));
  const invalidUtf8 = [[0xff], [0xfe, 0xfe], [0xc3], [0xe3, 0x81], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]];
  for (let i = 0; i < 20; i++) add('csv with invalid UTF-8', insertAt(utf8, Buffer.from(random.pick(invalidUtf8))));
  for (let i = 0; i < 20; i++) add('csv with random byte edits', mutateBytes(random, utf8, 1 + random.int(12)));
  for (let i = 0; i < 10; i++) add('csv truncated', utf8.subarray(0, random.int(utf8.length)));
  add('csv: UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE_CSV, 'utf16le')]));
  add('csv: UTF-16BE without BOM', Buffer.from(BASE_CSV, 'utf16le').swap16());
  add('csv: an unclosed quote with a 5 MB field', Buffer.from(`管理番号,名称\r\nX,"${'長'.repeat(5 * 1024 * 1024 / 3)}`, 'utf8'));
  add('csv: a closed 3 MB field', Buffer.from(`管理番号,名称\r\nX,"${'x'.repeat(3 * 1024 * 1024)}"\r\n`, 'utf8'));
  add('csv: a 100,000-column row', Buffer.from(`管理番号,名称\r\n${'a,'.repeat(100_000)}a\r\n`, 'utf8'));
  add('csv: 100,000 columns of empty fields', Buffer.from(`${','.repeat(100_000)}\r\n`, 'utf8'));
  add('csv: 100,000 quoted columns', Buffer.from(`${'"q",'.repeat(100_000)}\r\n`, 'utf8'));
  add('csv: a 2 MB line without separators', Buffer.from(`${'あ'.repeat(700_000)}\r\n`, 'utf8'));
  add('csv: CR only line breaks', Buffer.from(BASE_CSV.replace(/\r\n/g, '\r'), 'utf8'));
  add('csv: only a BOM', Buffer.from([0xef, 0xbb, 0xbf]));
  add('csv: empty file', Buffer.alloc(0));
  add('csv: 50,000 empty lines', Buffer.from('\r\n'.repeat(50_000)));
  add('csv: Shift_JIS with an undefined lead byte', Buffer.from([0x82, 0xa0, 0x2c, 0x85, 0x40, 0x0d, 0x0a, 0xfd, 0xfe]), 'sjis.csv');
  return cases;
}

function randomCases(random: Random, next: () => number): FuzzCase[] {
  const names = ['file.csv', 'file.xlsx', 'file.txt', 'file', 'file.xlsm', 'file.xls'];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < 60; i++) {
    let bytes = random.bytes(random.int(4096));
    // a third of them start like a zip, to get past the magic-byte check
    if (i % 3 === 0) bytes = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), bytes]);
    if (i % 11 === 0) bytes = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), bytes]);
    cases.push({ id: next(), kind: 'random bytes', name: random.pick(names), bytes });
  }
  return cases;
}

function xlsxCases(random: Random, next: () => number, base: Buffer): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const add = (kind: string, bytes: Buffer, name = 'inventory.xlsx') => cases.push({ id: next(), kind, name, bytes });
  for (let i = 0; i < 35; i++) add('xlsx truncated', base.subarray(0, random.int(base.length)));
  for (let i = 0; i < 35; i++) add('xlsx with random byte edits', mutateBytes(random, base, 1 + random.int(20)));
  for (let i = 0; i < 15; i++) {
    const at = random.int(base.length);
    const length = 1 + random.int(512);
    const bytes = Buffer.from(base);
    bytes.fill(random.pick([0x00, 0xff, 0x50]), at, at + length);
    add('xlsx with a range overwritten', bytes);
  }
  for (let i = 0; i < 10; i++) {
    // the tail (central directory and end record) is what a zip reader trusts most
    const bytes = Buffer.from(base);
    const tail = Math.max(0, bytes.length - 200);
    for (let edit = 0; edit < 3; edit++) bytes[tail + random.int(bytes.length - tail)] = random.int(256);
    add('xlsx with its central directory edited', bytes);
  }
  // Valid archives around mutated XML: these get past the zip checks into the XML parsers.
  const rows = Array.from(
    { length: 20 },
    (_, index) => `<row r="${index + 2}">${inlineCell(`A${index + 2}`, `SL-${index}`)}<c r="B${index + 2}"><v>${index * 1.5}</v></c>${inlineCell(`C${index + 2}`, '市民課 &amp; 総務課')}</row>`,
  ).join('');
  const goodSheet = sheetXml(`<row r="1">${inlineCell('A1', '管理番号')}${inlineCell('B1', '年間件数')}${inlineCell('C1', '所管課')}</row>${rows}`);
  const xmlNoise = ['<', '>', '&', '"', "'", '=', '/', '<row>', '</c>', '<c r="A0">', '<v>NaN</v>', '&#0;', '&#xFFFFFF;', '<![CDATA[', ']]>', '<?xml?>', '\u0000', 'r="-1"', 't="s"', 't="e"'];
  for (let i = 0; i < 40; i++) {
    let xml = goodSheet;
    for (let edit = 0; edit < 1 + random.int(4); edit++) {
      const at = random.int(xml.length);
      const choice = random.int(3);
      if (choice === 0) xml = xml.slice(0, at) + random.pick(xmlNoise) + xml.slice(at);
      else if (choice === 1) xml = xml.slice(0, at) + xml.slice(at + 1 + random.int(40));
      else xml = xml.slice(0, at);
    }
    const target = i % 4 === 3 ? 'xl/workbook.xml' : 'xl/worksheets/sheet1.xml';
    const parts = workbookParts(goodSheet).map((entry) => {
      if (entry.name !== target) return entry;
      return { ...entry, data: Buffer.from(target === 'xl/workbook.xml' ? entry.data.toString('utf8').slice(0, random.int(entry.data.length)) + random.pick(xmlNoise) : xml, 'utf8') };
    });
    add(`xlsx with mutated ${target === 'xl/workbook.xml' ? 'workbook' : 'sheet'} XML`, buildZip(parts));
  }
  // Crafted archives.
  add('zip bomb: 600 MB declared honestly', buildZip(workbookParts(Buffer.alloc(0), { compressed: zerosBomb(600), declaredSize: 600 * 1024 * 1024 })));
  add('zip bomb: 600 MB declared as 10 KB', buildZip(workbookParts(Buffer.alloc(10 * 1024), { compressed: zerosBomb(600), declaredSize: 10 * 1024 })));
  add('zip bomb: 300 MB in each of two parts', buildZip([
    ...workbookParts(Buffer.alloc(0), { compressed: zerosBomb(300), declaredSize: 300 * 1024 * 1024 }),
    { name: 'xl/media/image1.png', data: Buffer.alloc(0), compressed: zerosBomb(300), declaredSize: 300 * 1024 * 1024 },
  ]));
  const header = `<row r="1">${inlineCell('A1', '管理番号')}${inlineCell('B1', '名称')}</row>`;
  const wide16k = Array.from({ length: 16_384 }, (_, index) => inlineCell(`${columnName(index)}2`, 'v')).join('');
  const wide = Array.from({ length: 100_000 }, (_, index) => inlineCell(`${columnName(index)}2`, 'v')).join('');
  add('xlsx: a 100,000-column row', buildZip(workbookParts(sheetXml(`${header}<row r="2">${wide}</row>`))));
  add('xlsx: a 16,384-column row (Excel maximum)', buildZip(workbookParts(sheetXml(`${header}<row r="2">${wide16k}</row>`))));
  add('xlsx: one cell far to the right', buildZip(workbookParts(sheetXml(`${header}<row r="2">${inlineCell('ZZZZZ2', 'far')}</row>`))));
  add('xlsx: a row number beyond Excel', buildZip(workbookParts(sheetXml(`${header}<row r="99999999999">${inlineCell('A99999999999', 'x')}</row>`))));
  add('xlsx: malformed sheet XML', buildZip(workbookParts(sheetXml(`${header}<row r="2"><c r="A2" t="inlineStr"><is><t>open`))));
  add('xlsx: a shared string index out of range', buildZip(workbookParts(sheetXml(`${header}<row r="2"><c r="A2" t="s"><v>999999</v></c></row>`))));
  add('xlsx: entity expansion attempt', buildZip(workbookParts(
    `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "${'a'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>` +
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}<row r="2">${inlineCell('A2', '&c;')}</row></sheetData></worksheet>`,
  )));
  add('xlsx: workbook without sheets', buildZip(workbookParts(sheetXml(header)).map((entry) => (entry.name === 'xl/workbook.xml' ? { ...entry, data: Buffer.from('<workbook/>') } : entry))));
  add('xlsx: sheet part missing', buildZip(workbookParts(sheetXml(header)).filter((entry) => entry.name !== 'xl/worksheets/sheet1.xml')));
  add('xlsx: 12,000 entries', buildZip([...workbookParts(sheetXml(header)), ...Array.from({ length: 12_000 }, (_, index) => ({ name: `xl/junk/${index}.xml`, data: Buffer.from('x'), method: 0 as const }))]));
  add('xlsx: an encrypted entry', buildZip(workbookParts(sheetXml(header), { flags: 0x01 })));
  add('xlsx: an unknown compression method', buildZip(workbookParts(sheetXml(header), { method: 12 as 0 })));
  add('xlsx: stored entry with a wrong size', buildZip(workbookParts(sheetXml(header), { method: 0, declaredSize: 5 })));
  add('zip with only an end record', Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Array(18).fill(0)]));
  add('zip local header only', Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  return cases;
}

async function baseWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('押印廃止');
  sheet.addRow(['押印廃止 棚卸し']);
  sheet.addRow(['管理番号', '名称', '所管課', '状況', '完了日', '年間件数']);
  for (let i = 1; i <= 40; i++) sheet.addRow([`SL-${i}`, `①様式 第${i}号（㈱）`, '市民課', i % 2 ? '押印必要' : '廃止済', new Date(Date.UTC(2026, 3, i)), i * 100]);
  sheet.mergeCells('A1:D1');
  const hidden = workbook.addWorksheet('選択肢', { state: 'hidden' });
  hidden.addRow(['押印必要', '検討中', '廃止済']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---- running them -------------------------------------------------------------------------------

type Outcome = { result: 'rows'; rows: number } | { result: 'sheet_error'; code: string } | { result: 'failure'; error: string };

async function readAll(file: string): Promise<number> {
  let rows = 0;
  for await (const row of readSheet(file)) {
    expect(row.rowNumber).toBeGreaterThan(0);
    rows++;
  }
  return rows;
}

/** The case being read. A hang leaves it set: Jest's time bound ends the test, and afterEach names the case. */
let inFlight: string | undefined;
afterEach(() => {
  const hung = inFlight;
  inFlight = undefined;
  if (hung !== undefined) throw new Error(`fuzz case ${hung} never answered: the reader hangs on it`);
});

async function run(file: string): Promise<Outcome> {
  inFlight = path.basename(file);
  try {
    return { result: 'rows', rows: await readAll(file) };
  } catch (error) {
    return error instanceof SheetFormatError && SHEET_FORMAT_ERROR_CODES.includes(error.code)
      ? { result: 'sheet_error', code: error.code }
      : { result: 'failure', error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n')}` : String(error) };
  } finally {
    inFlight = undefined;
  }
}

describe('sheet readers under fuzzing', () => {
  let dir: string;
  let base: Buffer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-fuzz-'));
    base = await baseWorkbook();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should read the unmutated inputs (so the mutations start from something valid)', async () => {
    const csv = path.join(dir, 'base.csv');
    fs.writeFileSync(csv, BASE_CSV);
    expect(await readAll(csv)).toBe(5);
    const xlsx = path.join(dir, 'base.xlsx');
    fs.writeFileSync(xlsx, base);
    expect(await readAll(xlsx)).toBe(42);
    const crafted = path.join(dir, 'crafted.xlsx');
    fs.writeFileSync(crafted, buildZip(workbookParts(sheetXml(`<row r="1">${inlineCell('A1', '管理番号')}</row><row r="2">${inlineCell('A2', 'SL-1')}</row>`))));
    expect(await readAll(crafted)).toBe(2);
  });

  it(`should answer every case with rows or a coded SheetFormatError (seed ${SEED})`, async () => {
    const random = prng(SEED);
    let counter = 0;
    const next = () => ++counter;
    const cases = [...randomCases(random, next), ...csvCases(random, next), ...xlsxCases(random, next, base)];
    expect(cases.length).toBeGreaterThanOrEqual(250);

    const failures: string[] = [];
    const tally: Record<string, number> = {};
    for (const fuzzCase of cases) {
      const file = path.join(dir, `case-${fuzzCase.id}-${fuzzCase.name}`);
      fs.writeFileSync(file, fuzzCase.bytes);
      const outcome = await run(file);
      const key = outcome.result === 'sheet_error' ? outcome.code : outcome.result;
      tally[key] = (tally[key] ?? 0) + 1;
      if (process.env.FUZZ_DEBUG) console.log(fuzzCase.id, fuzzCase.kind, JSON.stringify(outcome));
      if (outcome.result === 'failure') failures.push(`case ${fuzzCase.id} (${fuzzCase.kind}, ${fuzzCase.name}, ${fuzzCase.bytes.length} bytes): ${outcome.error}`);
      fs.rmSync(file, { force: true });
    }
    expect(failures).toEqual([]);
    expect(unhandled).toEqual([]);
    // the fuzz reached the readers' checks, not only the front door
    expect(Object.keys(tally)).toEqual(expect.arrayContaining(['rows', 'unreadable_file', 'invalid_text', 'too_many_columns', 'file_too_large']));
  }, 60_000);

  it('should give the expected answer to the named hostile inputs', async () => {
    const random = prng(SEED);
    let counter = 0;
    const next = () => ++counter;
    const named = new Map([...csvCases(random, next), ...xlsxCases(random, next, base)].map((fuzzCase) => [fuzzCase.kind, fuzzCase]));
    const expectations: [string, string][] = [
      ['zip bomb: 600 MB declared honestly', 'file_too_large'],
      ['zip bomb: 600 MB declared as 10 KB', 'file_too_large'],
      ['zip bomb: 300 MB in each of two parts', 'file_too_large'],
      // beyond Excel's 16,384 columns the file is not a workbook Excel could have written
      ['xlsx: a 100,000-column row', 'unreadable_file'],
      ['xlsx: a 16,384-column row (Excel maximum)', 'too_many_columns'],
      ['csv: a 100,000-column row', 'too_many_columns'],
      ['csv: an unclosed quote with a 5 MB field', 'unreadable_file'],
      ['csv: UTF-16LE with BOM', 'invalid_text'],
      ['xlsx: an encrypted entry', 'unsupported_format'],
    ];
    for (const [kind, code] of expectations) {
      const fuzzCase = named.get(kind)!;
      const file = path.join(dir, `named-${fuzzCase.id}-${fuzzCase.name}`);
      fs.writeFileSync(file, fuzzCase.bytes);
      expect({ kind, outcome: await run(file) }).toEqual({ kind, outcome: { result: 'sheet_error', code } });
    }
    for (const fuzzCase of named.values()) {
      if (!fuzzCase.kind.startsWith('csv with NUL')) continue;
      const file = path.join(dir, `nul-${fuzzCase.id}.csv`);
      fs.writeFileSync(file, fuzzCase.bytes);
      expect(await run(file)).toEqual({ result: 'sheet_error', code: 'invalid_text' });
    }
  }, 60_000);

  it('should keep working after all of it', async () => {
    const file = path.join(dir, 'after.csv');
    fs.writeFileSync(file, BASE_CSV);
    expect(await readAll(file)).toBe(5);
  });
});

// ---- the shapes of issue 18 ----------------------------------------------------------------------

describe('sheet readers under fuzzing: short and blank lines, t="d" cells, control characters, extreme dates', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-fuzz18-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, bytes: Buffer | string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  async function rows(file: string): Promise<SheetRow[]> {
    const out: SheetRow[] = [];
    for await (const row of readSheet(file)) out.push(row);
    return out;
  }

  it('should read 100,000 short and blank lines (CRLF and LF mixed) as rows with their own numbers', async () => {
    const random = prng(SEED + 18);
    // (a lone CR followed by an empty line and an LF would be one CRLF: CR alone is read elsewhere)
    const breaks = ['\r\n', '\n'];
    const lines: string[] = ['管理番号,名称,所管課,状況,完了日,予定日,備考'];
    const expected: { rowNumber: number; code: string }[] = [];
    for (let i = 0; i < 100_000; i++) {
      const shape = random.int(4);
      if (shape === 0) lines.push('');
      else if (shape === 1) lines.push(',,,');
      else {
        const code = `F${i}`;
        lines.push(shape === 2 ? code : `${code},名称,総務課,未着手,,,,,,,,,,`);
        expected.push({ rowNumber: i + 2, code });
      }
    }
    let text = lines[0];
    for (let i = 1; i < lines.length; i++) text += random.pick(breaks) + lines[i];
    const read = await rows(write('short-blank.csv', text));
    const got = read.slice(1).map((row) => `${row.rowNumber}:${String(row.cells[0])}`);
    const want = expected.map((row) => `${row.rowNumber}:${row.code}`);
    expect(got.length).toBe(want.length);
    expect(got.filter((value, index) => value !== want[index]).slice(0, 5)).toEqual([]);
    // what csv-parse would otherwise spend an Error on, line by line, is skipped
    expect(skipFieldCountCheck(createCsvParser())).toBe(true);
  }, 60_000);

  it('should read t="d" cells as dates or leave them as text, never as a number', async () => {
    const random = prng(SEED + 19);
    const values: string[] = [];
    let cells = '';
    for (let r = 1; r <= 2000; r++) {
      const y = 1800 + random.int(400);
      const m = 1 + random.int(13);
      const d = 1 + random.int(32);
      const pad = (n: number) => String(n).padStart(2, '0');
      const value = random.pick([`${y}-${pad(m)}-${pad(d)}`, `${y}-${pad(m)}-${pad(d)}T${pad(random.int(24))}:00:00Z`, `T10:00:00`, '', 'x&amp;y', `${y}`]);
      values.push(value);
      const quote = random.int(2) ? '"' : "'";
      cells += `<row r="${r}"><c r="A${r}" t=${quote}d${quote}><v>${value}</v></c><c r="B${r}" t="d"/></row>`;
    }
    const file = write('t-d.xlsx', buildZip(workbookParts(sheetXml(cells))));
    const read = await rows(file);
    const byRow = new Map(read.map((row) => [row.rowNumber, row.cells[0]]));
    values.forEach((value, index) => {
      const cell = byRow.get(index + 1) ?? null;
      expect(typeof cell === 'number').toBe(false);
      const iso = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
      if (iso) expect({ row: index + 1, cell }).toEqual({ row: index + 1, cell: iso });
      const parsed = parseDateCell(cell);
      if ('value' in parsed && parsed.value) expect(isSupportedDate(parsed.value)).toBe(true);
    });
  });

  it('should carry control characters through the reader to the one rule that refuses them', async () => {
    const random = prng(SEED + 20);
    const controls = [...Array(32).keys()].filter((c) => c !== 9 && c !== 10 && c !== 13 && c !== 0).concat([0x7f, ...Array.from({ length: 32 }, (_, i) => 0x80 + i)]);
    const lines = ['管理番号,名称'];
    const planted: { row: number; text: string }[] = [];
    for (let i = 0; i < 500; i++) {
      const text = `名${String.fromCharCode(random.pick(controls))}称${i}`;
      planted.push({ row: i + 2, text });
      lines.push(`C${i},"${text}"`);
    }
    const read = await rows(write('controls.csv', lines.join('\r\n')));
    for (const { row, text } of planted) {
      const cell = read.find((candidate) => candidate.rowNumber === row)?.cells[1];
      expect(cell).toBe(text);
      const result = normalizeField('seal', { key: 'name', header: '名称', kind: 'freeText', required: true, maxLength: 500 }, cell);
      expect('problem' in result && result.problem.code).toBe('invalid_character');
    }
  });

  it('should keep every date a cell can hold inside the window, or refuse it, never throw', () => {
    const random = prng(SEED + 21);
    const samples: unknown[] = [0, 1, 59, 60, 61, 2958465, 2958466, -1, 1e308, NaN, 10000101, 99991231, 20991231, 21000101, 19890107, 19890108];
    for (let i = 0; i < 2000; i++) {
      samples.push(random.int(3_000_000));
      samples.push(new Date(Date.UTC(random.int(10_000), random.int(12), 1 + random.int(31))));
      samples.push(`${random.pick(['明治', '大正', '昭和', '平成', '令和', 'M', 'T', 'S', 'H', 'R'])}${1 + random.int(99)}年${1 + random.int(12)}月${1 + random.int(31)}日`);
      samples.push(`${String(random.int(10_000)).padStart(4, '0')}-${1 + random.int(12)}-${1 + random.int(31)}`);
    }
    for (const sample of samples) {
      const parsed = parseDateCell(sample as never);
      if ('value' in parsed && parsed.value !== null) expect(isSupportedDate(parsed.value)).toBe(true);
      else if ('error' in parsed) expect(['invalid_date', 'date_out_of_range']).toContain(parsed.error);
    }
  });
});
