import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { useTempDir, writeCsv } from './support/temp-files';
import { runCliOn } from './support/run-cli';
import { databaseKinds, useTestApp } from './support/test-app';

// Monthly reports (月次報告) are kept per item and month; these tests use any program's items
// (the reform initiatives are items too) so they hold whatever program an item belongs to.
const PROGRAM = 'seal';
const HEADER = '管理番号,月,進捗率,コメント,計画進捗率,マイルストーン';

const dir = useTempDir('monthly-reports-api-');
const csvFile = (name: string, lines: string[]) => writeCsv(dir, name, lines);

describe.each(databaseKinds())('monthly reports API on %s', (kind) => {
  const t = useTestApp(kind);
  let ownId: number;
  let otherId: number;
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const revisions = async () => Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM monthly_reports'))[0].n);
  const upload = (path: string, query = '', token?: string) =>
    t.http().post(`/api/v1/monthly-reports?program=${PROGRAM}${query}`).set(auth(token)).attach('file', path);

  beforeAll(async () => {
    const own = await t.http().post(`/api/v1/programs/${PROGRAM}/items`).set(auth()).send({ code: 'K01', name: '様式K01', division: '総務課', status: '押印必要' }).expect(201);
    const other = await t.http().post(`/api/v1/programs/${PROGRAM}/items`).set(auth()).send({ code: 'K02', name: '様式K02', division: '防災安全課', status: '押印必要' }).expect(201);
    ownId = own.body.id;
    otherId = other.body.id;
  });

  it('should record a month’s report, keep every revision and add none for the same report again', async () => {
    const first = await t.http().put(`/api/v1/items/${ownId}/reports/2026-10`).set(auth()).send({ progress: 30, comment: '方針案を作成中' }).expect(200);
    expect(first.body).toMatchObject({ month: '2026-10', monthLabel: '令和8年10月', progress: 30, comment: '方針案を作成中', by: 'test-admin' });
    await t.http().put(`/api/v1/items/${ownId}/reports/2026-10`).set(auth()).send({ progress: 30, comment: '方針案を作成中' }).expect(200);
    expect(await revisions()).toBe(1);
    await t.http().put(`/api/v1/items/${ownId}/reports/${encodeURIComponent('令和8年10月')}`).set(auth()).send({ progress: '４５％', comment: '庁内協議' }).expect(200);
    const list = await t.http().get(`/api/v1/items/${ownId}/reports`).set(auth()).expect(200);
    expect(list.body.item).toMatchObject({ id: ownId, code: 'K01', division: '総務課' });
    expect(list.body.months).toEqual([expect.objectContaining({ month: '2026-10', progress: 45, comment: '庁内協議' })]);
    expect(list.body.history.map((entry: { progress: number }) => entry.progress)).toEqual([30, 45]);
    const audit = await t.app.get(AuditService).list();
    expect(audit.filter((entry) => entry.action === 'monthly_report')).toHaveLength(2);
  });

  it('should refuse a bad percent, a month not yet come and another department’s editor', async () => {
    const bad = await t.http().put(`/api/v1/items/${ownId}/reports/2026-11`).set(auth()).send({ progress: 101 }).expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'invalid_percent' });
    const future = await t.http().put(`/api/v1/items/${ownId}/reports/2026-12`).set(auth()).send({ progress: 10 }).expect(400);
    expect(future.body.code).toBe('month_in_future');
    const editor = await t.token('editor', '行政管理部');
    await t.http().put(`/api/v1/items/${ownId}/reports/2026-11`).set(auth(editor)).send({ progress: 50 }).expect(200);
    const refused = await t.http().put(`/api/v1/items/${otherId}/reports/2026-11`).set(auth(editor)).send({ progress: 50 }).expect(403);
    expect(refused.body.code).toBe('forbidden');
    const viewer = await t.token('viewer');
    await t.http().put(`/api/v1/items/${ownId}/reports/2026-11`).set(auth(viewer)).send({ progress: 50 }).expect(403);
    await t.http().get(`/api/v1/items/${ownId}/reports`).set(auth(viewer)).expect(200);
    await t.http().put('/api/v1/items/999999/reports/2026-11').set(auth()).send({ progress: 50 }).expect(404);
  });

  it('should keep a monthly plan of cumulative percents and milestones, refusing one that goes down', async () => {
    const plan = await t.http()
      .put(`/api/v1/items/${ownId}/monthly-plan`)
      .set(auth())
      .send({ months: [{ month: '2026-10', planned: 40, milestone: '方針案' }, { month: '令和8年12月', planned: 100, milestone: '決定' }] })
      .expect(200);
    expect(plan.body.months).toEqual([
      expect.objectContaining({ month: '2026-10', planned: 40, milestone: '方針案', progress: 45 }),
      expect.objectContaining({ month: '2026-11', planned: null, progress: 50 }),
      expect.objectContaining({ month: '2026-12', planned: 100, milestone: '決定', progress: null }),
    ]);
    const down = await t.http().put(`/api/v1/items/${ownId}/monthly-plan`).set(auth()).send({ months: [{ month: '2026-10', planned: 40 }, { month: '2026-11', planned: 20 }] }).expect(400);
    expect(down.body.code).toBe('plan_decreases');
  });

  it('should import a sheet all or nothing, naming each bad row, then apply and re-apply it unchanged', async () => {
    const before = await revisions();
    const bad = csvFile('bad.csv', [HEADER, 'K01,2026-09,20,着手,,', 'K09,2026-09,10,,,', 'K01,2026-09,30,,,', 'K02,令和8年13月,10,,,', 'K01,2026-08,,コメントだけ,,']);
    const refused = await upload(bad).expect(422);
    expect(refused.body.applied).toBe(false);
    expect(refused.body.errors.map((error: { row: number; code: string }) => [error.row, error.code])).toEqual([
      [3, 'unknown_code'],
      [4, 'duplicate_row'],
      [5, 'invalid_month'],
      [6, 'missing_required'],
    ]);
    expect(refused.body.errors[0]).toMatchObject({ column: '管理番号', value: 'K09' });
    expect(await revisions()).toBe(before);

    const good = csvFile('good.csv', [HEADER, 'K01,2026-09,20,着手,20,調査', 'K02,R8.9,10,,,', 'K01,2027-01,,,100,完了予定']);
    const dry = await upload(good, '&dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ applied: false, summary: { rows: 3, reports: { created: 2 }, plans: { created: 2 }, errors: 0 } });
    expect(await revisions()).toBe(before);
    const applied = await upload(good).expect(200);
    expect(applied.body).toMatchObject({ applied: true, summary: { reports: { created: 2, updated: 0 }, plans: { created: 2 } } });
    expect(await revisions()).toBe(before + 2);
    const again = await upload(good).expect(200);
    expect(again.body.summary).toMatchObject({ reports: { created: 0, updated: 0, unchanged: 2 }, plans: { unchanged: 2 } });
    expect(await revisions()).toBe(before + 2);

    const editor = await t.token('editor', '行政管理部');
    const foreign = await upload(csvFile('foreign.csv', [HEADER, 'K02,2026-10,10,,,']), '', editor).expect(422);
    expect(foreign.body.errors[0]).toMatchObject({ row: 2, code: 'forbidden_division' });
    const audit = await t.app.get(AuditService).list();
    expect(audit.some((entry) => entry.action === 'monthly_reports_import' && (entry.detail as { applied: boolean }).applied)).toBe(true);
  });

  it('should import the same sheet from the CLI, refusing a bad one with exit 1', async () => {
    const bad = await runCliOn(t.database.settings, ['import-reports', csvFile('cli-bad.csv', [HEADER, 'K01,2026-10,120,,,']), '--program', PROGRAM]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('行2 列「進捗率」 値「120」');
    const good = await runCliOn(t.database.settings, ['import-reports', csvFile('cli-good.csv', [HEADER, 'K01,2026-10,60,方針案を提示,,']), '--program', PROGRAM, '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ applied: true, summary: { reports: { updated: 1 } } });
  });
});
