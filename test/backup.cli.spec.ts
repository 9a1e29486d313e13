import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import { runCli } from '../src/cli';
import { FixedClock } from '../src/common/clock';
import { loadConfig } from '../src/config/app-config';
import { Transactions } from '../src/database/transactions';
import { spawnCli } from './support/cli-process';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// `backup --out FILE`: an online copy of the SQLite database, consistent while the server writes;
// serving the copy is the restore. On PostgreSQL it refuses and points to pg_dump.

const FIXTURE_ITEMS = 30_000;

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

async function withDatabaseUrl<T>(url: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}

/** Rows that break "one history row per version": each change bumps the version and writes one row. */
function inconsistentItems(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare('SELECT count(*) AS n FROM items i WHERE i.version <> (SELECT count(*) FROM status_history h WHERE h.item_id = i.id)')
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

function countItems(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.each(databaseKinds())('backup on %s', (kind) => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-backup-'));
    if (kind === 'sqlite') t = await startTestApp(kind);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  if (kind === 'postgres') {
    it('should refuse on PostgreSQL with backup_not_sqlite and point to pg_dump', async () => {
      const out = path.join(dir, 'pg.sqlite');
      const { io, err } = captureIo();
      const code = await withDatabaseUrl(process.env.TEST_DATABASE_URL!, () => runCli(['backup', '--out', out], io));
      expect(code).toBe(1);
      expect(err.join('\n')).toContain('[backup_not_sqlite]');
      expect(err.join('\n')).toContain('pg_dump');
      expect(fs.existsSync(out)).toBe(false);
    });
    return;
  }

  let sqlitePath: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    sqlitePath = (t.database.settings as { path: string }).path;
    // A database big enough that the copy takes a while: many seal items, one history row each.
    await t.app.get(Transactions).run(async (manager) => {
      const [{ id: divisionId }] = await manager.query("SELECT id FROM divisions WHERE name = '市民課'");
      const now = t.clock.now().toISOString();
      await manager.query(
        `INSERT INTO items (program, code, name, status, division_id, search_text, version, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${FIXTURE_ITEMS})
         SELECT 'seal', 'BK-' || printf('%05d', i), '押印様式 第' || i || '号', 'seal_required', ?, 'bk-' || printf('%05d', i), 1, ?, ? FROM n`,
        [divisionId, now, now],
      );
      await manager.query(
        `INSERT INTO status_history (item_id, at, by_user, from_status, to_status)
         SELECT id, ?, 'fixture', NULL, 'seal_required' FROM items WHERE code LIKE 'BK-%'`,
        [now],
      );
    });
    expect(inconsistentItems(sqlitePath)).toBe(0);
  }, 60_000);

  it('should copy a consistent database while the server writes, in a separate process', async () => {
    const before = countItems(sqlitePath);
    const out = path.join(dir, 'during-writes.sqlite');
    let stop = false;
    let writes = 0;
    const fixture = (await t.http().get('/api/v1/programs/seal/items?q=BK-0&pageSize=500').set(auth()).expect(200)).body.items as { id: number; version: number }[];
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        if (i % 2 === 0) {
          await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: `BW-${i}`, name: `書き込み中 ${i}`, division: '市民課', status: '押印必要' }).expect(201);
        } else {
          const item = fixture[i % fixture.length];
          const patched = await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: 'reviewing', note: `w${i}`, version: item.version }).expect(200);
          item.version = patched.body.version;
        }
        writes++;
      }
    })();
    const backup = spawnCli(['backup', '--out', out, '--json'], { DATABASE_URL: `sqlite:${sqlitePath}` });
    const result = await backup.exited;
    stop = true;
    await writer;
    expect(result.stderr).not.toContain('エラー');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ out, bytes: fs.statSync(out).size, pages: expect.any(Number) });
    // the server went on writing while the child copied (it cannot start in no time)
    expect(writes).toBeGreaterThan(0);
    const after = countItems(sqlitePath);

    const copy = new Database(out, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      // one self-contained file
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      copy.close();
    }
    expect(fs.existsSync(`${out}-wal`)).toBe(false);
    const copied = countItems(out);
    expect(copied).toBeGreaterThanOrEqual(before);
    expect(copied).toBeLessThanOrEqual(after);
    // every item in the copy has exactly the history rows its version says: no half-written change
    expect(inconsistentItems(out)).toBe(0);
    expect(inconsistentItems(sqlitePath)).toBe(0);
    // no temporary file left behind
    expect(fs.readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  }, 120_000);

  it('should restore by serving the copy: the same items, history and users', async () => {
    const out = path.join(dir, 'restore.sqlite');
    const { io, out: printed } = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', out], io))).toBe(0);
    expect(printed.join('\n')).toContain(`DATABASE_URL=sqlite:${out}`);

    const restored = await createHttpApp({
      config: { ...loadConfig({ DATABASE_URL: `sqlite:${out}` }), logRequests: false },
      clock: new FixedClock(t.clock.now()),
      logger: false,
      loadReference: false,
    });
    try {
      const pages = ['/api/v1/programs/seal/items?pageSize=500', '/api/v1/programs/seal/items?page=40&pageSize=500', '/api/v1/programs/online/items?pageSize=500'];
      for (const url of pages) {
        const original = await t.http().get(url).set(auth()).expect(200);
        // the admin's token works on the copy: users came along
        const fromCopy = await request(restored.getHttpServer()).get(url).set(auth()).expect(200);
        expect(fromCopy.body).toEqual(original.body);
      }
      const patched = (await t.http().get('/api/v1/programs/seal/items?status=reviewing&pageSize=1').set(auth()).expect(200)).body.items[0];
      const history = await t.http().get(`/api/v1/items/${patched.id}/history`).set(auth()).expect(200);
      const historyFromCopy = await request(restored.getHttpServer()).get(`/api/v1/items/${patched.id}/history`).set(auth()).expect(200);
      expect(historyFromCopy.body).toEqual(history.body);
      expect(history.body.entries.length).toBeGreaterThan(1);
    } finally {
      await restored.close();
    }
  }, 60_000);

  it('should record each backup in the audit log, and refuse to overwrite without --force', async () => {
    const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
    const backups = audit.body.entries.filter((entry: { action: string }) => entry.action === 'backup');
    expect(backups.map((entry: { detail: { out: string } }) => path.basename(entry.detail.out))).toEqual(['during-writes.sqlite', 'restore.sqlite']);
    expect(backups[0].by).toMatch(/^cli:/);
    expect(backups[0].detail.bytes).toBeGreaterThan(0);

    const out = path.join(dir, 'restore.sqlite');
    const sizeBefore = fs.statSync(out).size;
    const refused = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', out], refused.io))).toBe(1);
    expect(refused.err.join('\n')).toContain('[backup_exists]');
    expect(fs.statSync(out).size).toBe(sizeBefore);
    const same = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', sqlitePath, '--force'], same.io))).toBe(1);
    expect(same.err.join('\n')).toContain('[backup_same_file]');
    const forced = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', out, '--force', '--json'], forced.io))).toBe(0);
    expect(JSON.parse(forced.out.join('')).out).toBe(out);
    const usage = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup'], usage.io))).toBe(2);
    const afterAudit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
    expect(afterAudit.body.entries.filter((entry: { action: string }) => entry.action === 'backup')).toHaveLength(3);
  }, 60_000);
});
