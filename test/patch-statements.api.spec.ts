import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ItemsService } from '../src/items/items.service';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// What one PATCH costs the database, counted rather than timed (the PATCH throughput goal rests
// on it): on PostgreSQL every round trip goes through the pg client's query, on SQLite every
// statement through a better-sqlite3 statement's run/get/all.

const sqliteStatement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown>;

describe.each(databaseKinds())('a PATCH on %s', (kind) => {
  let t: TestApp;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Statements (SQLite) or round trips (PostgreSQL) that `work` makes. */
  async function countDuring(work: () => Promise<unknown>): Promise<number> {
    const spies =
      kind === 'postgres' ? [jest.spyOn(Client.prototype, 'query')] : (['run', 'get', 'all'] as const).map((method) => jest.spyOn(sqliteStatement, method));
    try {
      await work();
      return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  async function anItem(code: string) {
    const list = await t.http().get(`/api/v1/programs/online/items?q=${code}`).set(auth()).expect(200);
    expect(list.body.items).toHaveLength(1);
    return list.body.items[0] as { id: number; version: number; note: string | null; status: string };
  }

  async function historyOf(id: number) {
    return (await t.http().get(`/api/v1/items/${id}/history`).set(auth()).expect(200)).body.entries as { note: string | null; to: string; by: string }[];
  }

  it('should write the item and its history row in the fewest statements and answer the row as written', async () => {
    const item = await anItem('MN-11');
    const before = await historyOf(item.id);
    let response!: { body: Record<string, unknown> };
    const count = await countDuring(async () => {
      response = await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ note: '一件の更新', version: item.version }).expect(200);
    });
    // PostgreSQL: the token, the read, one statement (UPDATE … RETURNING + history INSERT + read
    // back); no BEGIN/COMMIT. SQLite: the token, the read, BEGIN, UPDATE, INSERT, read back, COMMIT.
    expect(count).toBe(kind === 'postgres' ? 3 : 7);
    expect(response.body).toMatchObject({ id: item.id, note: '一件の更新', version: item.version + 1, status: item.status, division: expect.objectContaining({ code: expect.any(String) }), reported: null });
    expect(await t.http().get(`/api/v1/items/${item.id}`).set(auth()).expect(200)).toHaveProperty('body', response.body);
    const after = await historyOf(item.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]).toMatchObject({ note: '一件の更新', to: item.status, by: 'test-admin' });
  });

  it('should refuse a stale version with 409 and write neither the item nor a history row', async () => {
    const item = await anItem('MN-12');
    await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ note: '先の更新', version: item.version }).expect(200);
    const before = await historyOf(item.id);
    const stale = await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ note: '後の更新', version: item.version, status: 'planning' }).expect(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(await anItem('MN-12')).toMatchObject({ note: '先の更新', version: item.version + 1, status: item.status });
    expect(await historyOf(item.id)).toHaveLength(before.length);
  });

  it('should change the status and a program field in one write, with the history naming them', async () => {
    const item = await anItem('MN-13');
    const response = await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: 'planning', annualVolume: 4321, version: item.version }).expect(200);
    expect(response.body).toMatchObject({ status: 'planning', annualVolume: 4321, version: item.version + 1 });
    const history = (await t.http().get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200)).body.entries;
    expect(history[history.length - 1]).toMatchObject({ from: item.status, to: 'planning', changes: expect.objectContaining({ annualVolume: [null, 4321] }) });
    expect(await anItem('MN-13')).toMatchObject({ status: 'planning', annualVolume: 4321, version: item.version + 1 });
  });

  it('should answer 409 and write no history row when another write lands between the read and the write', async () => {
    const dataSource = t.app.get(DataSource);
    const item = await anItem('MN-14');
    const before = await historyOf(item.id);
    const read = ItemsService.prototype.findStored;
    const racing = jest.spyOn(ItemsService.prototype, 'findStored').mockImplementation(async function (this: ItemsService, id: number) {
      const stored = await read.call(this, id);
      await dataSource.query(`UPDATE items SET version = version + 1 WHERE id = ${Number(id)}`);
      return stored;
    });
    try {
      const response = await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ note: '競合', status: 'planning', version: item.version }).expect(409);
      expect(response.body.code).toBe('version_conflict');
    } finally {
      racing.mockRestore();
    }
    expect(await anItem('MN-14')).toMatchObject({ note: item.note, status: item.status, version: item.version + 1 });
    expect(await historyOf(item.id)).toHaveLength(before.length);
  });
});
