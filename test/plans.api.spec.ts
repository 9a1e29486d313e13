import * as ExcelJS from 'exceljs';
import { join } from 'node:path';
import { AuditService } from '../src/audit/audit.service';
import { CLI_ACTOR } from '../src/imports/imports.service';
import { PlansService } from '../src/plans/plans.service';
import { useTempDir, writeCsv } from './support/temp-files';
import { runCliOn } from './support/run-cli';
import { createItems } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

const dir = useTempDir('plans-api-');
const csvFile = (name: string, lines: string[]) => writeCsv(dir, name, lines, { bom: false });

describe.each(databaseKinds())('plans API on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const sealTarget = async (asOf?: string) => {
    const response = await t.http().get(`/api/v1/progress${asOf ? `?asOf=${asOf}` : ''}`).set(auth()).expect(200);
    return response.body.targets.find((target: { id: string }) => target.id === 'seal-abolition');
  };

  beforeAll(async () => {
    // four seal forms abolished: two in May 2026, two in October 2026 (as in progress.api.spec)
    const rows = [
      { code: 'S01', status: '廃止済', completedOn: '2026-05-10' },
      { code: 'S02', status: '廃止済', completedOn: '2026-05-20' },
      { code: 'S03', status: '廃止済', completedOn: '2026-10-01' },
      { code: 'S04', status: '廃止済', completedOn: '2026-10-15' },
      { code: 'S05', status: '押印必要' },
      { code: 'S06', status: '押印必要' },
    ];
    await createItems(t, 'seal', rows);
  });

  it('should report no plan as nulls and an empty list', async () => {
    const plan = await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200);
    expect(plan.body).toMatchObject({ target: 'seal-abolition', deadlineLabel: '令和9年度末', months: [], totalPlanned: 0 });
    expect(await sealTarget()).toMatchObject({ done: 4, plannedToDate: null, planVariance: null, plan: [] });
  });

  it('should let only an admin set a plan, for a target that exists', async () => {
    const editor = await t.token('editor', '行政管理部');
    await t.http().put('/api/v1/targets/seal-abolition/plan').set(auth(editor)).send({ months: [] }).expect(403);
    await t.http().put('/api/v1/targets/seal-abolition/plan').send({ months: [] }).expect(401);
    const missing = await t.http().put('/api/v1/targets/no-such-target/plan').set(auth()).send({ months: [] }).expect(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('should refuse a duplicate month with 400 and the entry, and write nothing', async () => {
    const response = await t
      .http()
      .put('/api/v1/targets/seal-abolition/plan')
      .set(auth())
      .send({ months: [{ month: '2026-04', planned: 1 }, { month: 'R8.5', planned: 2 }, { month: '令和8年4月', planned: 3 }] })
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'duplicate_month' });
    expect(response.body.details).toEqual([
      { field: 'months[2]', value: { month: '令和8年4月', planned: 3 }, code: 'duplicate_month', message: expect.stringContaining('months[0]') },
    ]);
    const bad = await t.http().put('/api/v1/targets/seal-abolition/plan').set(auth()).send({ months: [{ month: '来月', planned: -2 }] }).expect(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.details.map((problem: { field: string; code: string }) => [problem.field, problem.code])).toEqual([
      ['months[0].month', 'invalid_month'],
      ['months[0].planned', 'negative_number'],
    ]);
    const plan = await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200);
    expect(plan.body.months).toEqual([]);
  });

  it('should set a plan with 和暦 months and report plan against actual in progress', async () => {
    const put = await t
      .http()
      .put('/api/v1/targets/Seal-Abolition/plan')
      .set(auth())
      .send({
        months: [
          { month: '令和8年5月', planned: 2 },
          { month: '2026/4', planned: '１' },
          { month: 'R8.10', planned: 3 },
          { month: '2026-11', planned: 2 },
          { month: '2026-12', planned: 2 },
        ],
      })
      .expect(200);
    expect(put.body.months).toEqual([
      { month: '2026-04', monthLabel: '令和8年4月', planned: 1 },
      { month: '2026-05', monthLabel: '令和8年5月', planned: 2 },
      { month: '2026-10', monthLabel: '令和8年10月', planned: 3 },
      { month: '2026-11', monthLabel: '令和8年11月', planned: 2 },
      { month: '2026-12', monthLabel: '令和8年12月', planned: 2 },
    ]);
    expect(put.body.totalPlanned).toBe(10);
    const get = await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200);
    expect(get.body).toEqual(put.body);

    // as of 2026-11-24: planned 1 + 2 + 3 + 2 = 8 to date, 4 done
    const now = await sealTarget();
    expect(now).toMatchObject({ done: 4, plannedToDate: 8, planVariance: -4 });
    expect(now.plan.map((point: { month: string; planned: number; plannedCumulative: number; actualCumulative: number | null }) => [point.month, point.planned, point.plannedCumulative, point.actualCumulative])).toEqual([
      ['2026-04', 1, 1, 0],
      ['2026-05', 2, 3, 2],
      ['2026-06', 0, 3, 2],
      ['2026-07', 0, 3, 2],
      ['2026-08', 0, 3, 2],
      ['2026-09', 0, 3, 2],
      ['2026-10', 3, 6, 4],
      ['2026-11', 2, 8, 4],
      ['2026-12', 2, 10, null],
    ]);
    expect(now.plan.every((point: { afterDeadline: boolean }) => point.afterDeadline === false)).toBe(true);

    // as of 2026-06-30: planned 3, done 2; later months have no actual yet
    const june = await sealTarget('2026-06-30');
    expect(june).toMatchObject({ done: 2, plannedToDate: 3, planVariance: -1 });
    expect(june.plan.map((point: { actualCumulative: number | null }) => point.actualCumulative)).toEqual([0, 2, 2, null, null, null, null, null, null]);

    // other targets keep no plan
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    expect(response.body.targets.find((target: { id: string }) => target.id === 'analog-review')).toMatchObject({ plannedToDate: null, planVariance: null, plan: [] });
    const audit = await t.app.get(AuditService).list();
    expect(audit.filter((entry) => entry.action === 'plan_set').map((entry) => entry.detail)).toContainEqual(
      expect.objectContaining({ target: 'seal-abolition', months: 5, totalPlanned: 10, source: 'api' }),
    );
  });

  it('should mark the months of a plan that runs past the deadline', async () => {
    await t.http().post('/api/v1/targets').set(auth()).send({ id: 'seal-q3', program: 'seal', label: '押印廃止（第3四半期分）', deadline: '2026-10-31' }).expect(201);
    await t.http().put('/api/v1/targets/seal-q3/plan').set(auth()).send({ months: [{ month: '2026-10', planned: 4 }, { month: '2026-11', planned: 1 }] }).expect(200);
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    const target = response.body.targets.find((candidate: { id: string }) => candidate.id === 'seal-q3');
    expect(target).toMatchObject({ plannedToDate: 5, planVariance: -1 });
    expect(target.plan.map((point: { afterDeadline: boolean }) => point.afterDeadline)).toEqual([false, true]);
  });

  it('should import a plan sheet all or nothing, naming the row, column and value of each error', async () => {
    const plans = t.app.get(PlansService);
    const bad = csvFile('plan-bad.csv', ['令和8年度 月別業務計画', '月,計画件数', '2027-01,5', '来月,3', 'R9.2,-1', '令和9年1月,2', ',4']);
    const refused = await plans.importSheet('seal-abolition', bad, { actor: CLI_ACTOR, dryRun: false, fileName: 'plan-bad.csv' });
    expect(refused.applied).toBe(false);
    expect(refused.errors).toEqual([
      { row: 4, column: '月', value: '来月', code: 'invalid_month', message: expect.stringContaining('来月') },
      { row: 5, column: '計画件数', value: '-1', code: 'negative_number', message: expect.any(String) },
      { row: 6, column: '月', value: '令和9年1月', code: 'duplicate_month', message: expect.stringContaining('3行目') },
      { row: 7, column: '月', value: '', code: 'missing_required', message: '月は必須です' },
    ]);
    expect(refused.summary).toMatchObject({ rows: 5, errors: 4 });
    expect((await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200)).body.totalPlanned).toBe(10);

    // xlsx: a date cell and 全角 digits; the sheet named 計画 is read before the first one
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('説明').addRow(['この表は月別業務計画です']);
    const sheet = workbook.addWorksheet('計画');
    sheet.addRow(['月', '計画件数']);
    sheet.addRow([new Date(Date.UTC(2026, 3, 1)), 6]);
    sheet.addRow(['令和8年5月', '７']);
    const path = join(dir, 'plan.xlsx');
    await workbook.xlsx.writeFile(path);
    const dry = await plans.importSheet('seal-abolition', path, { actor: CLI_ACTOR, dryRun: true });
    expect(dry).toMatchObject({ applied: false, dryRun: true, summary: { rows: 2, months: 2, totalPlanned: 13, errors: 0 } });
    expect((await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200)).body.totalPlanned).toBe(10);
    const applied = await plans.importSheet('seal-abolition', path, { actor: CLI_ACTOR, dryRun: false });
    expect(applied).toMatchObject({ applied: true, errors: [] });
    const plan = await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200);
    expect(plan.body.months.map((entry: { month: string; planned: number }) => [entry.month, entry.planned])).toEqual([
      ['2026-04', 6],
      ['2026-05', 7],
    ]);
    await expect(plans.importSheet('seal-abolition', csvFile('plan-nohead.csv', ['a,b', '1,2']), { actor: CLI_ACTOR, dryRun: false })).rejects.toMatchObject({
      code: 'header_not_found',
    });
    await expect(
      plans.importSheet('seal-abolition', path, { actor: { userId: null, name: 'v', role: 'viewer', departmentId: null }, dryRun: false }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  const cli = (args: string[]) => runCliOn(t.database.settings, args);

  it('should import and show a plan from the CLI, exiting 1 on row errors and 2 on usage errors', async () => {
    const good = csvFile('plan-cli.csv', ['月,計画件数', 'R8.4,1', 'R8.5,1', 'R8.10,2']);
    const imported = await cli(['plan', 'import', 'seal-abolition', good, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ target: 'seal-abolition', applied: true, summary: { months: 3, totalPlanned: 4 } });
    const shown = await cli(['plan', 'show', 'seal-abolition']);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('令和8年10月');
    const bad = await cli(['plan', 'import', 'seal-abolition', csvFile('plan-cli-bad.csv', ['月,計画件数', 'R8.4,x'])]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('行2 列「計画件数」 値「x」');
    expect((await cli(['plan', 'import', 'seal-abolition', join(dir, 'missing.csv')])).code).toBe(2);
    expect((await cli(['plan', 'import', 'no-such-target', good])).code).toBe(1);
    const plan = await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200);
    expect(plan.body.totalPlanned).toBe(4);
  });
});
