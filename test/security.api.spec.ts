import { UsersService } from '../src/auth/users.service';
import { FAILED_LOGIN_LIMIT, FAILED_LOGIN_WINDOW_MS } from '../src/auth/failed-login-limiter';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import request from 'supertest';
import { databaseKinds, freshDatabase, startTestApp, TestApp, testConfig, useTestApp } from './support/test-app';

// Access rules, headers, the failed-authentication limit, request logs and the audit API.

describe.each(databaseKinds())('access and headers on %s', (kind) => {
  const t = useTestApp(kind, { config: { jsonLimit: '16kb' } });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });


  it('should send the security headers, a strict CSP and no-store on the API', async () => {
    const response = await t.http().get('/api/v1/organization').set(bearer(t.adminToken)).expect(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers).not.toHaveProperty('x-powered-by');
    const health = await t.http().get('/health').expect(200);
    expect(health.headers['content-security-policy']).toBe(csp);
    // refused requests carry the headers too
    const refused = await t.http().get('/api/v1/organization').expect(401);
    expect(refused.headers['content-security-policy']).toBe(csp);
  });

  it('should let only the API explorer use inline styles, and still no inline script', async () => {
    const docs = await t.http().get('/api/docs/').expect(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Swagger UI loads its scripts from files, which the policy allows
    expect(docs.text).toMatch(/<script src="\.\/swagger-ui-init\.js">/);
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('should echo a plain X-Request-Id and create one otherwise, also on refused bodies', async () => {
    const echoed = await t.http().get('/health').set('X-Request-Id', 'ops-2026-11-24.001').expect(200);
    expect(echoed.headers['x-request-id']).toBe('ops-2026-11-24.001');
    const created = await t.http().get('/health').set('X-Request-Id', 'has spaces and <html>').expect(200);
    expect(created.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const tooLarge = await t
      .http()
      .post('/api/v1/programs/seal/items')
      .set(bearer(t.adminToken))
      .send({ code: 'X', name: 'x'.repeat(20_000) })
      .expect(413);
    expect(tooLarge.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer 401 for no, malformed, unknown and revoked tokens', async () => {
    const token = await t.token('viewer');
    await t.http().get('/api/v1/organization').set(bearer(token)).expect(200);
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${token}x`, `Bearer ${token} extra`]) {
      const call = t.http().get('/api/v1/organization');
      if (header !== undefined) call.set('Authorization', header);
      const response = await call.expect(401);
      expect(response.body).toEqual({ statusCode: 401, code: 'unauthorized', message: expect.any(String) });
    }
    const users = t.app.get(UsersService);
    const viewer = (await users.list()).find((user) => token.startsWith(user.tokenPrefix ?? '\0') && !user.revokedAt)!;
    await users.revoke(String(viewer.id));
    const revoked = await t.http().get('/api/v1/organization').set(bearer(token)).expect(401);
    expect(revoked.body.code).toBe('unauthorized');
  });

  it('should keep viewers read-only and editors inside their department', async () => {
    const viewer = await t.token('viewer');
    const editor = await t.token('editor', '市民安全部');
    const item = (await t.http().get('/api/v1/programs/online/items?q=MN-04').set(bearer(t.adminToken)).expect(200)).body.items[0];
    const viewerCreate = await t
      .http()
      .post('/api/v1/programs/seal/items')
      .set(bearer(viewer))
      .send({ code: 'SEC-V', name: 'x', division: '防災安全課', status: 'seal_required' })
      .expect(403);
    expect(viewerCreate.body.code).toBe('forbidden');
    await t.http().patch(`/api/v1/items/${item.id}`).set(bearer(viewer)).send({ status: 'planning', version: item.version }).expect(403);
    // MN-04 belongs to another department than 市民安全部
    expect(item.department.name).not.toBe('市民安全部');
    const editorPatch = await t.http().patch(`/api/v1/items/${item.id}`).set(bearer(editor)).send({ status: 'planning', version: item.version }).expect(403);
    expect(editorPatch.body.code).toBe('forbidden');
    // moving one's own item into another department is refused too
    const own = await t
      .http()
      .post('/api/v1/programs/seal/items')
      .set(bearer(editor))
      .send({ code: 'SEC-E', name: '防災用品貸出申請書', division: '防災安全課', status: 'seal_required' })
      .expect(201);
    await t.http().patch(`/api/v1/items/${own.body.id}`).set(bearer(editor)).send({ division: '総務課', version: own.body.version }).expect(403);
    const after = await t.http().get(`/api/v1/items/${item.id}`).set(bearer(viewer)).expect(200);
    expect(after.body).toMatchObject({ status: item.status, version: item.version });
    // reading is open to every role
    await t.http().get('/api/v1/progress').set(bearer(viewer)).expect(200);
  });
});

describe.each(databaseKinds())('failed authentication limit on %s', (kind) => {
  const t = useTestApp(kind);


  it(`should answer 429 after ${FAILED_LOGIN_LIMIT} failures in the window, let valid tokens through, and lift it after the window`, async () => {
    const viewer = await t.token('viewer');
    const wrong = () => t.http().get('/api/v1/organization').set('Authorization', 'Bearer pdt_not-a-real-token');
    // requests with no credentials at all guessed nothing and are not counted
    for (let i = 0; i < 25; i++) await t.http().get('/api/v1/organization').expect(401);
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) await wrong().expect(401);
    const blocked = await wrong().expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'too_many_failed_logins', message: expect.stringContaining('認証') });
    expect(blocked.body.details.retryAfterSeconds).toBe(FAILED_LOGIN_WINDOW_MS / 1000);
    expect(blocked.headers['retry-after']).toBe(String(FAILED_LOGIN_WINDOW_MS / 1000));
    expect(JSON.stringify(blocked.body)).not.toContain('pdt_');
    // a valid token from the same address still works
    await t.http().get('/api/v1/organization').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    await t.http().get('/api/v1/organization').set('Authorization', `Bearer ${viewer}`).expect(200);
    await t.http().get('/health').expect(200);

    t.clock.set(new Date(t.clock.now().getTime() + FAILED_LOGIN_WINDOW_MS / 2));
    const stillBlocked = await wrong().expect(429);
    expect(Number(stillBlocked.headers['retry-after'])).toBe(FAILED_LOGIN_WINDOW_MS / 2000);

    t.clock.set(new Date(t.clock.now().getTime() + FAILED_LOGIN_WINDOW_MS / 2));
    const again = await wrong().expect(401);
    expect(again.body.code).toBe('unauthorized');
  });
});

describe('request log of the application', () => {
  it('should write one line per request with the user, and never the token', async () => {
    const database = await freshDatabase('sqlite');
    const lines: string[] = [];
    const app = await createHttpApp({
      config: testConfig(database.settings, { logRequests: true }),
      clock: new FixedClock('2026-11-24T01:00:00Z'),
      logger: false,
      requestLog: (line) => lines.push(line),
    });
    try {
      const { token } = await app.get(UsersService).createWithToken({ name: '監査 花子', role: 'admin' });
      await request(app.getHttpServer())
        .get(`/api/v1/organization?asOf=2026-11-24&access_token=${token}`)
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', 'trace-1')
        .expect(200);
      await request(app.getHttpServer()).get('/api/v1/organization').set('Authorization', 'Bearer pdt_wrong').expect(401);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^GET \/api\/v1\/organization\?asOf=2026-11-24&access_token=\[redacted\] 200 \d+ms user=監査 花子 id=trace-1$/);
      expect(lines[1]).toMatch(/^GET \/api\/v1\/organization 401 \d+ms user=- id=[0-9a-f-]{36}$/);
      expect(lines.join('\n')).not.toContain(token);
      expect(lines.join('\n')).not.toContain('pdt_');
    } finally {
      await app.close();
      await database.drop();
    }
  });
});

describe.each(databaseKinds())('audit API on %s', (kind) => {
  const t = useTestApp(kind);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });


  it('should list token creation and revocation with who and when, to admins only', async () => {
    const users = t.app.get(UsersService);
    const admin = { userId: 1, name: 'test-admin', role: 'admin' as const, departmentId: null };
    // 2026-11-24T01:00Z is 10:00 on 24 November in Tokyo
    const created = await users.createWithToken({ name: '鈴木', role: 'viewer' }, admin);
    t.clock.set('2026-11-25T14:59:59Z'); // 23:59:59 on the 25th in Tokyo
    await users.revoke(String(created.id), admin);
    t.clock.set('2026-11-25T15:00:00Z'); // 00:00 on the 26th in Tokyo
    const later = await users.createWithToken({ name: '佐藤', role: 'viewer' }, admin);

    const all = await t.http().get('/api/v1/audit').set(bearer(t.adminToken)).expect(200);
    const mine = all.body.entries.filter((entry: { detail: { name?: string } }) => ['鈴木', '佐藤'].includes(entry.detail?.name ?? ''));
    expect(mine).toEqual([
      { at: '2026-11-24T01:00:00.000Z', atLocal: '2026-11-24T10:00:00+09:00', by: 'test-admin', action: 'user_created', detail: expect.objectContaining({ name: '鈴木', role: 'viewer' }) },
      { at: '2026-11-24T01:00:00.000Z', atLocal: '2026-11-24T10:00:00+09:00', by: 'test-admin', action: 'token_created', detail: expect.objectContaining({ name: '鈴木', role: 'viewer' }) },
      // the last second of 25 November and the first of the 26th, on the city's clock
      { at: '2026-11-25T14:59:59.000Z', atLocal: '2026-11-25T23:59:59+09:00', by: 'test-admin', action: 'token_revoked', detail: expect.objectContaining({ name: '鈴木' }) },
      { at: '2026-11-25T15:00:00.000Z', atLocal: '2026-11-26T00:00:00+09:00', by: 'test-admin', action: 'user_created', detail: expect.objectContaining({ name: '佐藤' }) },
      { at: '2026-11-25T15:00:00.000Z', atLocal: '2026-11-26T00:00:00+09:00', by: 'test-admin', action: 'token_created', detail: expect.objectContaining({ name: '佐藤' }) },
    ]);
    // the token itself is never recorded
    expect(JSON.stringify(all.body)).not.toContain(created.token);
    expect(JSON.stringify(all.body)).not.toContain(later.token);

    // days are Tokyo days: the 25th ends at 14:59:59Z
    const day25 = await t.http().get('/api/v1/audit?from=2026-11-25&to=2026-11-25').set(bearer(t.adminToken)).expect(200);
    expect(day25.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['token_revoked']);
    const fromWareki = await t.http().get(`/api/v1/audit?from=${encodeURIComponent('令和8年11月26日')}`).set(bearer(t.adminToken)).expect(200);
    expect(fromWareki.body.entries.map((entry: { detail: { name: string } }) => entry.detail.name)).toEqual(['佐藤', '佐藤']);
    const until24 = await t.http().get('/api/v1/audit?to=2026-11-24').set(bearer(t.adminToken)).expect(200);
    expect(until24.body.entries.some((entry: { detail: { name: string } }) => entry.detail.name === '鈴木')).toBe(true);
    expect(until24.body.entries.every((entry: { at: string }) => entry.at < '2026-11-24T15:00:00.000Z')).toBe(true);

    const viewer = await t.token('viewer');
    const editor = await t.token('editor', '市民安全部');
    expect((await t.http().get('/api/v1/audit').set(bearer(viewer)).expect(403)).body.code).toBe('forbidden');
    await t.http().get('/api/v1/audit').set(bearer(editor)).expect(403);
    await t.http().get('/api/v1/audit').expect(401);
  });

  it('should refuse a bad date, a reversed range and unknown parameters with a code', async () => {
    const bad = await t.http().get('/api/v1/audit?from=yesterday').set(bearer(t.adminToken)).expect(400);
    expect(bad.body.code).toBe('invalid_date');
    const reversed = await t.http().get('/api/v1/audit?from=2026-12-01&to=2026-11-01').set(bearer(t.adminToken)).expect(400);
    expect(reversed.body.code).toBe('invalid_range');
    const unknown = await t.http().get('/api/v1/audit?since=2026-11-01').set(bearer(t.adminToken)).expect(400);
    expect(unknown.body.code).toBe('unknown_field');
  });
});

// Not about the database: SQLite only.
describe('failed logins behind a reverse proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { config: { trustProxy: 'loopback' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should count failures per client address from X-Forwarded-For when the proxy is trusted', async () => {
    const wrong = (client: string) =>
      t.http().get('/api/v1/organization').set('X-Forwarded-For', client).set('Authorization', 'Bearer pdt_not-a-real-token');
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) await wrong('203.0.113.7').expect(401);
    await wrong('203.0.113.7').expect(429);
    // another client behind the same proxy is not blocked
    await wrong('203.0.113.8').expect(401);
  });
});
