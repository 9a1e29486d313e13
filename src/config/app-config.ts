import * as path from 'node:path';

// Environment → typed settings, read once at the edge. Nothing else reads process.env.
export type DatabaseSettings =
  | { type: 'sqlite'; path: string }
  | { type: 'postgres'; url: string; poolSize: number; schema?: string };

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseSettings;
  timeZone: string;
  uploadLimitBytes: number;
  jsonLimit: string;
  publicReporting: boolean;
  logRequests: boolean;
  /** Express's `trust proxy`: false, or the hops / addresses of reverse proxies to trust. */
  trustProxy: boolean | number | string;
  /** Longest processing time of one import over HTTP, in ms (IMPORT_TIME_LIMIT_SECONDS; 0 = none). */
  importTimeLimitMs: number;
  /** SESSION_IDLE_MINUTES: a browser session ends after this long without a request (default 30). */
  sessionIdleMinutes: number;
  /** scrypt cost for new password hashes (stored with each hash); tests lower it to run fast. */
  passwordHashing: { N: number; r: number; p: number };
  /** Root of the project: seeds/ and the dashboard's static files are read from here. */
  projectRoot: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

export const projectRoot = path.resolve(__dirname, '..', '..');

export function parseDatabaseUrl(url: string | undefined, root = projectRoot): DatabaseSettings {
  const value = (url ?? '').trim();
  if (!value) return { type: 'sqlite', path: path.join(root, 'data', 'tracker.sqlite') };
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new ConfigError('DATABASE_URL=sqlite:PATH needs a path');
    return { type: 'sqlite', path: file === ':memory:' ? file : path.resolve(root, file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { type: 'postgres', url: value, poolSize: 10 };
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres:// (got ${value.split(':')[0]}:…)`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer (got ${raw})`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value < 1) throw new ConfigError(`${name} must be at least 1 (got ${env[name]})`);
  return value;
}

/** TRUST_PROXY: unset/off = no proxy; a number = that many hops; else addresses or subnets (loopback, 10.0.0.0/8, …). */
export function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const value = (raw ?? '').trim();
  if (!value || value.toLowerCase() === 'off' || value.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const database = parseDatabaseUrl(env.DATABASE_URL);
  if (database.type === 'postgres') database.poolSize = integer(env, 'DATABASE_POOL_SIZE', 10);
  return {
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    database,
    timeZone: env.TRACKER_TIME_ZONE || 'Asia/Tokyo',
    uploadLimitBytes: integer(env, 'UPLOAD_LIMIT_MB', 50) * 1024 * 1024,
    jsonLimit: env.JSON_BODY_LIMIT || '1mb',
    publicReporting: (env.PUBLIC_REPORTING ?? '').toLowerCase() === 'on',
    logRequests: (env.LOG_REQUESTS ?? 'on').toLowerCase() !== 'off',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    importTimeLimitMs: integer(env, 'IMPORT_TIME_LIMIT_SECONDS', 120) * 1000,
    sessionIdleMinutes: positive(env, 'SESSION_IDLE_MINUTES', 30),
    // OWASP's scrypt setting with 32 MiB per hash (N=2^15, r=8, p=3)
    passwordHashing: { N: 2 ** 15, r: 8, p: 3 },
    projectRoot,
  };
}
