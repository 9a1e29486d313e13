import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import * as ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, EXIT_USAGE, runProgram } from '../src/cli/cli-runtime';
import { registerExportCommand } from '../src/cli/export-command';
import { SUMMARY_COLUMNS } from '../src/reports/compliance-sheets';
import { SheetCliRuntime } from '../src/cli/import-command';
import { PROJECTION_REASON_LABELS, ProjectionReason } from '../src/progress/progress-math';
import { restoreNeutralized } from '../src/reports/csv';
import { binary, workbookOf } from './support/responses';
import { databaseKinds, useTestApp } from './support/test-app';

// Exports read back as a user's spreadsheet or another system would: csv-parse and exceljs.

const SEAL_HEADERS = ['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '年間件数', '根拠区分', '根拠法令', '押印種別', '代替方法'];
const ONLINE_HEADERS = ['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '国の区分', '分野', '年間件数', '申請方法', '根拠法令'];
const ANALOG_HEADERS = ['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '根拠法令', '条項', '類型'];

/** Seal items: 総務課 (行政管理部) and 市民課 (市民安全部); text a spreadsheet would run as a formula. */
const SEAL_ITEMS = [
  { code: 'S01', name: '=HYPERLINK("http://example.invalid","開く")', division: '総務課', status: '廃止済', completedOn: '2026-05-10', replacement: '署名' },
  { code: 'S02', name: '様式,第2号 "甲"', division: '総務課', status: '廃止済', completedOn: 'R8.10.1', annualVolume: 1234 },
  { code: 'S03', name: '証明書交付申請書', division: '総務課', status: '法令上存続', note: '+法定様式', legalBasis: '①戸籍法施行規則', basisLevel: '省令' },
  { code: 'S04', name: '@委任状', division: '市民課', status: '押印必要', dueOn: '2026-09-30', sealKind: '実印' },
  { code: 'S05', name: '転入届', division: '市民課', status: '検討中', note: '-要確認', dueOn: '2027-01-31' },
  { code: 'S06', name: '㈱向け届出書（全角，読点）', division: '市民課', status: '押印必要' },
];

/** Stored text that starts with a formula character: the CSV writes it with a leading '. */
const NEUTRALIZED_CODES = new Set(['S01', 'S03', 'S04', 'S05']);

/** The seal plan (月別業務計画): 2028-04 lies after the deadline (令和9年度末). */
const SEAL_PLAN = [
  { month: '2026-05', planned: 1 },
  { month: '2026-10', planned: 2 },
  { month: '2028-04', planned: 3 },
];

/** Channel volumes (件数); 2025-11 lies outside the twelve months up to 2026-11. */
const VOLUMES = ['管理番号,月,オンライン件数,窓口件数', 'MN-01,2026-10,10,90', 'MN-02,2026-11,30,70', 'MN-03,2026-04,50,50', 'PR-01,2025-11,5,5', 'PR-01,2026-06,0,20'];

function csvRows(body: Buffer): string[][] {
  return parse(body, { bom: true, relax_column_count: true }) as string[][];
}

/** The row number whose first cell is `header` (the table's header row). */
function headerRowOf(sheet: ExcelJS.Worksheet, header: string): number {
  for (let row = 1; row <= 20; row++) if (sheet.getCell(row, 1).value === header) return row;
  throw new Error(`no header ${header} in ${sheet.name}`);
}

/** Data rows below the header: the cells' values, until the first empty first cell. */
function tableRows(sheet: ExcelJS.Worksheet, header: string): ExcelJS.CellValue[][] {
  const first = headerRowOf(sheet, header) + 1;
  const rows: ExcelJS.CellValue[][] = [];
  for (let row = first; sheet.getCell(row, 1).value !== null && sheet.getCell(row, 1).value !== undefined; row++) {
    const values: ExcelJS.CellValue[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) values.push(sheet.getCell(row, column).value);
    rows.push(values);
  }
  return rows;
}

function headerValues(sheet: ExcelJS.Worksheet, headerRow: number, count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => sheet.getCell(headerRow, index + 1).value);
}

const isoOf = (value: ExcelJS.CellValue) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

describe.each(databaseKinds())('exports on %s', (kind) => {
  const t = useTestApp(kind);
  let dir: string;
  let editorToken: string;
  let viewerToken: string;
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const get = (path: string, token?: string) => t.http().get(path).set(auth(token)).buffer(true).parse(binary);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'exports-'));
    for (const item of SEAL_ITEMS) {
      await t.http().post('/api/v1/programs/seal/items').set(auth()).send(item).expect(201);
    }
    // A later change: S06 put under review with a note (a history row of its own).
    const s06 = await t.http().get('/api/v1/programs/seal/items?q=S06').set(auth()).expect(200);
    await t.http().patch(`/api/v1/items/${s06.body.items[0].id}`).set(auth()).send({ version: s06.body.items[0].version, status: '検討中', note: '様式の見直し中' }).expect(200);
    await t.http().post('/api/v1/programs/analog/items').set(auth()).send({ code: 'A-001', name: '現地確認規定', division: '防災安全課', status: '改正済', completedOn: '2026-07-01', article: '第3条', analogType: '目視' }).expect(201);
    await t.http().put('/api/v1/targets/seal-abolition/plan').set(auth()).send({ months: SEAL_PLAN }).expect(200);
    await t.http().post('/api/v1/volumes').set(auth()).attach('file', Buffer.from(`\uFEFF${VOLUMES.join('\r\n')}\r\n`, 'utf8'), 'volumes.csv').expect(200);
    editorToken = await t.token('editor', '行政管理部');
    viewerToken = await t.token('viewer');
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('program CSV', () => {
    it('should write UTF-8 with BOM and CRLF in the import layout, ordered by code, labels and ISO dates', async () => {
      const response = await get('/api/v1/programs/seal/items.csv').expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="seal-items-2026-11-24.csv"; filename*=UTF-8''${encodeURIComponent('押印廃止_2026-11-24.csv')}`,
      );
      const body = response.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = body.toString('utf8');
      expect(text.split('\r\n')).toHaveLength(SEAL_ITEMS.length + 2); // header, rows, and the empty rest after the last CRLF
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);

      const [header, ...rows] = csvRows(body);
      expect(header).toEqual(SEAL_HEADERS);
      expect(rows.map((row) => row[0])).toEqual(['S01', 'S02', 'S03', 'S04', 'S05', 'S06']);
      const byCode = new Map(rows.map((row) => [row[0], Object.fromEntries(SEAL_HEADERS.map((h, i) => [h, row[i]]))]));
      expect(byCode.get('S02')).toMatchObject({ 名称: '様式,第2号 "甲"', 所管課: '総務課', 状況: '廃止済', 完了日: '2026-10-01', 年間件数: '1234' });
      expect(byCode.get('S03')).toMatchObject({ 状況: '法令上存続', 根拠区分: '省令', 根拠法令: '①戸籍法施行規則' });
      expect(byCode.get('S04')).toMatchObject({ 所管課: '市民課', 状況: '押印必要', 予定日: '2026-09-30', 押印種別: '実印' });
      expect(byCode.get('S06')).toMatchObject({ 名称: '㈱向け届出書（全角，読点）', 状況: '検討中', 備考: '様式の見直し中' });
      expect(byCode.get('S01')).toMatchObject({ 代替方法: '署名', 完了日: '2026-05-10' });
    });

    it('should neutralize text that starts with a formula character, and nothing else', async () => {
      const response = await get('/api/v1/programs/seal/items.csv').expect(200);
      const [, ...rows] = csvRows(response.body);
      const cell = (code: string, header: string) => rows.find((row) => row[0] === code)![SEAL_HEADERS.indexOf(header)];
      expect(cell('S01', '名称')).toBe(`'=HYPERLINK("http://example.invalid","開く")`);
      expect(cell('S03', '備考')).toBe("'+法定様式");
      expect(cell('S04', '名称')).toBe("'@委任状");
      expect(cell('S05', '備考')).toBe("'-要確認");
      expect(cell('S02', '名称')).toBe('様式,第2号 "甲"');
      // The exporter's half of the round trip: dropping the one added quote gives the stored text back.
      const stored = await t.http().get('/api/v1/programs/seal/items?pageSize=100').set(auth()).expect(200);
      for (const item of stored.body.items as { code: string; name: string; note: string | null }[]) {
        expect(restoreNeutralized(cell(item.code, '名称'))).toBe(item.name);
        expect(restoreNeutralized(cell(item.code, '備考'))).toBe(item.note ?? '');
      }
    });

    it('should filter by status, division and department, and give the state as of a date', async () => {
      const abolished = csvRows((await get(`/api/v1/programs/seal/items.csv?status=${encodeURIComponent('廃止済')}`).expect(200)).body);
      expect(abolished.slice(1).map((row) => row[0])).toEqual(['S01', 'S02']);
      const division = csvRows((await get(`/api/v1/programs/seal/items.csv?division=${encodeURIComponent('市民課')}`).expect(200)).body);
      expect(division.slice(1).map((row) => row[0])).toEqual(['S04', 'S05', 'S06']);
      const department = csvRows((await get(`/api/v1/programs/seal/items.csv?department=${encodeURIComponent('行政管理部')}`).expect(200)).body);
      expect(department.slice(1).map((row) => row[0])).toEqual(['S01', 'S02', 'S03']);

      // On 2026-06-30 S02 (abolished 2026-10-01) was still 押印必要, without a completion date.
      const earlier = await get('/api/v1/programs/seal/items.csv?asOf=2026-06-30').expect(200);
      expect(earlier.headers['content-disposition']).toContain('seal-items-2026-06-30.csv');
      const rows = csvRows(earlier.body).slice(1);
      const s02 = rows.find((row) => row[0] === 'S02')!;
      expect([s02[3], s02[4]]).toEqual(['押印必要', '']);
      expect(rows.find((row) => row[0] === 'S01')!.slice(3, 5)).toEqual(['廃止済', '2026-05-10']);
      const openThen = csvRows((await get(`/api/v1/programs/seal/items.csv?asOf=${encodeURIComponent('R8.6.30')}&status=seal_required`).expect(200)).body);
      expect(openThen.slice(1).map((row) => row[0])).toEqual(['S02', 'S04', 'S06']);
    });

    it('should refuse a bad filter with a code and a Japanese message', async () => {
      const status = await t.http().get('/api/v1/programs/seal/items.csv?status=済').set(auth()).expect(400);
      expect(status.body).toMatchObject({ code: 'invalid_status', message: expect.stringContaining('済') });
      const department = await t.http().get('/api/v1/programs/seal/items.csv?department=無い部').set(auth()).expect(400);
      expect(department.body.code).toBe('unknown_department');
      const future = await t.http().get('/api/v1/programs/seal/items.csv?asOf=2030-01-01').set(auth()).expect(400);
      expect(future.body.code).toBe('as_of_in_future');
      await t.http().get('/api/v1/programs/nope/items.csv').set(auth()).expect(404);
      await t.http().get('/api/v1/programs/seal/items.csv?page=2').set(auth()).expect(400);
      await t.http().get('/api/v1/programs/seal/items.csv').expect(401);
    });
  });

  describe('program xlsx', () => {
    it('should write one sheet named after the program: headers, string cells for text, date and number cells', async () => {
      const response = await get('/api/v1/programs/seal/items.xlsx').expect(200);
      expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('押印廃止_2026-11-24.xlsx')}`);
      const workbook = await workbookOf(response.body);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['押印廃止']);
      const sheet = workbook.getWorksheet('押印廃止')!;
      expect(String(sheet.getCell(1, 1).value)).toContain('令和8年11月24日');
      const headerRow = headerRowOf(sheet, '管理番号');
      expect(headerValues(sheet, headerRow, SEAL_HEADERS.length)).toEqual(SEAL_HEADERS);
      const rows = tableRows(sheet, '管理番号');
      expect(rows.map((row) => row[0])).toEqual(['S01', 'S02', 'S03', 'S04', 'S05', 'S06']);

      const s01 = headerRow + 1;
      const name = sheet.getCell(s01, 2);
      // Typed text stays text: a string cell holding the characters, never a formula.
      expect(name.type).toBe(ExcelJS.ValueType.String);
      expect(name.value).toBe('=HYPERLINK("http://example.invalid","開く")');
      expect(name.formula).toBeUndefined();
      const completed = sheet.getCell(s01, 5);
      expect(completed.type).toBe(ExcelJS.ValueType.Date);
      expect(isoOf(completed.value)).toBe('2026-05-10');
      expect(completed.numFmt).toBe('yyyy/m/d');
      const volume = sheet.getCell(s01 + 1, 8);
      expect(volume.type).toBe(ExcelJS.ValueType.Number);
      expect(volume.value).toBe(1234);
      for (let row = headerRow + 1; row <= headerRow + rows.length; row++) {
        sheet.getRow(row).eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula));
        for (const column of [1, 2, 3, 4, 7]) {
          if (sheet.getCell(row, column).value !== null) expect(sheet.getCell(row, column).type).toBe(ExcelJS.ValueType.String);
        }
      }
      // Readable on first open: frozen under the header, a filter over the table, A4 landscape.
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
      expect(sheet.autoFilter).toBe(`A${headerRow}:L${headerRow + rows.length}`);
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, fitToHeight: 0 });
      expect(sheet.pageSetup.printTitlesRow).toBe(`${headerRow}:${headerRow}`);
      expect(sheet.getColumn(2).width).toBeGreaterThan(30);
    });
  });

  describe('access', () => {
    it('should export an editor its own department by default, and any other it names (everyone reads everything)', async () => {
      const own = csvRows((await get('/api/v1/programs/seal/items.csv', editorToken).expect(200)).body);
      expect(own.slice(1).map((row) => row[0])).toEqual(['S01', 'S02', 'S03']);
      const named = await get(`/api/v1/programs/seal/items.csv?department=${encodeURIComponent('行政管理部')}`, editorToken).expect(200);
      expect(named.headers['content-disposition']).toContain(encodeURIComponent('押印廃止_行政管理部_2026-11-24.csv'));
      // The same rows the list API gives the editor: reading is not limited by department.
      const other = csvRows((await get(`/api/v1/programs/seal/items.csv?department=${encodeURIComponent('市民安全部')}`, editorToken).expect(200)).body);
      const listed = await t.http().get(`/api/v1/programs/seal/items?department=${encodeURIComponent('市民安全部')}`).set(auth(editorToken)).expect(200);
      expect(other.slice(1).map((row) => row[0]).sort()).toEqual(listed.body.items.map((item: { code: string }) => item.code).sort());
      expect(other.length).toBeGreaterThan(1);
      const division = csvRows((await get(`/api/v1/programs/seal/items.csv?division=${encodeURIComponent('市民課')}`, editorToken).expect(200)).body);
      expect(division.slice(1).every((row) => row[2] === '市民課')).toBe(true);
      await get(`/api/v1/reports/compliance.xlsx?department=${encodeURIComponent('市民安全部')}`, editorToken).expect(200);
    });

    it('should let a viewer export everything', async () => {
      const rows = csvRows((await get('/api/v1/programs/seal/items.csv', viewerToken).expect(200)).body);
      expect(rows).toHaveLength(SEAL_ITEMS.length + 1);
      await get('/api/v1/reports/compliance.xlsx', viewerToken).expect(200);
    });

    it('should record each export in the audit log with who, what and the filters', async () => {
      await get(`/api/v1/programs/seal/items.xlsx?status=abolished&asOf=2026-10-31`, viewerToken).expect(200);
      const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
      const exports = (audit.body.entries as { by: string; action: string; detail: Record<string, unknown> }[]).filter((entry) => entry.action === 'export');
      expect(exports.length).toBeGreaterThan(3);
      expect(exports[exports.length - 1]).toMatchObject({
        by: expect.stringMatching(/^viewer-/),
        detail: { kind: 'items', program: 'seal', format: 'xlsx', filters: { status: 'abolished', asOf: '2026-10-31' } },
      });
      expect(exports.some((entry) => entry.detail.kind === 'items' && (entry.detail.filters as Record<string, string>).department === '行政管理部')).toBe(true);
    });
  });

  describe('compliance workbook', () => {
    let workbook: ExcelJS.Workbook;
    let progress: {
      targets: Record<string, unknown>[];
      departments: { department: string; departmentCode: string; program: string; total: number; done: number; excluded: number; remaining: number; percent: number | null }[];
    };

    beforeAll(async () => {
      const response = await get('/api/v1/reports/compliance.xlsx').expect(200);
      expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('取組状況報告_2026-11-24.xlsx')}`);
      workbook = await workbookOf(response.body);
      progress = (await t.http().get('/api/v1/progress').set(auth()).expect(200)).body;
    });

    it('should hold the sheets in order', () => {
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['概要', '月別', '部局別', '利用率', 'オンライン化', '押印廃止', 'アナログ規制見直し', '取組方針の取組', '期限超過', '回答状況', '変更履歴']);
      for (const sheet of workbook.worksheets) {
        expect(sheet.views[0]).toMatchObject({ state: 'frozen' });
        expect(sheet.autoFilter).toBeTruthy();
        expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1 });
        expect(sheet.pageSetup.printTitlesRow).toMatch(/^\d+:\d+$/);
      }
    });

    it('should give 概要 the numbers of the progress API, the as-of date and deadlines in 和暦, verdicts in Japanese with a colour', () => {
      const sheet = workbook.getWorksheet('概要')!;
      expect(sheet.getCell(1, 1).value).toBe('デジタル化の取組 進捗報告（令和8年11月24日現在）');
      const headerRow = headerRowOf(sheet, '目標');
      const all = tableRows(sheet, '目標');
      // the targets, then the 全庁計 row: every item of the programs with a target, city-wide
      expect(all).toHaveLength(progress.targets.length + 1);
      const rows = all.slice(0, -1);
      const programs = new Set(progress.targets.map((target) => target.program));
      const counted = progress.departments.filter((row) => programs.has(row.program));
      const sum = (key: 'total' | 'done' | 'excluded') => counted.reduce((total, row) => total + row[key], 0);
      expect(all[all.length - 1].slice(0, 6)).toEqual(['全庁計', `${programs.size}取組`, sum('total'), sum('done'), sum('excluded'), sum('total') - sum('done') - sum('excluded')]);
      expect(sheet.getColumn(1).width).toBe(28);
      expect(SUMMARY_COLUMNS.every((column) => column.width !== undefined)).toBe(true);
      const verdictLabels: Record<string, string> = { met: '達成', on_track: '順調', at_risk: '要注意', behind: '遅れ', missed: '期限超過', no_items: '未登録' };
      progress.targets.forEach((target, index) => {
        const row = rows[index];
        expect(row[0]).toBe(target.label);
        expect(row.slice(2, 6)).toEqual([target.total, target.done, target.excluded, target.remaining]);
        if (target.percent === null) expect(row[6]).toBeNull();
        else expect((row[6] as number) * 100).toBeCloseTo(target.percent as number, 9);
        expect(row[7]).toBe(target.deadlineLabel);
        expect(isoOf(row[8])).toBe(target.deadline);
        expect(row[9]).toBe(verdictLabels[target.verdict as string]);
        expect(row[10]).toBe(target.overdue);
        expect(row[11]).toBe(target.pacePerMonth);
        expect(row[12]).toBe(target.neededPerMonth);
        if (target.projectedCompletion || !target.projectionReason) expect(isoOf(row[13])).toBe(target.projectedCompletion);
        else expect(row[13]).toBe(PROJECTION_REASON_LABELS[target.projectionReason as ProjectionReason]);
        expect(row.slice(14, 16)).toEqual([target.plannedToDate ?? null, target.planVariance ?? null]);
      });
      const seal = rows.findIndex((row) => row[0] === progress.targets.find((target) => target.id === 'seal-abolition')!.label);
      expect(rows[seal][7]).toBe('令和9年度末');
      expect(sheet.getCell(headerRow + 1 + seal, 7).numFmt).toBe('0.0%');
      const missed = rows.findIndex((row) => row[9] === '期限超過');
      expect(missed).toBeGreaterThanOrEqual(0);
      expect((sheet.getCell(headerRow + 1 + missed, 10).fill as ExcelJS.FillPattern).fgColor).toEqual({ argb: 'FFFFC7CE' });
    });

    it('should give 月別 one row per target and month with the plan fields of the progress API', () => {
      const sheet = workbook.getWorksheet('月別')!;
      expect(sheet.getCell(1, 1).value).toBe('月別業務計画と実績（令和8年11月24日現在）');
      const headerRow = headerRowOf(sheet, '目標');
      expect(headerValues(sheet, headerRow, 6)).toEqual(['目標', '月', '計画', '計画累計', '実績累計', '期限後']);
      const rows = tableRows(sheet, '目標');
      type Point = { monthLabel: string; planned: number; plannedCumulative: number; actualCumulative: number | null; afterDeadline: boolean };
      const expected = progress.targets.flatMap((target) =>
        (target.plan as Point[]).map((point) => [
          target.label,
          point.monthLabel,
          point.planned,
          point.plannedCumulative,
          point.actualCumulative,
          point.afterDeadline ? '期限後' : null,
        ]),
      );
      expect(rows).toEqual(expected);
      // The seal plan, filled month by month from 2026-05 to 2028-04: 24 months.
      const seal = progress.targets.find((target) => target.id === 'seal-abolition')!;
      const sealRows = rows.filter((row) => row[0] === seal.label);
      expect(sealRows).toHaveLength(24);
      expect(sealRows[0].slice(1, 5)).toEqual(['令和8年5月', 1, 1, 1]); // S01 abolished 2026-05-10
      expect(sealRows[6].slice(1, 5)).toEqual(['令和8年11月', 0, 3, seal.done]);
      expect(sealRows[7][4]).toBeNull(); // after the as-of month: no actual yet
      expect(sealRows[23].slice(1)).toEqual(['令和10年4月', 3, 6, null, '期限後']);
      expect(sealRows.filter((row) => row[5] === '期限後')).toHaveLength(1);
      expect(sheet.autoFilter).toBe(`A${headerRow}:F${headerRow + rows.length}`);
    });

    it('should give 利用率 the take-up API, worst first, then the groups and the total outside the filter', async () => {
      const takeUp = (await t.http().get('/api/v1/take-up?from=2025-12&to=2026-11').set(auth()).expect(200)).body;
      const sheet = workbook.getWorksheet('利用率')!;
      expect(sheet.getCell(1, 1).value).toBe('オンライン利用率（令和7年12月〜令和8年11月）');
      const headerRow = headerRowOf(sheet, '管理番号');
      expect(headerValues(sheet, headerRow, 7)).toEqual(['管理番号', '名称', '国の区分', '状況', 'オンライン件数', '窓口件数', '利用率']);
      const rows = tableRows(sheet, '管理番号');
      const percent = (value: ExcelJS.CellValue) => (value === null ? null : Math.round((value as number) * 1000) / 10);
      const groupLabels: Record<string, string> = { mynumber27: 'マイナンバー27', priority24: '優先24', city: '市独自' };
      type ItemTakeUp = { code: string; name: string; nationalGroup: string | null; statusLabel: string; online: number; offline: number; takeUp: number | null };
      const items = takeUp.items as ItemTakeUp[];
      expect(items).toHaveLength(51);
      expect(rows.slice(0, items.length).map((row) => [...row.slice(0, 6), percent(row[6])])).toEqual(
        items.map((item) => [item.code, item.name, item.nationalGroup ? groupLabels[item.nationalGroup] : null, item.statusLabel, item.online, item.offline, item.takeUp]),
      );
      // Worst first: MN-01 (10 %), MN-02 (30 %), MN-03 (50 %); PR-01 had 0 of 20 in the period.
      expect(rows.slice(0, 4).map((row) => [row[0], percent(row[6])])).toEqual([
        ['PR-01', 0],
        ['MN-01', 10],
        ['MN-02', 30],
        ['MN-03', 50],
      ]);
      type Group = { label: string; procedures: number; online: number; offline: number; takeUp: number | null };
      const totals = rows.slice(items.length).map((row) => [...row.slice(0, 6), percent(row[6])]);
      expect(totals).toEqual([
        ...(takeUp.groups as Group[]).map((group) => ['小計', `${group.label}（${group.procedures}手続）`, group.label, null, group.online, group.offline, group.takeUp]),
        ['合計', '全手続（51手続）', null, null, takeUp.total.online, takeUp.total.offline, takeUp.total.takeUp],
      ]);
      expect(takeUp.total).toEqual({ online: 90, offline: 230, takeUp: 28.1 });
      const lastItemRow = headerRow + items.length;
      expect(sheet.getCell(lastItemRow, 7).numFmt).toBe('0.0%');
      expect(sheet.getCell(headerRow + rows.length, 5).font).toMatchObject({ bold: true });
      expect(sheet.getCell(lastItemRow + 1, 1).border?.top).toMatchObject({ style: 'thin' });
      // The filter covers the procedures only: sorting them leaves the totals below.
      expect(sheet.autoFilter).toBe(`A${headerRow}:G${lastItemRow}`);
    });

    it('should give 部局別 the department × program percentages of the progress API', () => {
      const sheet = workbook.getWorksheet('部局別')!;
      const rows = tableRows(sheet, '部局コード');
      // every program, the reform initiatives (seeded) included
      const programs = ['online', 'seal', 'analog', 'reform'];
      const expected = new Map<string, unknown[]>();
      for (const row of progress.departments) {
        const cells = expected.get(row.departmentCode) ?? [row.departmentCode, row.department, ...Array(20).fill(null)];
        const offset = 2 + programs.indexOf(row.program) * 5;
        cells.splice(offset, 5, row.total, row.done, row.excluded, row.remaining, row.percent);
        expected.set(row.departmentCode, cells);
      }
      expect(rows.map((row) => row.map((cell, index) => (typeof cell === 'number' && (index - 2) % 5 === 4 ? Math.round(cell * 1000) / 10 : cell)))).toEqual([...expected.values()]);
      const headerRow = headerRowOf(sheet, '部局コード');
      expect(sheet.getCell(headerRow - 1, 3).value).toBe('オンライン化');
      expect(sheet.getCell(headerRow - 1, 8).value).toBe('押印廃止');
    });

    it('should carry each program in the import layout with the state as of the date', () => {
      const expectations: [string, string[], string[]][] = [
        ['押印廃止', SEAL_HEADERS, ['S01', 'S02', 'S03', 'S04', 'S05', 'S06']],
        ['アナログ規制見直し', ANALOG_HEADERS, ['A-001']],
        ['オンライン化', ONLINE_HEADERS, []],
      ];
      for (const [name, headers, codes] of expectations) {
        const sheet = workbook.getWorksheet(name)!;
        const headerRow = headerRowOf(sheet, '管理番号');
        expect(headerValues(sheet, headerRow, headers.length)).toEqual(headers);
        const rows = tableRows(sheet, '管理番号');
        if (codes.length) expect(rows.map((row) => row[0])).toEqual(codes);
        else expect(rows).toHaveLength(51); // the seeded national procedures
      }
    });

    it('should list in 期限超過 the items of the overdue list, with owner, deadline and days late', async () => {
      const sheet = workbook.getWorksheet('期限超過')!;
      const rows = tableRows(sheet, '取組');
      const overdue = await t.http().get('/api/v1/progress/overdue?limit=1000').set(auth()).expect(200);
      expect(rows).toHaveLength(overdue.body.total);
      const s04 = rows.find((row) => row[1] === 'S04')!;
      expect(s04[0]).toBe('押印廃止');
      expect(s04.slice(2, 6)).toEqual(['@委任状', '市民課', '市民安全部', '押印必要']);
      expect(isoOf(s04[6])).toBe('2026-09-30');
      expect(isoOf(s04[7])).toBe('2026-09-30');
      expect(s04[8]).toBe('予定日（令和8年9月30日）');
      expect(s04[9]).toBe(55);
      expect(rows.find((row) => row[1] === 'S05')).toBeUndefined(); // due 2027-01-31
      const online = rows.filter((row) => row[0] === 'オンライン化');
      expect(online).toHaveLength(51);
      expect(online.some((row) => String(row[8]).includes('令和7年9月30日'))).toBe(true);
    });

    it('should list in 変更履歴 every change of the fiscal year with who, from, to and the note', () => {
      const sheet = workbook.getWorksheet('変更履歴')!;
      expect(sheet.getCell(1, 1).value).toBe('変更履歴（令和8年4月1日〜令和8年11月24日）');
      const rows = tableRows(sheet, '日時');
      const s06 = rows.filter((row) => row[3] === 'S06');
      expect(s06.map((row) => [row[1], row[5], row[6], row[8]])).toEqual([
        ['test-admin', '（新規登録）', '押印必要', null],
        ['test-admin', '押印必要', '検討中', '様式の見直し中'],
      ]);
      // 10:00 in Tokyo on the test clock (01:00 UTC), written as the local wall-clock time.
      expect((s06[0][0] as Date).toISOString()).toBe('2026-11-24T10:00:00.000Z');
      expect(sheet.getCell(headerRowOf(sheet, '日時') + 1, 1).numFmt).toBe('yyyy/m/d h:mm');
      const s02 = rows.find((row) => row[3] === 'S02')!;
      expect([s02[6], isoOf(s02[7])]).toEqual(['廃止済', '2026-10-01']);
      // The seeded procedures were loaded when the app started, by the seed loader: not a change anyone made.
      expect(rows.some((row) => String(row[3]).startsWith('MN-'))).toBe(false);
      expect(rows.length).toBe(SEAL_ITEMS.length + 1 + 1);
    });

    it('should narrow to a department and leave out history outside the period', async () => {
      const response = await get(`/api/v1/reports/compliance.xlsx?department=${encodeURIComponent('市民安全部')}&from=2026-12-01&to=2026-12-31&asOf=2026-11-24`).expect(200);
      expect(response.headers['content-disposition']).toContain(encodeURIComponent('取組状況報告_市民安全部_2026-11-24.xlsx'));
      const filtered = await workbookOf(response.body);
      expect(tableRows(filtered.getWorksheet('押印廃止')!, '管理番号').map((row) => row[0])).toEqual(['S04', 'S05', 'S06']);
      expect(tableRows(filtered.getWorksheet('アナログ規制見直し')!, '管理番号').map((row) => row[0])).toEqual(['A-001']);
      expect(tableRows(filtered.getWorksheet('部局別')!, '部局コード').map((row) => row[1])).toEqual(['市民安全部']);
      expect(tableRows(filtered.getWorksheet('変更履歴')!, '日時')).toHaveLength(0);
      expect(tableRows(filtered.getWorksheet('概要')!, '目標')).toHaveLength(progress.targets.length + 1);
      const bad = await t.http().get('/api/v1/reports/compliance.xlsx?from=2026-12-01&to=2026-11-01').set(auth()).expect(400);
      expect(bad.body.code).toBe('invalid_range');
    });
  });

  describe('export → import round trip', () => {
    const dryRun = (program: string, body: Buffer, fileName: string, query = '') =>
      t.http().post(`/api/v1/imports/${program}?dryRun=true&plan=true${query}`).set(auth()).attach('file', body, fileName).expect(200);

    it('should import a program xlsx back with every row unchanged', async () => {
      for (const program of ['seal', 'online', 'analog']) {
        const exported = await get(`/api/v1/programs/${program}/items.xlsx`).expect(200);
        const result = await dryRun(program, exported.body, `${program}.xlsx`);
        expect(result.body.summary).toMatchObject({ created: 0, updated: 0, errors: 0 });
        expect(result.body.summary.unchanged).toBe(result.body.summary.rows);
        expect(result.body.summary.rows).toBeGreaterThan(0);
      }
    });

    it('should import a program CSV back with every row unchanged, neutralized text included', async () => {
      for (const program of ['online', 'analog']) {
        const exported = await get(`/api/v1/programs/${program}/items.csv`).expect(200);
        const result = await dryRun(program, exported.body, `${program}.csv`);
        expect(result.body.summary).toMatchObject({ created: 0, updated: 0, errors: 0 });
        expect(result.body.summary.unchanged).toBe(result.body.summary.rows);
      }
      const exported = (await get('/api/v1/programs/seal/items.csv').expect(200)).body as Buffer;
      // The file does carry the marks (names starting with = and @, notes with + and -) …
      const marked = csvRows(exported)
        .slice(1)
        .filter((row) => row.some((cell) => cell.startsWith("'")))
        .map((row) => row[0]);
      expect(new Set(marked)).toEqual(NEUTRALIZED_CODES);
      // … and the importer takes them off again: nothing to change.
      const seal = await dryRun('seal', exported, 'seal.csv');
      expect(seal.body.summary).toEqual({ rows: SEAL_ITEMS.length, created: 0, updated: 0, unchanged: SEAL_ITEMS.length, errors: 0 });
      expect((seal.body.plan as { action: string }[]).map((entry) => entry.action)).toEqual(SEAL_ITEMS.map(() => 'unchanged'));
    });

    it('should import the program sheets of the compliance workbook back unchanged', async () => {
      const exported = await get('/api/v1/reports/compliance.xlsx').expect(200);
      for (const [program, sheet] of [['seal', '押印廃止'], ['online', 'オンライン化'], ['analog', 'アナログ規制見直し']]) {
        // The importer picks the sheet named after the program by itself.
        const result = await dryRun(program, exported.body, 'report.xlsx');
        expect(result.body.summary).toMatchObject({ created: 0, updated: 0, errors: 0 });
        expect(result.body.summary.unchanged).toBe(result.body.summary.rows);
        const named = await dryRun(program, exported.body, 'report.xlsx', `&sheet=${encodeURIComponent(sheet)}`);
        expect(named.body.summary.unchanged).toBe(result.body.summary.rows);
      }
    });
  });

  describe('CLI', () => {
    async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
      const runtime: SheetCliRuntime = { withContext: (work) => work(t.app), progressStream: process.stderr };
      const program = new Command('procedure-tracker').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
      registerExportCommand(program, io, runtime);
      const code = await runProgram(program, args, io);
      return { code, out: out.join('\n'), err: err.join('\n') };
    }

    it('should write the same CSV as the API', async () => {
      const file = join(dir, 'seal.csv');
      const run = await cli(['export', 'seal', '--format', 'csv', '--out', file, '--department', '行政管理部']);
      expect(run).toMatchObject({ code: 0, out: expect.stringContaining('押印廃止（3 件）') });
      const api = await get(`/api/v1/programs/seal/items.csv?department=${encodeURIComponent('行政管理部')}`).expect(200);
      expect(readFileSync(file).equals(api.body)).toBe(true);
      expect(existsSync(`${file}.partial`)).toBe(false);
    });

    it('should write the compliance workbook, the format taken from the file name', async () => {
      const file = join(dir, 'report.xlsx');
      const run = await cli(['export', 'compliance', '--out', file, '--as-of', '令和8年10月31日']);
      expect(run.code).toBe(0);
      const workbook = await workbookOf(readFileSync(file));
      expect(workbook.worksheets.map((sheet) => sheet.name)).toContain('期限超過');
      expect(workbook.getWorksheet('概要')!.getCell(1, 1).value).toBe('デジタル化の取組 進捗報告（令和8年10月31日現在）');
      const progress = (await t.http().get('/api/v1/progress?asOf=2026-10-31').set(auth()).expect(200)).body;
      const seal = progress.targets.find((target: { id: string }) => target.id === 'seal-abolition');
      const row = tableRows(workbook.getWorksheet('概要')!, '目標').find((values) => values[0] === seal.label)!;
      expect(row.slice(2, 6)).toEqual([seal.total, seal.done, seal.excluded, seal.remaining]);
    });

    it('should refuse usage errors with exit 2 and a refused filter with exit 1, leaving no file', async () => {
      const file = join(dir, 'refused.csv');
      expect((await cli(['export', 'compliance', '--format', 'csv', '--out', file])).code).toBe(EXIT_USAGE);
      expect((await cli(['export', 'nope', '--format', 'csv', '--out', file])).code).toBe(EXIT_USAGE);
      expect((await cli(['export', 'seal', '--out', join(dir, 'noext')])).code).toBe(EXIT_USAGE);
      expect((await cli(['export', 'seal', '--format', 'csv', '--out', join(dir, 'missing', 'x.csv')])).code).toBe(EXIT_USAGE);
      expect((await cli(['export', 'seal', '--format', 'csv', '--out', file, '--from', '2026-04-01'])).code).toBe(EXIT_USAGE);
      const refused = await cli(['export', 'seal', '--format', 'csv', '--out', file, '--status', '済']);
      expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('invalid_status') });
      expect(readdirSync(dir).filter((name) => name.startsWith('refused'))).toEqual([]);
    });
  });
});
