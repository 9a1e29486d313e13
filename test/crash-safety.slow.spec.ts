import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { UsersService } from '../src/auth/users.service';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { DatabaseSettings } from '../src/config/app-config';
import { spawnCli } from './support/cli-process';
import { DatabaseKind, databaseKinds, testConfig } from './support/test-app';

// An import killed with SIGKILL inside its write transaction leaves the database exactly as it
// was, and a server started on it afterwards serves the same data and can write again.

const ROWS = 100_000;
const DIVISIONS = ['市民課', '総務課', '防災安全課', '子育て支援課', '行政経営課'];
const POLL_MS = 10;
const TABLES = ['items', 'status_history', 'audit_entries', 'users', 'divisions', 'departments'];

interface Store {
  settings: DatabaseSettings;
  /** DATABASE_URL for the child process. */
  url: string;
  /** Resolves true once the child is inside its write transaction with rows written. */
  writing(): Promise<boolean>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  integrity(): Promise<string>;
  drop(): Promise<void>;
}

async function sqliteStore(dir: string): Promise<Store> {
  const file = path.join(dir, 'tracker.sqlite');
  const withDb = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(file, { fileMustExist: true });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    settings: { type: 'sqlite', path: file },
    url: `sqlite:${file}`,
    // A large transaction spills its pages into the -wal file long before it commits; 1 MB of
    // frames is a few percent of this import and far more than start-up ever writes.
    writing: async () => fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 1024 * 1024,
    query: async (sql) => withDb((db) => db.prepare(sql).all() as Record<string, unknown>[]),
    integrity: async () => withDb((db) => String(db.pragma('integrity_check', { simple: true }))),
    drop: async () => undefined,
  };
}

async function postgresStore(): Promise<Store> {
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  // A database of its own (not a schema): the child process connects to it with a plain URL.
  const name = `crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const control = new Client({ connectionString: admin.toString() });
  await control.connect();
  await control.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    settings: { type: 'postgres', url: url.toString(), poolSize: 4 },
    url: url.toString(),
    // Another session inside a transaction that has written (it holds an xid) and is on the history rows.
    writing: async () => {
      const { rows } = await control.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query ILIKE '%status_history%'`,
        [name],
      );
      return rows[0].n > 0;
    },
    query: async (sql) => (await client.query(sql)).rows,
    integrity: async () => 'ok',
    drop: async () => {
      await client.end();
      await control.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await control.end();
    },
  };
}

async function fingerprint(store: Store): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await store.query(`SELECT * FROM ${table} ORDER BY id`);
    result[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
  }
  return result;
}

function writeCsv(file: string): void {
  const lines = ['管理番号,名称,所管課,状況'];
  for (let i = 1; i <= ROWS; i++) lines.push(`KL-${String(i).padStart(6, '0')},押印を求める様式 第${i}号,${DIVISIONS[i % DIVISIONS.length]},押印必要`);
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
}

describe.each(databaseKinds())('crash safety of an import on %s', (kind: DatabaseKind) => {
  let dir: string;
  let store: Store;
  let csv: string;
  let adminToken: string;
  const clock = new FixedClock('2026-11-24T01:00:00Z');
  const urls = ['/api/v1/programs/seal/items?pageSize=500', '/api/v1/programs/online/items?pageSize=500', '/api/v1/progress?asOf=2026-11-24'];

  async function serve() {
    return createHttpApp({ config: testConfig(store.settings), clock, logger: false, loadReference: false });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-crash-'));
    store = kind === 'sqlite' ? await sqliteStore(dir) : await postgresStore();
    csv = path.join(dir, 'seal-inventory.csv');
    writeCsv(csv);
    // A database in use: the reference data, a user, some items and changes of its own.
    const app = await createHttpApp({ config: testConfig(store.settings), clock, logger: false });
    try {
      adminToken = (await app.get(UsersService).createWithToken({ name: 'crash-admin', role: 'admin' })).token;
      const http = () => request(app.getHttpServer());
      const auth = { Authorization: `Bearer ${adminToken}` };
      for (let i = 1; i <= 5; i++) {
        const created = await http().post('/api/v1/programs/seal/items').set(auth).send({ code: `PRE-${i}`, name: `既存の様式${i}`, division: '市民課', status: '押印必要' }).expect(201);
        await http().patch(`/api/v1/items/${created.body.id}`).set(auth).send({ status: '検討中', version: created.body.version }).expect(200);
      }
    } finally {
      await app.close();
    }
  }, 120_000);

  afterAll(async () => {
    await store?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`should leave the database exactly as before when an import of ${ROWS.toLocaleString('en')} rows is killed mid-write`, async () => {
    const before = await fingerprint(store);
    const beforeApp = await serve();
    const served: unknown[] = [];
    try {
      for (const url of urls) served.push((await request(beforeApp.getHttpServer()).get(url).set('Authorization', `Bearer ${adminToken}`).expect(200)).body);
    } finally {
      await beforeApp.close();
    }

    const importer = spawnCli(['import', 'seal', csv, '--json'], { DATABASE_URL: store.url });
    let finished = false;
    void importer.exited.then(() => (finished = true));
    let killed = false;
    while (!finished) {
      if (await store.writing()) {
        killed = importer.child.kill('SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const ended = await importer.exited;
    if (!killed) throw new Error(`the import ended before it could be killed (exit ${ended.code}): ${ended.stderr.slice(0, 500)}`);
    expect(ended.signal).toBe('SIGKILL');
    if (kind === 'sqlite') {
      // the uncommitted frames are still in the -wal file: recovery must ignore them
      expect(fs.statSync(`${(store.settings as { path: string }).path}-wal`).size).toBeGreaterThan(1024 * 1024);
    } else {
      // PostgreSQL rolls back when it notices the dropped connection: wait for that, however long
      // it takes (the test's Jest timeout bounds a hang), rather than for a guessed time
      while (await store.writing()) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }

    expect(await store.integrity()).toBe('ok');
    expect(await fingerprint(store)).toEqual(before);

    // A server started on it serves the same data and writes again.
    const after = await serve();
    try {
      const http = () => request(after.getHttpServer());
      const auth = { Authorization: `Bearer ${adminToken}` };
      for (const [index, url] of urls.entries()) expect((await http().get(url).set(auth).expect(200)).body).toEqual(served[index]);
      const none = await http().get('/api/v1/programs/seal/items?q=KL-').set(auth).expect(200);
      expect(none.body.total).toBe(0);
      const pre = (await http().get('/api/v1/programs/seal/items?q=PRE-1').set(auth).expect(200)).body.items[0];
      await http().patch(`/api/v1/items/${pre.id}`).set(auth).send({ status: '廃止済', version: pre.version }).expect(200);
    } finally {
      await after.close();
    }
    expect(await store.integrity()).toBe('ok');
  }, 180_000);
});
