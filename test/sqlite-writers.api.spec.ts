import Database from 'better-sqlite3';
import { Transactions } from '../src/database/transactions';
import { startTestApp, TestApp } from './support/test-app';

// Another process writing to the same SQLite file (a CLI import, a backup recording itself in the
// audit log) must make a server transaction wait its turn, never fail it with SQLITE_BUSY (the
// server answered 500 when a deferred transaction read first and wrote after the other commit).

describe('SQLite write transactions next to another process', () => {
  let t: TestApp;
  let other: Database.Database;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    // no busy wait: whether the lock is free is answered at once
    other = new Database((t.database.settings as { path: string }).path, { timeout: 0 });
  });
  afterAll(async () => {
    other?.close();
    await t?.close();
  });

  it('should hold the write lock from the start of a transaction, so its later write cannot be refused', async () => {
    const insert = "INSERT INTO audit_entries (at, by_user, action, detail) VALUES ('2026-11-24T01:00:00.000Z', 'other-process', 'test', NULL)";
    await t.app.get(Transactions).run(async (manager) => {
      await manager.query('SELECT count(*) AS n FROM items');
      // the other process cannot slip a commit in between this transaction's read and its write
      expect(() => other.prepare(insert).run()).toThrow(/locked|busy/i);
      await manager.query("INSERT INTO audit_entries (at, by_user, action, detail) VALUES ('2026-11-24T01:00:00.000Z', 'server', 'test', NULL)");
    });
    // once it has committed, the other process writes
    expect(other.prepare(insert).run().changes).toBe(1);
    const rows = other.prepare("SELECT by_user FROM audit_entries WHERE action = 'test' ORDER BY id").all();
    expect(rows).toEqual([{ by_user: 'server' }, { by_user: 'other-process' }]);
  });
});
