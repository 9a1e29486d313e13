import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { UsersService } from '../../src/auth/users.service';
import { createHttpApp } from '../../src/bootstrap';
import { FixedClock } from '../../src/common/clock';
import { AppConfig, DatabaseSettings, loadConfig } from '../../src/config/app-config';

export type DatabaseKind = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  settings: DatabaseSettings;
  drop(): Promise<void>;
}

/** A fresh database: a new SQLite file, or a new schema in the test PostgreSQL. */
export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-test-'));
    return { settings: { type: 'sqlite', path: path.join(dir, 'tracker.sqlite') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    settings: { type: 'postgres', url, poolSize: 5, schema },
    drop: async () => {
      const dropper = new Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await dropper.end();
    },
  };
}

export function testConfig(settings: DatabaseSettings, overrides: Partial<AppConfig> = {}): AppConfig {
  // cheap scrypt so that tests which sign in many times stay fast (the cost is stored with each hash)
  return { ...loadConfig({}), database: settings, logRequests: false, passwordHashing: { N: 1024, r: 8, p: 1 }, ...overrides };
}

/** The password of the test app's admin and of accounts made with `account()`. */
export const TEST_PASSWORD = 'suite-password-of-tests';

export interface TestAccount {
  login: string;
  password: string;
  token: string;
}

export interface TestApp {
  app: INestApplication;
  clock: FixedClock;
  database: TestDatabase;
  config: AppConfig;
  adminToken: string;
  /** The admin's login ID (its password is TEST_PASSWORD). */
  adminLogin: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
  token(role: 'admin' | 'editor' | 'viewer', department?: string): Promise<string>;
  /** A user who signs in with TEST_PASSWORD (and has a token too). */
  account(role: 'admin' | 'editor' | 'viewer', department?: string): Promise<TestAccount>;
}

/** The real app on a real database, with the reference data loaded and the clock fixed. */
export async function startTestApp(kind: DatabaseKind, options: { now?: string; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const database = await freshDatabase(kind);
  const clock = new FixedClock(options.now ?? '2026-11-24T01:00:00Z');
  const config = testConfig(database.settings, options.config);
  const app = await createHttpApp({ config, clock, logger: false });
  const users = app.get(UsersService);
  const admin = await users.createWithToken({ name: 'test-admin', login: 'test-admin', role: 'admin', password: TEST_PASSWORD });
  let counter = 0;
  return {
    app,
    clock,
    database,
    config,
    adminToken: admin.token,
    adminLogin: admin.login,
    http: () => request(app.getHttpServer()),
    async token(role, department) {
      counter++;
      return (await users.createWithToken({ name: `${role}-${counter}`, role, department })).token;
    },
    async account(role, department) {
      counter++;
      const created = await users.createWithToken({ name: `${role}-${counter}`, login: `${role}-${counter}`, role, department, password: TEST_PASSWORD });
      return { login: created.login, password: TEST_PASSWORD, token: created.token };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * The app for the tests of the enclosing describe block (or file): started before them, closed
 * after them. Read it only inside tests and hooks declared after this call.
 */
export function useTestApp(kind: DatabaseKind, options: { now?: string; config?: Partial<AppConfig> } = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(kind, options);
  }, 60_000); // a bound against hangs: migrations on a loaded PostgreSQL
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  const current = (): TestApp => {
    if (!started) throw new Error('the test app is not running: use it inside a test or a hook declared after useTestApp()');
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    get clock() {
      return current().clock;
    },
    get database() {
      return current().database;
    },
    get config() {
      return current().config;
    },
    get adminToken() {
      return current().adminToken;
    },
    get adminLogin() {
      return current().adminLogin;
    },
    http: () => current().http(),
    close: async () => current().close(),
    token: async (role, department) => current().token(role, department),
    account: async (role, department) => current().account(role, department),
  };
}

/** The Authorization header for a bearer token. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
