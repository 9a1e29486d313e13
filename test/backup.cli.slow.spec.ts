import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import { runCli } from '../src/cli';
import { backupToDirectory } from '../src/cli/backup-command';
import { FixedClock } from '../src/common/clock';
import { loadConfig } from '../src/config/app-config';
import { Transactions } from '../src/database/transactions';
import { spawnCli } from './support/cli-process';
import { createItem } from './support/factories';
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
  /** The app served from a backup copy, on the test's clock, without loading the seeds again. */
  const serveCopy = (file: string) =>
    createHttpApp({ config: { ...loadConfig({ DATABASE_URL: `sqlite:${file}` }), logRequests: false }, clock: new FixedClock(t.clock.now()), logger: false, loadReference: false });

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
          await createItem(t, 'seal', { code: `BW-${i}`, name: `書き込み中 ${i}`, division: '市民課' });
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

    const restored = await serveCopy(out);
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

  it('should write copies readable by the owner only (0600)', async () => {
    const out = path.join(dir, 'private.sqlite');
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', out], captureIo().io))).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('should refuse --force on anything but a regular file, and leave it as it was', async () => {
    const fifo = path.join(dir, 'a-pipe');
    execFileSync('mkfifo', [fifo]);
    const folder = path.join(dir, 'a-folder');
    fs.mkdirSync(folder);
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'not a backup');
    const link = path.join(dir, 'a-link');
    fs.symlinkSync(victim, link);
    for (const target of [fifo, folder, link]) {
      const refused = captureIo();
      expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', target, '--force'], refused.io))).toBe(1);
      expect(refused.err.join('\n')).toContain('[backup_not_regular_file]');
    }
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.lstatSync(folder).isDirectory()).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toBe('not a backup');
  }, 60_000);

  it('should keep only the newest N stamped copies in --out-dir and never touch other files', async () => {
    const nightly = path.join(dir, 'nightly');
    fs.mkdirSync(nightly);
    fs.writeFileSync(path.join(nightly, 'notes.txt'), 'keep me');
    const nights = ['2026-11-21T17:30:00.000Z', '2026-11-22T17:30:00.000Z', '2026-11-23T17:30:00.000Z'];
    for (const night of nights) await backupToDirectory(sqlitePath, nightly, 2, new Date(night));
    expect(fs.readdirSync(nightly).sort()).toEqual(['notes.txt', 'tracker-20261122T173000.000Z.sqlite', 'tracker-20261123T173000.000Z.sqlite']);
    for (const name of fs.readdirSync(nightly).filter((file) => file.endsWith('.sqlite'))) expect(fs.statSync(path.join(nightly, name)).mode & 0o777).toBe(0o600);

    // the timer's command line: one more stamped copy (the CLI's clock), the oldest removed
    const cli = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out-dir', nightly, '--keep', '2', '--json'], cli.io))).toBe(0);
    const printed = JSON.parse(cli.out.join(''));
    expect(printed.removed).toEqual([path.join(nightly, 'tracker-20261122T173000.000Z.sqlite')]);
    expect(printed.kept).toHaveLength(2);
    expect(fs.readdirSync(nightly)).toContain('notes.txt');
    expect(fs.readdirSync(nightly).filter((file) => file.endsWith('.sqlite'))).toHaveLength(2);

    const usage = captureIo();
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out-dir', nightly, '--keep', '0'], usage.io))).toBe(2);
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', path.join(dir, 'x.sqlite'), '--keep', '2'], usage.io))).toBe(2);
  }, 60_000);

  it('restore drill: back up, verify, serve the copy, and get the same progress', async () => {
    const out = path.join(dir, 'drill.sqlite');
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', out], captureIo().io))).toBe(0);

    const verified = captureIo();
    expect(await runCli(['backup', '--verify', out, '--json'], verified.io)).toBe(0);
    const report = JSON.parse(verified.out.join(''));
    expect(report).toMatchObject({ ok: true, integrity: ['ok'], foreignKeyProblems: 0 });
    expect(report.tables.items).toBe(countItems(out));
    expect(report.tables.users).toBeGreaterThan(0);
    expect(report.tables.status_history).toBeGreaterThan(FIXTURE_ITEMS);
    const table = captureIo();
    expect(await runCli(['backup', '--verify', out], table.io)).toBe(0);
    expect(table.out.join('\n')).toContain('正常です');
    expect(table.out.join('\n')).toMatch(/status_history\s+\d+/);

    const restored = await serveCopy(out);
    try {
      for (const url of ['/api/v1/progress', '/api/v1/progress?asOf=2026-03-31', '/api/v1/progress/overdue?limit=50']) {
        const original = await t.http().get(url).set(auth()).expect(200);
        const fromCopy = await request(restored.getHttpServer()).get(url).set(auth()).expect(200);
        expect(fromCopy.body).toEqual(original.body);
      }
      const progress = (await t.http().get('/api/v1/progress').set(auth()).expect(200)).body;
      expect(JSON.stringify(progress)).toContain('seal');
    } finally {
      await restored.close();
    }
  }, 60_000);

  it('should report a damaged or foreign file as broken (exit 1)', async () => {
    const good = path.join(dir, 'to-damage.sqlite');
    expect(await withDatabaseUrl(`sqlite:${sqlitePath}`, () => runCli(['backup', '--out', good], captureIo().io))).toBe(0);
    // Overwrite pages in the middle of the file (not the header): the b-trees no longer add up.
    const handle = fs.openSync(good, 'r+');
    const size = fs.fstatSync(handle).size;
    fs.writeSync(handle, Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, Math.floor(size / 2 / 4096) * 4096);
    fs.closeSync(handle);
    const damaged = captureIo();
    expect(await runCli(['backup', '--verify', good, '--json'], damaged.io)).toBe(1);
    expect(JSON.parse(damaged.out.join('')).ok).toBe(false);

    const foreign = path.join(dir, 'not-a-database.sqlite');
    fs.writeFileSync(foreign, 'hello '.repeat(2000));
    const notDb = captureIo();
    expect(await runCli(['backup', '--verify', foreign], notDb.io)).toBe(1);
    expect(notDb.out.join('\n')).toContain('問題があります');
    const missing = captureIo();
    expect(await runCli(['backup', '--verify', path.join(dir, 'nowhere.sqlite')], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toContain('[backup_not_found]');
  }, 60_000);
});
