import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { WorkBudget } from '../src/common/work-budget';
import { CLI_ACTOR } from '../src/imports/imports.service';
import { MonthlyReportsService } from '../src/monthly-reports/monthly-reports.service';
import { PlansService } from '../src/plans/plans.service';
import { useTempDir, writeCsv } from './support/temp-files';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// The four sheet uploads (items, a target's monthly plan, channel volumes, monthly reports) go
// through one upload handler and one pipeline: the same answers for the same situations.

const UPLOAD_LIMIT = 64 * 1024;

interface Endpoint {
  name: string;
  url: string;
  header: string;
  /** A row with a bad cell. */
  badRow: string;
  auditAction: string;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'items', url: '/api/v1/imports/seal', header: '管理番号,名称,所管課,状況', badRow: 'UP-1,様式,総務課,済', auditAction: 'import' },
  { name: 'monthly plan', url: '/api/v1/targets/seal-abolition/plan/sheet', header: '月,計画件数', badRow: '来月,3', auditAction: 'plan_set' },
  { name: 'channel volumes', url: '/api/v1/volumes', header: '管理番号,月,オンライン件数,窓口件数', badRow: 'MN-01,来月,1,1', auditAction: 'volumes_import' },
  { name: 'monthly reports', url: '/api/v1/monthly-reports?program=seal', header: '管理番号,月,進捗率,コメント,計画進捗率,マイルストーン', badRow: 'UP-1,来月,10,,,', auditAction: 'monthly_reports_import' },
];

const dir = useTempDir('sheet-uploads-api-');
const csvFile = (name: string, lines: string[]) => writeCsv(dir, name, lines, { bom: false });

/** multer's temp files holding `marker` (32 hex characters, no extension, in the temp directory). */
function tempFilesWith(marker: string): string[] {
  return readdirSync(tmpdir())
    .filter((name) => /^[0-9a-f]{32}$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(join(tmpdir(), name)).includes(marker);
      } catch {
        return false; // removed meanwhile by another suite's upload
      }
    });
}

describe.each(databaseKinds())('sheet uploads on %s', (kind) => {
  let t: TestApp;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const withQuery = (url: string, query: string) => (query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url);
  const upload = (endpoint: Endpoint, path: string, query = '') => t.http().post(withQuery(endpoint.url, query)).set(auth()).attach('file', path);

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { uploadLimitBytes: UPLOAD_LIMIT } });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe.each(ENDPOINTS)('$name', (endpoint) => {
    it('should answer a request without a file with 400 file_required, and a bad dryRun with 400', async () => {
      const missing = await t.http().post(endpoint.url).set(auth()).field('note', 'no file').expect(400);
      expect(missing.body.code).toBe('file_required');
      await t.http().post(withQuery(endpoint.url, 'dryRun=maybe')).set(auth()).attach('file', csvFile(`${endpoint.name}-flag.csv`, [endpoint.header])).expect(400);
    });

    it('should refuse an upload over the size limit with 413 and leave no temp file behind', async () => {
      const marker = randomBytes(12).toString('hex');
      const big = join(dir, `${endpoint.name}-big.csv`);
      writeFileSync(big, `${endpoint.header}\r\n${marker}\r\n${'z,'.repeat(UPLOAD_LIMIT)}`);
      const response = await upload(endpoint, big).expect(413);
      expect(response.body.code).toBe('payload_too_large');
      await upload(endpoint, csvFile(`${endpoint.name}-marked.csv`, [endpoint.header, endpoint.badRow, `${marker},`])).expect(422);
      expect(tempFilesWith(marker)).toEqual([]);
    });

    it('should answer row errors with 422 and the result, naming row, column and value', async () => {
      const response = await upload(endpoint, csvFile(`${endpoint.name}-bad.csv`, [endpoint.header, endpoint.badRow])).expect(422);
      expect(response.body).toMatchObject({ applied: false, dryRun: false, summary: { errors: expect.any(Number) } });
      expect(response.body.errors[0]).toMatchObject({ row: 2, column: expect.any(String), value: expect.any(String), code: expect.any(String) });
    });

    it('should warn of unknown columns and of a header without rows, and record a dry run in the audit log', async () => {
      const response = await upload(endpoint, csvFile(`${endpoint.name}-empty.csv`, [`${endpoint.header},担当`]), 'dryRun=true').expect(200);
      expect(response.body).toMatchObject({ applied: false, dryRun: true, errors: [] });
      expect(response.body.warnings).toEqual([
        { row: 1, column: '担当', code: 'unknown_column', message: '列「担当」は取り込みの対象外です（無視しました）' },
        { row: 1, column: '', code: 'no_rows', message: '見出し行（1行目）の下にデータの行がありません' },
      ]);
      const audit = await t.app.get(AuditService).list();
      expect(audit.filter((entry) => entry.action === endpoint.auditAction).map((entry) => entry.detail)).toContainEqual(
        expect.objectContaining({ file: `${endpoint.name}-empty.csv`, dryRun: true, applied: false }),
      );
    });
  });

  it('should stop a plan or monthly reports import when the client has gone away, writing nothing (as items and volumes)', async () => {
    const controller = new AbortController();
    controller.abort();
    const budget = new WorkBudget(0, controller.signal);
    const plan = csvFile('gone-plan.csv', ['月,計画件数', '2026-04,1']);
    await expect(t.app.get(PlansService).importSheet('seal-abolition', plan, { actor: CLI_ACTOR, dryRun: false, budget })).rejects.toMatchObject({ code: 'client_closed' });
    expect((await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200)).body.months).toEqual([]);
    const reports = csvFile('gone-reports.csv', ['管理番号,月,進捗率', 'UP-9,2026-10,10']);
    await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'UP-9', name: '様式', division: '総務課', status: '押印必要' }).expect(201);
    await expect(
      t.app.get(MonthlyReportsService).importFile({ program: 'seal', path: reports, fileName: 'gone-reports.csv', actor: CLI_ACTOR, dryRun: false, budget }),
    ).rejects.toMatchObject({ code: 'client_closed' });
    expect(await t.app.get(DataSource).query('SELECT * FROM monthly_reports')).toEqual([]);
  });

  it('should document each sheet upload the same way in the OpenAPI description', async () => {
    const document = (await t.http().get('/api/docs-json').expect(200)).body;
    const paths = ['/api/v1/imports/{program}', '/api/v1/targets/{id}/plan/sheet', '/api/v1/volumes', '/api/v1/monthly-reports'];
    for (const path of paths) {
      const operation = document.paths[path].post;
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '413', '422']));
      expect(Object.keys(operation.requestBody.content)).toEqual(['multipart/form-data']);
      expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['dryRun', 'sheet']));
    }
  });
});
