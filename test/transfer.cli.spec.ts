import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import { DemoService } from '../src/sample-data/demo.service';
import { transferDatabase } from '../src/transfer/transfer';
import { createItem } from './support/factories';
import { cliDatabaseUrl, runCliOn } from './support/run-cli';
import { DatabaseKind, freshDatabase, startTestApp, TestApp, TestDatabase, testConfig } from './support/test-app';

// `transfer`: a demo city with users, plans and volumes, SQLite → PostgreSQL → SQLite, served
// after each hop with the same progress, the same history (who and when) and working tokens.
// Without TEST_DATABASE_URL the middle hop is another SQLite file (the copy is the same code).

const middle: DatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';

describe(`transfer sqlite → ${middle} → sqlite`, () => {
  let t: TestApp;
  let editorToken: string;
  let viewerToken: string;
  const databases: TestDatabase[] = [];
  const opened: INestApplication[] = [];
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });

  const serve = async (database: TestDatabase) => {
    const app = await createHttpApp({ config: testConfig(database.settings), clock: t.clock, logger: false, loadReference: false });
    opened.push(app);
    return () => request(app.getHttpServer());
  };
  const fresh = async (kind: DatabaseKind) => {
    const database = await freshDatabase(kind);
    databases.push(database);
    return database;
  };

  /** What a city looks at: progress now and at each deadline, targets with plans, take-up, one history, the audit log. */
  const snapshot = async (http: () => ReturnType<typeof request>) => {
    const get = async (path: string) => (await http().get(path).set(auth()).expect(200)).body;
    const targets = (await get('/api/v1/targets')) as { targets?: { id: string; deadline: string }[] } | { id: string; deadline: string }[];
    const list = Array.isArray(targets) ? targets : targets.targets ?? [];
    const pages: Record<string, unknown> = { targets };
    for (const path of ['/api/v1/progress', '/api/v1/take-up', '/api/v1/audit', '/api/v1/programs/seal/items?pageSize=500', '/api/v1/progress/overdue?limit=100']) pages[path] = await get(path);
    for (const target of list) {
      pages[`progress ${target.deadline}`] = await get(`/api/v1/progress?asOf=${target.deadline}`);
      pages[`plan ${target.id}`] = await get(`/api/v1/targets/${target.id}/plan`);
    }
    const changed = (await get('/api/v1/programs/seal/items?status=abolished&pageSize=1')).items[0];
    pages.history = await get(`/api/v1/items/${changed.id}/history`);
    return pages;
  };

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await t.app.get(DemoService).fill({ items: 300 });
    editorToken = await t.token('editor', '福祉こども部');
    const revoked = await createItem(t, 'seal', { code: 'TR-1', name: '移行前に作った項目', division: '市民課' });
    await t.http().patch(`/api/v1/items/${revoked.id}`).set(auth()).send({ status: 'reviewing', note: '移行前の変更', version: revoked.version }).expect(200);
    viewerToken = await t.token('viewer');
  }, 120_000);
  afterAll(async () => {
    for (const app of opened) await app.close();
    await t?.close();
    for (const database of databases) await database.drop();
  });

  let copy: TestDatabase;
  let before: Record<string, unknown>;

  it(`should copy every table into an empty ${middle} database in one go and serve the same city there`, async () => {
    before = await snapshot(t.http);
    copy = await fresh(middle);
    const report = await transferDatabase({ config: t.config, from: t.database.settings, to: copy.settings, clock: t.clock });

    const tables = new Map(report.tables.map((row) => [row.table, row]));
    for (const name of ['users', 'items', 'status_history', 'audit_entries', 'targets', 'target_plans', 'channel_volumes', 'departments', 'divisions', 'division_periods', 'programs']) {
      expect(tables.get(name)?.target).toBeGreaterThan(0);
    }
    for (const row of report.tables) expect(row.target).toBe(row.source);
    expect(report.rows).toBe(report.tables.reduce((sum, row) => sum + row.target, 0));
    expect(report.progressCompared).toContain('2026-11-24');
    expect(report.progressCompared).toContain('2028-03-31');
    if (middle === 'postgres') expect(report.sequencesReset).toBeGreaterThanOrEqual(5);

    const http = await serve(copy);
    expect(await snapshot(http)).toEqual(before);
    // tokens came along (only their hashes are stored)
    expect((await http().get('/api/v1/me').set(auth(editorToken)).expect(200)).body).toMatchObject({ role: 'editor' });
    expect((await http().get('/api/v1/me').set(auth(viewerToken)).expect(200)).body).toMatchObject({ role: 'viewer' });
    await http().get('/api/v1/me').set(auth('pdt_not-a-token-anyone-has')).expect(401);
    // new rows get new ids (PostgreSQL's sequences moved past the copied ones)
    const created = await http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'TR-2', name: '移行後に作った項目', division: '市民課', status: '押印必要' }).expect(201);
    await http().patch(`/api/v1/items/${created.body.id}`).set(auth()).send({ status: 'reviewing', note: '移行後の変更', version: created.body.version }).expect(200);
    expect((await http().get(`/api/v1/items/${created.body.id}/history`).set(auth()).expect(200)).body.entries).toHaveLength(2);
  }, 180_000);

  it('should refuse a target that holds data, and change nothing there', async () => {
    const result = await runCliOn(t.database.settings, ['transfer', '--to', cliDatabaseUrl(copy.settings)]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('[transfer_target_not_empty]');
    expect(result.out).toContain('items');
    const http = await serve(copy);
    expect((await http().get('/api/v1/programs/seal/items?q=TR-2').set(auth()).expect(200)).body.total).toBe(1);
  }, 120_000);

  it(`should bring the city back from ${middle} to one SQLite file (the CLI, --from and --to)`, async () => {
    // the copy as it was at the first hop, plus what was changed there since
    const back = await fresh('sqlite');
    const result = await runCliOn(t.database.settings, ['transfer', '--from', cliDatabaseUrl(copy.settings), '--to', cliDatabaseUrl(back.settings), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.tables.every((row: { source: number; target: number }) => row.source === row.target)).toBe(true);

    const onCopy = await snapshot(await serve(copy));
    const onBack = await snapshot(await serve(back));
    expect(onBack).toEqual(onCopy);
    // and apart from the one item made after the first hop, the same as the original
    const http = await serve(back);
    expect((await http().get('/api/v1/programs/seal/items?q=TR-2').set(auth()).expect(200)).body.total).toBe(1);
    const progress = (await http().get('/api/v1/progress?asOf=2027-03-31').set(auth()).expect(200)).body;
    expect(progress.targets.length).toBeGreaterThan(3);
  }, 180_000);

  it('should refuse a usage error and the same database on both ends', async () => {
    expect((await runCliOn(t.database.settings, ['transfer'])).code).toBe(2);
    expect((await runCliOn(t.database.settings, ['transfer', '--to', 'mysql://x'])).code).toBe(2);
    const same = await runCliOn(t.database.settings, ['transfer', '--to', cliDatabaseUrl(t.database.settings)]);
    expect(same.code).toBe(1);
    expect(same.out).toContain('[transfer_same_database]');
  }, 60_000);
});
