import { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNT_LOCK_MS } from '../src/auth/failed-login-limiter';
import { UsersService } from '../src/auth/users.service';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { databaseKinds, startTestApp, TestApp, useTestApp } from './support/test-app';

// CONTRACT.md "Sign-in and sessions", rule by rule, against the real app on SQLite and PostgreSQL.

// The module object itself (an import * would be a copy): the spy must see the app's calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('node:crypto') as typeof import('node:crypto');

const PASSWORD = 'kamome-no-sora-2026';
const MINUTE = 60_000;

interface Signed {
  cookie: string;
  csrf: string;
  body: Record<string, unknown>;
}

describe.each(databaseKinds())('sign-in and sessions on %s', (kind) => {
  const t = useTestApp(kind);
  let users: UsersService;
  let counter = 0;

  /** A user with a password of its own (no change needed); returns its login ID. */
  async function person(role: 'admin' | 'editor' | 'viewer' = 'viewer', password = PASSWORD): Promise<string> {
    counter++;
    const created = await users.create({ name: `利用者${counter}`, login: `person${counter}`, role, department: role === 'editor' ? '市民安全部' : null, password });
    return created.login;
  }

  const login = (id: string, password: string, http = t.http()) => http.post('/api/v1/auth/login').send({ login: id, password });

  async function signIn(id: string, password = PASSWORD): Promise<Signed> {
    const response = await login(id, password).expect(200);
    const cookie = String(response.headers['set-cookie'][0]).split(';')[0];
    return { cookie, csrf: response.body.csrfToken, body: response.body };
  }

  const advance = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms));

  beforeAll(async () => {
    users = t.app.get(UsersService);
  });

  it('should sign in with ID and password: the user, a CSRF token and an HttpOnly, SameSite=Strict session cookie', async () => {
    const id = await person('editor');
    const response = await login(id, PASSWORD).expect(200);
    expect(response.body).toEqual({
      user: { id: expect.any(Number), login: id, name: expect.stringMatching(/^利用者/), role: 'editor', department: '市民安全部' },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      mustChangePassword: false,
    });
    const cookies = response.headers['set-cookie'] as unknown as string[];
    expect(cookies).toHaveLength(1);
    const attributes = cookies[0].split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^tracker_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes.slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);
    // plain HTTP without a trusted proxy: no Secure, even when a client claims HTTPS
    const claimed = await login(id, PASSWORD).set('X-Forwarded-Proto', 'https').expect(200);
    expect(String(claimed.headers['set-cookie'][0])).not.toContain('Secure');

    // the session works for reads, and /me repeats the CSRF token for a reloaded page
    const cookie = attributes[0];
    const me = await t.http().get('/api/v1/me').set('Cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ login: id, role: 'editor', csrfToken: response.body.csrfToken, mustChangePassword: false });
    await t.http().get('/api/v1/progress').set('Cookie', cookie).expect(200);
  });

  it('should store only hashes: the session id as SHA-256, the password as scrypt with its parameters', async () => {
    const id = await person();
    const { cookie } = await signIn(id);
    const secret = cookie.split('=')[1];
    const data = t.app.get(DataSource);
    const sessions: { token_hash: string }[] = await data.query('SELECT token_hash FROM sessions');
    expect(sessions.map((row) => row.token_hash)).toContain(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(sessions)).not.toContain(secret);
    const [row]: { password_hash: string }[] = await data.query(`SELECT password_hash FROM users WHERE login = '${id}'`);
    // the tests' cost (N=1024, r=8, p=1), stored with the salt and the hash
    expect(row.password_hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('should match the login ID after NFKC and case folding', async () => {
    const created = await users.create({ name: '大文字', login: 'Kana.Yamada', role: 'viewer', password: PASSWORD });
    expect(created.login).toBe('Kana.Yamada');
    await signIn('ｋａｎａ．ＹＡＭＡＤＡ');
    await signIn(' kana.yamada ');
    await expect(users.create({ name: '別人', login: 'KANA.yamada', role: 'viewer', password: null })).rejects.toMatchObject({ code: 'login_taken' });
  });

  it('should answer a wrong password and an unknown ID alike (401 invalid_credentials), hashing a dummy for the unknown ID', async () => {
    const id = await person();
    const scrypt = jest.spyOn(nodeCrypto, 'scrypt');
    try {
      const wrong = await login(id, 'not-the-password-at-all').expect(401);
      const wrongCalls = scrypt.mock.calls.length;
      scrypt.mockClear();
      const unknown = await login('nobody-here', 'not-the-password-at-all').expect(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).toEqual({ statusCode: 401, code: 'invalid_credentials', message: 'ログインIDまたはパスワードが正しくありません' });
      expect(wrong.headers['set-cookie']).toBeUndefined();
      // the same work for both: one scrypt hash each
      expect(wrongCalls).toBe(1);
      expect(scrypt.mock.calls.length).toBe(1);
    } finally {
      scrypt.mockRestore();
    }
    // a user without a password (token only) cannot sign in with any password
    const tokenOnly = await users.createWithToken({ name: 'スクリプト', login: 'script-only', role: 'viewer' });
    expect((await login(tokenOnly.login, '').expect(401)).body.code).toBe('invalid_credentials');
  });

  it('should need X-CSRF-Token for changes made with the cookie, and none with a bearer token', async () => {
    const { cookie, csrf } = await signIn(await person('admin'));
    const item = { code: 'CSRF-1', name: 'CSRFの様式', division: '総務課', status: '押印必要' };
    const missing = await t.http().post('/api/v1/programs/seal/items').set('Cookie', cookie).send(item).expect(403);
    expect(missing.body).toEqual({ statusCode: 403, code: 'csrf_failed', message: expect.any(String) });
    const wrong = await t.http().post('/api/v1/programs/seal/items').set('Cookie', cookie).set('X-CSRF-Token', `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : "A"}`).send(item).expect(403);
    expect(wrong.body.code).toBe('csrf_failed');
    const created = await t.http().post('/api/v1/programs/seal/items').set('Cookie', cookie).set('X-CSRF-Token', csrf).send(item).expect(201);
    // PATCH and DELETE-like changes are held to the same rule
    await t.http().patch(`/api/v1/items/${created.body.id}`).set('Cookie', cookie).send({ status: '検討中', version: created.body.version }).expect(403);
    await t.http().patch(`/api/v1/items/${created.body.id}`).set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ status: '検討中', version: created.body.version }).expect(200);
    // another session's token does not fit this session
    const other = await signIn(await person('admin'));
    await t.http().post('/api/v1/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', other.csrf).expect(403);
    // a bearer token needs no CSRF token
    await t.http().post('/api/v1/programs/seal/items').set('Authorization', `Bearer ${t.adminToken}`).send({ ...item, code: 'CSRF-2' }).expect(201);
  });

  it('should end the session on the server at logout', async () => {
    const { cookie, csrf } = await signIn(await person());
    // the page's question on load: signed in or not, without a 401
    expect((await t.http().get('/api/v1/auth/session').set('Cookie', cookie).expect(200)).body).toEqual({ signedIn: true, csrfToken: csrf, mustChangePassword: false });
    expect((await t.http().get('/api/v1/auth/session').expect(200)).body).toEqual({ signedIn: false, csrfToken: null, mustChangePassword: false });
    const out = await t.http().post('/api/v1/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(200);
    expect(String(out.headers['set-cookie'][0])).toMatch(/^tracker_session=; .*Max-Age=0/);
    const after = await t.http().get('/api/v1/me').set('Cookie', cookie).expect(401);
    expect(after.body.code).toBe('unauthorized');
    expect((await t.http().get('/api/v1/auth/session').set('Cookie', cookie).expect(200)).body.signedIn).toBe(false);
  });

  it('should change the password with the current one, end the other sessions and keep this one', async () => {
    const id = await person();
    const first = await signIn(id);
    const second = await signIn(id);
    const change = (body: Record<string, string>) =>
      t.http().post('/api/v1/auth/password').set('Cookie', first.cookie).set('X-CSRF-Token', first.csrf).send(body);
    expect((await change({ current: 'wrong-password-here', new: 'umi-no-mieru-machi-77' }).expect(400)).body.code).toBe('wrong_password');
    expect((await change({ current: PASSWORD, new: 'short-pass' }).expect(400)).body).toMatchObject({ code: 'weak_password', message: expect.stringContaining('12文字以上') });
    expect((await change({ current: PASSWORD, new: 'password1234' }).expect(400)).body).toMatchObject({ code: 'weak_password', message: expect.stringContaining('よく使われる') });
    expect((await change({ current: PASSWORD, new: 'Qwertyuiop123!' }).expect(400)).body.code).toBe('weak_password');
    expect((await change({ current: PASSWORD, new: `${id}-no-himitsu` }).expect(400)).body.code).toBe('weak_password');
    await t.http().get('/api/v1/me').set('Cookie', second.cookie).expect(200);
    await change({ current: PASSWORD, new: 'umi-no-mieru-machi-77' }).expect(200);
    await t.http().get('/api/v1/me').set('Cookie', first.cookie).expect(200);
    await t.http().get('/api/v1/me').set('Cookie', second.cookie).expect(401);
    await login(id, PASSWORD).expect(401);
    await signIn(id, 'umi-no-mieru-machi-77');
  });

  it('should let a temporary password do nothing but change itself (and read /me, log out)', async () => {
    const created = await users.create({ name: '新人', login: 'newcomer', role: 'editor', department: '市民安全部' });
    expect(created.temporaryPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const session = await signIn('newcomer', created.temporaryPassword);
    expect(session.body.mustChangePassword).toBe(true);
    const blocked = await t.http().get('/api/v1/progress').set('Cookie', session.cookie).expect(403);
    expect(blocked.body.code).toBe('password_change_required');
    expect((await t.http().get('/api/v1/me').set('Cookie', session.cookie).expect(200)).body.mustChangePassword).toBe(true);
    await t.http()
      .post('/api/v1/auth/password')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrf)
      .send({ current: created.temporaryPassword, new: 'aozora-library-card-9' })
      .expect(200);
    await t.http().get('/api/v1/progress').set('Cookie', session.cookie).expect(200);
    expect((await t.http().get('/api/v1/me').set('Cookie', session.cookie).expect(200)).body.mustChangePassword).toBe(false);
  });

  it('should lock a login ID for 15 minutes after 10 failures within 15 minutes, whatever the password', async () => {
    const id = await person();
    const bystander = await person();
    for (let i = 0; i < 10; i++) {
      advance(MINUTE);
      await login(id, `wrong-password-${i}`).expect(401);
    }
    const locked = await login(id, PASSWORD).expect(429);
    expect(locked.body).toMatchObject({ statusCode: 429, code: 'too_many_failed_logins', details: { retryAfterSeconds: ACCOUNT_LOCK_MS / 1000 } });
    expect(locked.headers['retry-after']).toBe(String(ACCOUNT_LOCK_MS / 1000));
    expect(JSON.stringify(locked.body)).not.toContain(PASSWORD);
    // the same ID in another spelling is the same ID; another ID is not locked
    await login(id.toUpperCase(), PASSWORD).expect(429);
    await signIn(bystander);
    advance(ACCOUNT_LOCK_MS - 1000);
    expect((await login(id, PASSWORD).expect(429)).headers['retry-after']).toBe('1');
    advance(1000);
    await signIn(id);
    // nine failures spread over more than 15 minutes plus one do not lock
    for (let i = 0; i < 10; i++) {
      advance(2 * MINUTE);
      await login(id, `wrong-again-${i}`).expect(401);
    }
    await signIn(id);
  });

  it('should share sessions and lockouts between server processes on one database', async () => {
    const id = await person();
    const { cookie, csrf } = await signIn(id);
    for (let i = 0; i < 10; i++) await login(id, `guess-${i}`).expect(401);
    const other: INestApplication = await createHttpApp({ config: t.config, clock: t.clock, logger: false, loadReference: false });
    try {
      const http = () => request(other.getHttpServer());
      await http().get('/api/v1/me').set('Cookie', cookie).expect(200);
      await http().post('/api/v1/auth/login').send({ login: id, password: PASSWORD }).expect(429);
      // a logout on the other process ends the session here too
      await http().post('/api/v1/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(200);
      await t.http().get('/api/v1/me').set('Cookie', cookie).expect(401);
    } finally {
      await other.close();
    }
    advance(ACCOUNT_LOCK_MS);
  });

  it('should end a session after SESSION_IDLE_MINUTES without a request, and after 12 hours in any case', async () => {
    expect(t.config.sessionIdleMinutes).toBe(30);
    const id = await person();
    const idle = await signIn(id);
    advance(29 * MINUTE);
    await t.http().get('/api/v1/me').set('Cookie', idle.cookie).expect(200);
    advance(29 * MINUTE);
    await t.http().get('/api/v1/me').set('Cookie', idle.cookie).expect(200);
    advance(30 * MINUTE);
    expect((await t.http().get('/api/v1/me').set('Cookie', idle.cookie).expect(401)).body.code).toBe('unauthorized');

    const busy = await signIn(id);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      advance(20 * MINUTE);
      await t.http().get('/api/v1/me').set('Cookie', busy.cookie).expect(200);
    }
    advance(20 * MINUTE);
    await t.http().get('/api/v1/me').set('Cookie', busy.cookie).expect(401);
  });

  it('should end the sessions and refuse the sign-in and the token of a disabled user', async () => {
    const created = await users.create({ name: '退職者', login: 'leaver', role: 'viewer', password: PASSWORD, token: true });
    const { cookie } = await signIn('leaver');
    await users.disable(await users.byLogin('leaver'));
    await t.http().get('/api/v1/me').set('Cookie', cookie).expect(401);
    expect((await login('leaver', PASSWORD).expect(401)).body.code).toBe('invalid_credentials');
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${created.token}`).expect(401);
  });

  it('should keep the per-address limit for failed sign-ins: 20 from one address, while correct passwords still work', async () => {
    advance(ACCOUNT_LOCK_MS);
    const id = await person();
    // spread over many IDs so no single ID is locked
    for (let i = 0; i < 20; i++) await login(`unknown-${i % 5}-${counter}`, 'wrong-password-xx').expect(401);
    const blocked = await login('unknown-x', 'wrong-password-xx').expect(429);
    expect(blocked.body.code).toBe('too_many_failed_logins');
    await signIn(id);
    advance(10 * MINUTE);
    await login('unknown-x', 'wrong-password-xx').expect(401);
  });
});

describe('sign-in over HTTPS behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { config: { trustProxy: 'loopback' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should mark the cookie Secure when the proxy says the request came over HTTPS', async () => {
    await t.app.get(UsersService).create({ name: '山田', login: 'yamada', role: 'viewer', password: PASSWORD });
    const https = await t.http().post('/api/v1/auth/login').set('X-Forwarded-Proto', 'https').send({ login: 'yamada', password: PASSWORD }).expect(200);
    expect(String(https.headers['set-cookie'][0]).split('; ')).toContain('Secure');
    const http = await t.http().post('/api/v1/auth/login').send({ login: 'yamada', password: PASSWORD }).expect(200);
    expect(String(http.headers['set-cookie'][0])).not.toContain('Secure');
  });
});

describe('the request log at sign-in', () => {
  it('should never contain the password or the session cookie', async () => {
    const lines: string[] = [];
    const t = await startTestApp('sqlite', { config: { logRequests: true } });
    await t.app.close();
    const app = await createHttpApp({ config: { ...t.config, logRequests: true }, clock: new FixedClock('2026-11-24T01:00:00Z'), logger: false, requestLog: (line) => lines.push(line) });
    try {
      await app.get(UsersService).create({ name: '記録', login: 'logged', role: 'viewer', password: PASSWORD });
      const response = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ login: 'logged', password: PASSWORD }).expect(200);
      const secret = String(response.headers['set-cookie'][0]).split(';')[0].split('=')[1];
      await request(app.getHttpServer()).post('/api/v1/auth/login').send({ login: 'logged', password: 'wrong-password-1' }).expect(401);
      expect(lines).toHaveLength(2);
      expect(lines.join('\n')).not.toContain(PASSWORD);
      expect(lines.join('\n')).not.toContain('wrong-password-1');
      expect(lines.join('\n')).not.toContain(secret);
    } finally {
      await app.close();
      await t.database.drop();
    }
  });
});
