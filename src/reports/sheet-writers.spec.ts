import * as ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import {
  commitWorkbook,
  CsvItemWriter,
  displayWidth,
  drained,
  ExportAborted,
  itemSheetColumns,
  itemSheetHeaders,
  itemSheetValues,
  rowHeightFor,
  streamingWorkbook,
  TableSheet,
  toCsvCells,
  toXlsxCells,
  wrappedLines,
  XlsxItemWriter,
} from './sheet-writers';

const sealItem = {
  code: 'S-01',
  name: '=1+1',
  division: '総務課',
  status: 'abolished',
  completedOn: '2026-05-10',
  dueOn: null,
  note: '',
  annualVolume: 1200,
  basisLevel: 'ordinance',
  legalBasis: '①条例',
  sealKind: 'unknown_key',
  replacement: 'signature',
};

/** Collects what a writer streams. */
function sink(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

async function readBack(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe('item sheet values', () => {
  it('should follow the import layout: labels for states and choices, dates kept as dates, numbers as numbers, text as stored', () => {
    expect(itemSheetHeaders('seal')).toEqual(['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '年間件数', '根拠区分', '根拠法令', '押印種別', '代替方法']);
    expect(itemSheetValues('seal', sealItem)).toEqual(['S-01', '=1+1', '総務課', '廃止済', { date: '2026-05-10' }, null, null, 1200, '条例', '①条例', 'unknown_key', '署名']);
  });

  it('should write dates as ISO text in CSV and as date cells in xlsx', () => {
    const values = itemSheetValues('seal', sealItem);
    expect(toCsvCells(values)[4]).toBe('2026-05-10');
    expect((toXlsxCells(values)[4] as Date).toISOString()).toBe('2026-05-10T00:00:00.000Z');
  });

  it('should give each column a kind by its field', () => {
    const kinds = itemSheetColumns('online').map((column) => column.kind);
    expect(kinds).toEqual(['code', 'longText', 'text', 'text', 'date', 'date', 'longText', 'text', 'text', 'integer', 'text', 'longText']);
  });
});

describe('CsvItemWriter', () => {
  it('should write the BOM, the header and one CRLF record per item, neutralized and quoted', async () => {
    const { stream, bytes } = sink();
    const writer = new CsvItemWriter('seal', stream);
    await writer.start();
    await writer.writeItems([sealItem, { ...sealItem, code: 'S-02', name: 'a,b' }]);
    stream.end();
    expect(writer.rowCount).toBe(2);
    expect(bytes().toString('utf8')).toBe(
      '\uFEFF管理番号,名称,所管課,状況,完了日,予定日,備考,年間件数,根拠区分,根拠法令,押印種別,代替方法\r\n' +
        "S-01,'=1+1,総務課,廃止済,2026-05-10,,,1200,条例,①条例,unknown_key,署名\r\n" +
        'S-02,"a,b",総務課,廃止済,2026-05-10,,,1200,条例,①条例,unknown_key,署名\r\n',
    );
  });

  it('should wait while the output is full, and go on once it drains', async () => {
    let release!: () => void;
    const slow = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        release = callback;
      },
    });
    const writer = new CsvItemWriter('seal', slow);
    let started = false;
    const start = writer.start().then(() => (started = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(false);
    release();
    await start;
    expect(started).toBe(true);
  });

  it('should stop when the output is closed', async () => {
    const closed = new PassThrough();
    closed.destroy();
    await expect(new CsvItemWriter('seal', closed).start()).rejects.toBeInstanceOf(ExportAborted);
  });
});

describe('drained', () => {
  it('should reject when the output closes while full', async () => {
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    stuck.write('xx');
    const waiting = drained(stuck);
    stuck.destroy();
    await expect(waiting).rejects.toBeInstanceOf(ExportAborted);
  });
});

describe('row heights for wrapped text', () => {
  it('should count wide characters as two column units', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('様式第1号（甲）')).toBe(15);
    expect(displayWidth('ｱｲｳ')).toBe(3); // half-width kana are narrow
    expect(displayWidth('𠮷野家')).toBe(6); // a CJK character beyond the BMP (a surrogate pair) is one wide character
    expect(displayWidth('😀a')).toBe(2); // an emoji is not in the wide ranges
    expect(displayWidth('')).toBe(0);
  });

  it('should put short text on one line without measuring it, and measure text that might not fit', () => {
    expect(wrappedLines('あいうえお', 11)).toBe(1); // 10 units in 10 usable
    expect(wrappedLines('あいうえおか', 11)).toBe(2);
    expect(wrappedLines('abcdefghijk', 11)).toBe(2); // 11 narrow characters: measured, 11 units
    expect(wrappedLines('a\nb', 40)).toBe(2);
    expect(wrappedLines('a\rb', 40)).toBe(2);
    expect(wrappedLines('', 10)).toBe(1);
  });

  it('should count the lines a text wraps to, its own line breaks included', () => {
    expect(wrappedLines('短い', 10)).toBe(1);
    expect(wrappedLines('あいうえおかきくけこ', 11)).toBe(2);
    expect(wrappedLines('一行目\n二行目\r\n三', 40)).toBe(3);
  });

  it('should give a row the height of its tallest wrapped cell, capped, and none for one line', () => {
    const columns = [
      { header: 'a', kind: 'longText' as const, width: 11 },
      { header: 'b', kind: 'text' as const, width: 4 },
    ];
    expect(rowHeightFor(['短い', 'とても長い文字列ですが折り返しません'], columns)).toBeUndefined();
    expect(rowHeightFor(['あいうえおかきくけこ', null], columns)).toBe(30);
    expect(rowHeightFor(['あ'.repeat(500), null], columns)).toBe(120);
  });
});

describe('TableSheet', () => {
  it('should write a readable sheet: title, headers, frozen panes, a filter over the data only, print setup, notes below', async () => {
    const { stream, bytes } = sink();
    const workbook = streamingWorkbook(stream);
    const table = new TableSheet(workbook, '概要', {
      title: '見出し & 題',
      subtitle: '対象 全庁',
      columns: [
        { header: '名前', kind: 'text' },
        { header: '日付', kind: 'date' },
        { header: '率', kind: 'percent' },
        { header: '件数', kind: 'integer' },
      ],
      out: stream,
    });
    expect(table.headerRow).toBe(4);
    table.addRow(['=A1', new Date('2026-04-01T00:00:00Z'), 0.615, 1234]);
    table.addRow(['b', null, null, 0]);
    await table.flush();
    table.finish(['注: 説明']);
    await commitWorkbook(workbook, stream);

    const sheet = (await readBack(bytes())).getWorksheet('概要')!;
    expect([sheet.getCell(1, 1).value, sheet.getCell(2, 1).value]).toEqual(['見出し & 題', '対象 全庁']);
    expect([1, 2, 3, 4].map((column) => sheet.getCell(4, column).value)).toEqual(['名前', '日付', '率', '件数']);
    expect(sheet.getCell(4, 1).font.bold).toBe(true);
    expect(sheet.getCell(5, 1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell(5, 1).value).toBe('=A1');
    expect(sheet.getCell(5, 2).type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell(5, 2).numFmt).toBe('yyyy/m/d');
    expect(sheet.getCell(5, 3).numFmt).toBe('0.0%');
    expect(sheet.getCell(5, 4).numFmt).toBe('#,##0');
    expect(sheet.getCell(6, 2).value).toBeNull();
    expect(sheet.autoFilter).toBe('A4:D6');
    expect(sheet.getCell(8, 1).value).toBe('注: 説明');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4' });
    expect(sheet.headerFooter.oddHeader).toContain('見出し && 題');
  });

  it('should merge a group header over its columns and repeat both header rows when printing', async () => {
    const { stream, bytes } = sink();
    const workbook = streamingWorkbook(stream);
    const table = new TableSheet(workbook, '部局別', {
      title: 't',
      columns: [
        { header: 'a', kind: 'text' },
        { header: 'b', kind: 'integer' },
        { header: 'c', kind: 'integer' },
      ],
      groups: [
        { label: '部局', span: 1 },
        { label: '押印廃止', span: 2 },
      ],
    });
    expect(table.headerRow).toBe(4);
    await table.flush(); // nothing to commit yet: must not fail
    table.finish();
    await commitWorkbook(workbook, stream);
    const sheet = (await readBack(bytes())).getWorksheet('部局別')!;
    expect(sheet.getCell(3, 2).value).toBe('押印廃止');
    expect(sheet.getCell(3, 3).isMerged).toBe(true);
    expect(sheet.pageSetup.printTitlesRow).toBe('3:4');
    expect(sheet.autoFilter).toBe('A4:C4');
  });
});

describe('TableSheet cell styles and total rows', () => {
  it('should share each column style, restyle one cell on its own, and keep total rows bold and outside the filter', async () => {
    const { stream, bytes } = sink();
    const workbook = streamingWorkbook(stream);
    const table = new TableSheet(workbook, '利用率', {
      title: 't',
      columns: [
        { header: '管理番号', kind: 'code' },
        { header: '件数', kind: 'integer' },
        { header: '率', kind: 'percent' },
      ],
    });
    table.addRow(['A', 10, 0.1]);
    const second = table.addRow(['B', 20, 0.2]);
    table.styleCell(second.getCell(3), { font: { bold: true }, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } } });
    table.addRow(['C', 30, 0.3]);
    table.addTotalRow(['小計', 60, 0.2]);
    table.addTotalRow(['合計', 60, 0.2]);
    expect(table.dataRows).toBe(3);
    await table.flush();
    table.finish();
    await commitWorkbook(workbook, stream);

    const sheet = (await readBack(bytes())).getWorksheet('利用率')!;
    expect(table.headerRow).toBe(3); // no subtitle
    expect(sheet.autoFilter).toBe('A3:C6');
    // The restyled cell has its look; its neighbours in the column keep the column's style.
    expect(sheet.getCell(5, 3).font?.bold).toBe(true);
    expect((sheet.getCell(5, 3).fill as ExcelJS.FillPattern).fgColor).toEqual({ argb: 'FFFFC7CE' });
    expect(sheet.getCell(5, 3).numFmt).toBe('0.0%');
    for (const row of [4, 6]) {
      expect(sheet.getCell(row, 3).font?.bold).toBeFalsy();
      expect((sheet.getCell(row, 3).fill as ExcelJS.FillPattern | undefined)?.fgColor).toBeUndefined();
      expect(sheet.getCell(row, 3).numFmt).toBe('0.0%');
      expect(sheet.getCell(row, 2).numFmt).toBe('#,##0');
      expect(sheet.getCell(row, 1).numFmt).toBe('@');
    }
    expect([7, 8].map((row) => sheet.getCell(row, 1).value)).toEqual(['小計', '合計']);
    expect([1, 2, 3].every((column) => sheet.getCell(7, column).font?.bold && sheet.getCell(8, column).font?.bold)).toBe(true);
    expect(sheet.getCell(7, 2).border?.top).toMatchObject({ style: 'thin' });
    expect(sheet.getCell(8, 2).border?.top).toBeUndefined();
    expect(sheet.getCell(7, 3).numFmt).toBe('0.0%');
  });
});

describe('XlsxItemWriter', () => {
  it('should write the program sheet in the import layout with every text a string cell', async () => {
    const { stream, bytes } = sink();
    const workbook = streamingWorkbook(stream);
    const writer = new XlsxItemWriter('seal', workbook, '押印廃止', { title: '押印廃止 一覧', out: stream });
    await writer.writeItems([sealItem, { ...sealItem, code: '-1', name: '@x' }]);
    writer.finish();
    await commitWorkbook(workbook, stream);
    expect(writer.rowCount).toBe(2);
    const sheet = (await readBack(bytes())).getWorksheet('押印廃止')!;
    expect(sheet.getCell(3, 1).value).toBe('管理番号');
    expect(sheet.getCell(5, 1).value).toBe('-1');
    expect(sheet.getCell(5, 1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell(5, 2).value).toBe('@x');
    expect(sheet.getCell(4, 8).value).toBe(1200);
    expect(sheet.getCell(4, 2).alignment.wrapText).toBe(true);
    expect(sheet.getRow(4).height).toBeUndefined(); // '=1+1' fits on one line
    expect(sheet.getRow(5).height).toBeUndefined();
  });
});
