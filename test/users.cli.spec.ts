import request from 'supertest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { announceFirstAdmin } from '../src/auth/first-admin';
import { UsersService } from '../src/auth/users.service';
import { runCliOn } from './support/run-cli';
import { databaseKinds, startTestApp, TestApp, useTestApp } from './support/test-app';

// `user …` commands of CONTRACT.md "Sign-in and sessions", and the first start's administrator.

const PASSWORD = 'hamanasu-no-hana-2026';

// each command starts the app, and the CLI hashes with the real scrypt cost
jest.setTimeout(60_000);

describe.each(databaseKinds())('user commands on %s', (kind) => {
  const t = useTestApp(kind);
  const cli = (args: string[], stdin?: string) => runCliOn(t.database.settings, args, stdin);
  const login = (id: string, password: string) => t.http().post('/api/v1/auth/login').send({ login: id, password });

  it('should create a user with a temporary password printed once, and refuse a login ID already taken', async () => {
    const created = await cli(['user', 'create', '--name', '山田花子', '--login', 'yamada', '--role', 'editor', '--department', '福祉こども部']);
    expect(created.code).toBe(0);
    const temporary = /temporary password \(shown once; to be changed at the first sign-in\): (\S+)/.exec(created.out)?.[1];
    expect(temporary).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(created.out).toContain('created editor "山田花子" login yamada (福祉こども部)');
    const signed = await login('yamada', temporary!).expect(200);
    expect(signed.body.mustChangePassword).toBe(true);

    const taken = await cli(['user', 'create', '--name', '山田太郎', '--login', 'ＹＡＭＡＤＡ', '--role', 'viewer']);
    expect(taken.code).toBe(1);
    expect(taken.out).toContain('エラー [login_taken]: ログインID「YAMADA」は既に使われています');
    expect((await cli(['user', 'create', '--name', '空白', '--login', 'has space', '--role', 'viewer'])).out).toContain('[invalid_login]');
  });

  it('should print an API token once (the contract scripts rely on), derive a login ID when none is given, and issue no token with --no-token', async () => {
    const made = await cli(['user', 'create', '--name', 'report-bot', '--role', 'viewer', '--json']);
    expect(made.code).toBe(0);
    const created = JSON.parse(made.out);
    expect(created).toMatchObject({ login: 'report-bot', name: 'report-bot', role: 'viewer', token: expect.stringMatching(/^\S{20,}$/) });
    await request(t.app.getHttpServer()).get('/api/v1/me').set('Authorization', `Bearer ${created.token}`).expect(200);
    const japanese = JSON.parse((await cli(['user', 'create', '--name', '名無し', '--role', 'viewer', '--json'])).out);
    expect(japanese.login).toMatch(/^user\d+$/);
    const quiet = await cli(['user', 'create', '--name', '静か', '--login', 'shizuka', '--role', 'viewer', '--no-token', '--json']);
    expect(JSON.parse(quiet.out).token).toBeUndefined();
  });

  it('should take a password from standard input, check it, and print JSON without it', async () => {
    const weak = await cli(['user', 'create', '--name', '佐藤', '--login', 'sato', '--role', 'viewer', '--password-stdin'], 'password1234\n');
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('[weak_password]');
    const made = await cli(['user', 'create', '--name', '佐藤', '--login', 'sato', '--role', 'viewer', '--password-stdin', '--json'], `${PASSWORD}\n`);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toEqual({ id: expect.any(Number), login: 'sato', name: '佐藤', role: 'viewer', department: null, token: expect.any(String) });
    expect(made.out).not.toContain(PASSWORD);
    expect((await login('sato', PASSWORD).expect(200)).body.mustChangePassword).toBe(false);
  });

  it('should set a password from standard input (ending the sessions), disable a user and issue a token', async () => {
    await cli(['user', 'create', '--name', '鈴木', '--login', 'suzuki', '--role', 'viewer', '--password-stdin'], PASSWORD);
    const cookie = String((await login('suzuki', PASSWORD).expect(200)).headers['set-cookie'][0]).split(';')[0];
    expect((await cli(['user', 'set-password', 'suzuki'])).code).toBe(2);
    const set = await cli(['user', 'set-password', 'SUZUKI', '--password-stdin'], 'tsugaru-kaikyo-fuyu-8\n');
    expect(set).toEqual({ code: 0, out: 'password set for suzuki' });
    await t.http().get('/api/v1/me').set('Cookie', cookie).expect(401);
    await login('suzuki', 'tsugaru-kaikyo-fuyu-8').expect(200);

    const token = await cli(['user', 'token', 'suzuki', '--json']);
    const issued = JSON.parse(token.out) as { login: string; token: string };
    expect(issued.login).toBe('suzuki');
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${issued.token}`).expect(200);

    expect(await cli(['user', 'disable', 'suzuki'])).toEqual({ code: 0, out: 'disabled suzuki' });
    await login('suzuki', 'tsugaru-kaikyo-fuyu-8').expect(401);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${issued.token}`).expect(401);
    expect((await cli(['user', 'disable', 'nobody'])).out).toContain('[not_found]');
  });

  it('should list login IDs with times in TRACKER_TIME_ZONE, never passwords or tokens', async () => {
    const list = await cli(['user', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('created (Asia/Tokyo)');
    // the test app's admin was made at the test clock, 2026-11-24T01:00Z: 10:00 in Tokyo (the CLI
    // itself runs on the real clock)
    expect(list.out).toMatch(/test-admin\s+test-admin\s+admin\s+set\s+pdt_\S+…\s+2026-11-24 10:00/);
    expect(list.out).toMatch(/yamada\s+山田花子\s+editor\s+福祉こども部\s+temporary\s+pdt_\S+…\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const json = JSON.parse((await cli(['user', 'list', '--json'])).out) as { timeZone: string; users: { login: string; createdAt: string; disabledAt: string | null }[] };
    expect(json.timeZone).toBe('Asia/Tokyo');
    expect(json.users.find((user) => user.login === 'test-admin')?.createdAt).toBe('2026-11-24T10:00:00+09:00');
    expect(json.users.find((user) => user.login === 'suzuki')?.disabledAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect(JSON.stringify(json)).not.toMatch(/scrypt|pdt_[A-Za-z0-9_-]{20}/);
  });

  it('should refuse to revoke by a name two users share, and revoke by login ID', async () => {
    const users = t.app.get(UsersService);
    await users.createWithToken({ name: '同名 太郎', login: 'taro1', role: 'viewer' });
    const second = await users.createWithToken({ name: '同名 太郎', login: 'taro2', role: 'viewer' });
    const ambiguous = await cli(['user', 'revoke', '同名 太郎']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.out).toContain('[ambiguous_user]');
    expect(ambiguous.out).toContain('taro1, taro2');
    expect(await cli(['user', 'revoke', 'taro2'])).toEqual({ code: 0, out: 'revoked 1 token(s)' });
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${second.token}`).expect(401);
    const list = JSON.parse((await cli(['user', 'list', '--json'])).out) as { users: { login: string; tokenPrefix: string | null }[] };
    expect(list.users.find((user) => user.login === 'taro1')?.tokenPrefix).toMatch(/^pdt_/);
    expect(list.users.find((user) => user.login === 'taro2')?.tokenPrefix).toBeNull();
  });

  it('should create the first administrator (login admin, temporary password) only when there are no users', async () => {
    const users = t.app.get(UsersService);
    expect(await users.ensureFirstAdmin()).toBeNull();
  });
});

describe('the first start', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-first-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should make admin with a temporary password: printed on a terminal, else in a 0600 file whose path alone is logged', async () => {
    // an empty database: the test app's own admin goes first
    const data = t.app.get(UsersService);
    const repository = (data as unknown as { users: { clear(): Promise<void> } }).users;
    await repository.clear();
    const admin = await data.ensureFirstAdmin();
    expect(admin).toMatchObject({ login: 'admin', role: 'admin', temporaryPassword: expect.stringMatching(/^[A-Za-z0-9]{16}$/) });
    expect(await data.ensureFirstAdmin()).toBeNull();
    const signed = await t.http().post('/api/v1/auth/login').send({ login: 'admin', password: admin!.temporaryPassword }).expect(200);
    expect(signed.body.mustChangePassword).toBe(true);

    const printed: string[] = [];
    const logged: string[] = [];
    const file = path.join(dir, 'data', 'initial-admin-password.txt');
    announceFirstAdmin(admin!, { isTTY: true, write: (text) => printed.push(text), log: (text) => logged.push(text), file });
    expect(printed.join('')).toContain(admin!.temporaryPassword);
    expect(logged).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);

    printed.length = 0;
    announceFirstAdmin(admin!, { isTTY: false, write: (text) => printed.push(text), log: (text) => logged.push(text), file });
    expect(printed).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(file);
    expect(logged[0]).not.toContain(admin!.temporaryPassword);
    expect(fs.readFileSync(file, 'utf8')).toContain(admin!.temporaryPassword);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
