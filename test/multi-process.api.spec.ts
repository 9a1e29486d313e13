import request from 'supertest';
import { cliDatabaseUrl } from './support/run-cli';
import { ServerProcess, startServerProcess } from './support/server-process';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// Several server processes on one database (a load balancer in front): what one process
// changes, the others see at once, the memoized progress included.

describe.each(databaseKinds())('two server processes on one %s database', (kind) => {
  let t: TestApp;
  let a: ServerProcess;
  let b: ServerProcess;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp(kind);
    const env = { DATABASE_URL: cliDatabaseUrl(t.database.settings) };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await t?.close();
  });

  it('should serve progress on one process that includes a change just made on the other', async () => {
    const created = await request(b.url).post('/api/v1/programs/seal/items').set(auth()).send({ code: 'MP-1', name: '二つのプロセス', division: '市民課', status: '押印必要' }).expect(201);
    const sealOf = async (server: ServerProcess) =>
      ((await request(server.url).get('/api/v1/progress').set(auth()).expect(200)).body.targets as { id: string; total: number; done: number }[]).find((target) => target.id === 'seal-abolition')!;
    // computed and memoized on a, asked twice (the second answer is the memo)
    const before = await sealOf(a);
    expect(await sealOf(a)).toEqual(before);

    await request(b.url).patch(`/api/v1/items/${created.body.id}`).set(auth()).send({ status: 'abolished', version: created.body.version }).expect(200);
    const after = await sealOf(a);
    expect(after.done).toBe(before.done + 1);
    expect(after.total).toBe(before.total);
    // and the other way round
    const item = (await request(a.url).get(`/api/v1/items/${created.body.id}`).set(auth()).expect(200)).body;
    await request(a.url).patch(`/api/v1/items/${created.body.id}`).set(auth()).send({ status: 'reviewing', note: '差し戻し', version: item.version }).expect(200);
    expect((await sealOf(b)).done).toBe(before.done);
    expect((await sealOf(a)).done).toBe(before.done);
  }, 60_000);
});
