import request from 'supertest';
import { cliDatabaseUrl } from './support/run-cli';
import { ServerProcess, startServerProcess } from './support/server-process';
import { databaseKinds, useTestApp } from './support/test-app';

// Several server processes on one database (a load balancer in front): what one process
// changes, the others see at once: the memoized progress, sessions, and sign-in lockouts.

describe.each(databaseKinds())('two server processes on one %s database', (kind) => {
  const t = useTestApp(kind);
  let a: ServerProcess;
  let b: ServerProcess;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    const env = { DATABASE_URL: cliDatabaseUrl(t.database.settings) };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
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

  it('should share sessions: signed in on one process, known on the other, and logged out everywhere', async () => {
    const account = await t.account('admin');
    const signed = await request(a.url).post('/api/v1/auth/login').send({ login: account.login, password: account.password }).expect(200);
    const cookie = String(signed.headers['set-cookie'][0]).split(';')[0];
    expect((await request(b.url).get('/api/v1/me').set('Cookie', cookie).expect(200)).body).toMatchObject({ login: account.login, role: 'admin' });
    // a change made with the cookie on the other process (CSRF token from the login on a)
    await request(b.url)
      .post('/api/v1/programs/seal/items')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', signed.body.csrfToken)
      .send({ code: 'MP-S1', name: 'セッションで作成', division: '市民課', status: '押印必要' })
      .expect(201);
    await request(b.url).post('/api/v1/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', signed.body.csrfToken).expect((response) => expect(response.status).toBeLessThan(300));
    await request(a.url).get('/api/v1/me').set('Cookie', cookie).expect(401);
  }, 60_000);

  it('should hold a lockout made on one process on the other', async () => {
    const account = await t.account('viewer');
    for (let attempt = 0; attempt < 10; attempt++) {
      const refused = await request(a.url).post('/api/v1/auth/login').send({ login: account.login, password: 'wrong-password-123' });
      expect([401, 429]).toContain(refused.status);
    }
    const locked = await request(b.url).post('/api/v1/auth/login').send({ login: account.login, password: account.password }).expect(429);
    expect(locked.body.code).toBe('too_many_failed_logins');
  }, 60_000);
});
