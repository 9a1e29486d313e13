import * as ExcelJS from 'exceljs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { useTempDir, writeCsv } from './support/temp-files';
import { createItem } from './support/factories';
import { runCliOn } from './support/run-cli';
import { databaseKinds, useTestApp } from './support/test-app';

const HEADER = '管理番号,月,オンライン件数,窓口件数';

const dir = useTempDir('volumes-api-');
const csvFile = (name: string, lines: string[]) => writeCsv(dir, name, lines);

describe.each(databaseKinds())('volumes API on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const upload = (path: string, query = '', token?: string) => t.http().post(`/api/v1/volumes${query}`).set(auth(token)).attach('file', path);
  const volumeRows = async () => Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM channel_volumes'))[0].n);
  const takeUp = async (query: string) => (await t.http().get(`/api/v1/take-up${query}`).set(auth()).expect(200)).body;

  beforeAll(async () => {
    await createItem(t, 'seal', { code: 'S01' });
  });

  it('should import the sheet 件数 and upsert by procedure and month', async () => {
    const first = await upload(csvFile('v1.csv', [HEADER, 'MN-01,2026-09,3,97', 'ＭＮ－０１,令和8年10月,10,90', 'MN-02,R8.10,"1,200",300', 'PR-24,2026/10,0,50'])).expect(200);
    expect(first.body).toEqual({
      applied: true,
      dryRun: false,
      summary: { rows: 4, created: 4, updated: 0, unchanged: 0, errors: 0 },
      errors: [],
      warnings: [],
    });
    const again = await upload(csvFile('v2.csv', ['令和8年度 件数（10月分の訂正）', `${HEADER},備考`, 'MN-01,2026-09,3,97,', 'MN-01,2026-10,12,88,訂正'])).expect(200);
    expect(again.body.summary).toEqual({ rows: 2, created: 0, updated: 1, unchanged: 1, errors: 0 });
    expect(again.body.warnings).toEqual([{ row: 2, column: '備考', code: 'unknown_column', message: expect.any(String) }]);
    expect(await volumeRows()).toBe(4);
    const audit = await t.app.get(AuditService).list();
    expect(audit.filter((entry) => entry.action === 'volumes_import').map((entry) => entry.detail)).toContainEqual(
      expect.objectContaining({ file: 'v1.csv', applied: true, summary: expect.objectContaining({ created: 4 }) }),
    );
  });

  it('should refuse the whole file with 422 and row-exact errors, writing nothing', async () => {
    const before = await volumeRows();
    const response = await upload(
      csvFile('bad.csv', [
        HEADER,
        'MN-03,2026-10,5,5', // fine on its own: not written because of the rest
        'XX-99,2026-10,1,1',
        'S01,2026-10,1,1',
        'MN-04,来月,1,1',
        'MN-04,2026-12,1,1',
        'MN-05,2026-10,-3,1',
        'MN-05,2026-09,2,',
        'MN-03,R8.10,1,1',
        'MN-06,2026-10,1.5,x',
      ]),
    ).expect(422);
    expect(response.body.applied).toBe(false);
    expect(response.body.summary).toEqual({ rows: 9, created: 1, updated: 0, unchanged: 0, errors: 9 });
    expect(response.body.errors).toEqual([
      { row: 3, column: '管理番号', value: 'XX-99', code: 'unknown_code', message: '管理番号「XX-99」のオンライン化の手続がありません' },
      { row: 4, column: '管理番号', value: 'S01', code: 'unknown_code', message: expect.any(String) },
      { row: 5, column: '月', value: '来月', code: 'invalid_month', message: expect.stringContaining('来月') },
      { row: 6, column: '月', value: '2026-12', code: 'month_in_future', message: expect.stringContaining('2026-11') },
      { row: 7, column: 'オンライン件数', value: '-3', code: 'negative_number', message: expect.any(String) },
      { row: 8, column: '窓口件数', value: '', code: 'missing_required', message: '窓口件数は必須です' },
      { row: 9, column: '月', value: 'R8.10', code: 'duplicate_row', message: expect.stringContaining('2行目') },
      { row: 10, column: 'オンライン件数', value: '1.5', code: 'invalid_number', message: expect.any(String) },
      { row: 10, column: '窓口件数', value: 'x', code: 'invalid_number', message: expect.any(String) },
    ]);
    expect(await volumeRows()).toBe(before);
    const unreadable = await upload(csvFile('nohead.csv', ['code,month', 'MN-01,2026-10'])).expect(422);
    expect(unreadable.body.code).toBe('header_not_found');
    const none = await t.http().post('/api/v1/volumes').set(auth()).expect(400);
    expect(none.body.code).toBe('file_required');
  });

  it('should let editors import only their own department\'s procedures, and viewers none', async () => {
    const welfare = await t.token('editor', '福祉こども部');
    const other = await upload(csvFile('other.csv', [HEADER, 'MN-01,2026-08,1,1', 'PR-01,2026-08,1,1']), '', welfare).expect(422);
    expect(other.body.errors).toEqual([
      { row: 3, column: '管理番号', value: 'PR-01', code: 'forbidden_division', message: expect.stringContaining('所属部局外') },
    ]);
    await upload(csvFile('own.csv', [HEADER, 'MN-01,2026-08,1,1']), '', welfare).expect(200);
    const viewer = await t.token('viewer');
    await upload(csvFile('viewer.csv', [HEADER, 'MN-01,2026-08,1,1']), '', viewer).expect(403);
  });

  it('should validate without writing in a dry run, and read an xlsx sheet named 件数 with date cells', async () => {
    const before = await volumeRows();
    const dry = await upload(csvFile('dry.csv', [HEADER, 'MN-10,2026-10,4,4']), '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ applied: false, dryRun: true, summary: { rows: 1, created: 1, errors: 0 } });
    expect(await volumeRows()).toBe(before);

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('説明').addRow(['件数は月ごとに入力してください']);
    const sheet = workbook.addWorksheet('件数');
    sheet.addRow(['管理番号', '月', 'オンライン件数', '窓口件数']);
    sheet.addRow(['MN-10', new Date(Date.UTC(2026, 9, 1)), 4, 4]);
    const path = join(dir, 'volumes.xlsx');
    await workbook.xlsx.writeFile(path);
    const applied = await upload(path).expect(200);
    expect(applied.body.summary).toEqual({ rows: 1, created: 1, updated: 0, unchanged: 0, errors: 0 });
  });

  it('should report take-up worst first, per national group and in total, for any period', async () => {
    const october = await takeUp('?from=2026-10&to=令和8年10月');
    expect(october).toMatchObject({ from: '2026-10', to: '2026-10', fromLabel: '令和8年10月', nationalGroup: null, status: null });
    const withCases = october.items.filter((item: { takeUp: number | null }) => item.takeUp !== null);
    expect(withCases.map((item: { code: string; online: number; offline: number; takeUp: number }) => [item.code, item.online, item.offline, item.takeUp])).toEqual([
      ['PR-24', 0, 50, 0],
      ['MN-01', 12, 88, 12],
      ['MN-10', 4, 4, 50],
      ['MN-02', 1200, 300, 80],
    ]);
    // procedures without cases in the period come last, with null
    expect(october.items).toHaveLength(51);
    expect(october.items[50]).toMatchObject({ takeUp: null, online: 0, offline: 0, status: 'not_started', statusLabel: '未着手' });
    expect(october.groups).toEqual([
      { nationalGroup: 'mynumber27', label: 'マイナンバー27', procedures: 27, online: 1216, offline: 392, takeUp: 75.6 },
      { nationalGroup: 'priority24', label: '優先24', procedures: 24, online: 0, offline: 50, takeUp: 0 },
    ]);
    expect(october.total).toEqual({ online: 1216, offline: 442, takeUp: 73.3 });

    const mynumber = await takeUp('?from=2026-08&to=2026-10&nationalGroup=マイナンバー27');
    expect(mynumber.nationalGroup).toBe('mynumber27');
    expect(mynumber.items).toHaveLength(27);
    expect(mynumber.items.find((item: { code: string }) => item.code === 'MN-01')).toMatchObject({ online: 1 + 3 + 12, offline: 1 + 97 + 88 });

    // status narrows to the procedures in that state now (nothing is online in the seeds)
    const online = await takeUp(`?from=2026-10&to=2026-10&status=${encodeURIComponent('オンライン化済')}`);
    expect(online).toMatchObject({ status: 'online', items: [], total: { online: 0, offline: 0, takeUp: null } });
    expect((await takeUp('?from=2026-10&to=2026-10&status=not_started')).items).toHaveLength(51);
    const badStatus = await t.http().get('/api/v1/take-up?status=done').set(auth()).expect(400);
    expect(badStatus.body.code).toBe('invalid_status');

    const empty = await takeUp('?from=2020-04&to=2020-06');
    expect(empty.total).toEqual({ online: 0, offline: 0, takeUp: null });
    expect(empty.items.every((item: { takeUp: number | null }) => item.takeUp === null)).toBe(true);

    // default: the twelve months up to the current month (the clock is fixed at 2026-11-24)
    expect(await takeUp('')).toMatchObject({ from: '2025-12', to: '2026-11' });
    const reversed = await t.http().get('/api/v1/take-up?from=2026-10&to=2026-04').set(auth()).expect(400);
    expect(reversed.body.code).toBe('invalid_range');
    const group = await t.http().get('/api/v1/take-up?nationalGroup=unknown').set(auth()).expect(400);
    expect(group.body.code).toBe('invalid_choice');
    await t.http().get('/api/v1/take-up').expect(401);
  });

  it('should import volumes and print take-up from the CLI', async () => {
    const cli = (args: string[]) => runCliOn(t.database.settings, args);
    const good = await cli(['import-volumes', csvFile('cli.csv', [HEADER, 'MN-20,2026-10,7,3']), '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ applied: true, summary: { created: 1 } });
    const bad = await cli(['import-volumes', csvFile('cli-bad.csv', [HEADER, 'MN-20,2026-10,x,3'])]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('行2 列「オンライン件数」 値「x」');
    expect((await cli(['import-volumes', join(dir, 'missing.csv')])).code).toBe(2);
    const table = await cli(['take-up', '--from', '2026-10', '--to', '2026-10']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('MN-20');
    expect(table.out).toContain('70.0%');
  });
});
