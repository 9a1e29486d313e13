import * as fs from 'node:fs';
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
  /** `json`: every log line is one JSON object (for journald / a log collector); `text` for people. */
  logFormat: 'text' | 'json';
  /** On SIGTERM: how long in-flight requests may take before their connections are cut. */
  shutdownGraceMs: number;
  /** Longest processing time of one import over HTTP, in ms (IMPORT_TIME_LIMIT_SECONDS; 0 = none). */
  importTimeLimitMs: number;
  /** SESSION_IDLE_MINUTES: a browser session ends after this long without a request (default 30). */
  sessionIdleMinutes: number;
  /** scrypt cost for new password hashes (stored with each hash); tests lower it to run fast. */
  passwordHashing: { N: number; r: number; p: number };
  /** Root of the project: seeds/ and the dashboard's static files are read from here. */
  projectRoot: string;
  /** Evidence files (根拠資料): where they are stored, and the largest accepted. */
  attachmentsDir: string;
  attachmentLimitBytes: number;
  /** Reminder mails: the daily time (HH:MM in timeZone; null = off), the relay and the sender. */
  reminderTime: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** A failed send is tried this many times in all, waiting mailRetryDelayMs, then twice that, … */
  mailRetryAttempts: number;
  mailRetryDelayMs: number;
  /** The tracker's address as users reach it, for links in mails (optional). */
  publicUrl: string | null;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/** The folder with package.json above this file: src/, dist/ and the bench's dist-bench/src/ all find the same root. */
function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

export const projectRoot = findProjectRoot(path.resolve(__dirname, '..'));

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

/** REMINDER_TIME: unset/off = no daily reminders; else HH:MM (24 h) in TRACKER_TIME_ZONE. */
export function parseReminderTime(raw: string | undefined): string | null {
  const value = (raw ?? '').trim();
  if (!value || value.toLowerCase() === 'off') return null;
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw new ConfigError(`REMINDER_TIME must be HH:MM or off (got ${value})`);
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}

export function parseLogFormat(raw: string | undefined): 'text' | 'json' {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new ConfigError(`LOG_FORMAT must be text or json (got ${raw})`);
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
    logFormat: parseLogFormat(env.LOG_FORMAT),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_SECONDS', 20) * 1000,
    importTimeLimitMs: integer(env, 'IMPORT_TIME_LIMIT_SECONDS', 120) * 1000,
    sessionIdleMinutes: positive(env, 'SESSION_IDLE_MINUTES', 30),
    // OWASP's scrypt setting with 32 MiB per hash (N=2^15, r=8, p=3)
    passwordHashing: { N: 2 ** 15, r: 8, p: 3 },
    projectRoot,
    attachmentsDir: path.resolve(projectRoot, env.ATTACHMENTS_DIR || path.join('data', 'attachments')),
    attachmentLimitBytes: integer(env, 'ATTACHMENT_LIMIT_MB', 20) * 1024 * 1024,
    reminderTime: parseReminderTime(env.REMINDER_TIME),
    smtpUrl: (env.SMTP_URL ?? '').trim() || null,
    mailFrom: (env.MAIL_FROM ?? '').trim() || 'procedure-tracker@localhost',
    mailRetryAttempts: Math.max(1, integer(env, 'MAIL_RETRY_ATTEMPTS', 3)),
    mailRetryDelayMs: integer(env, 'MAIL_RETRY_DELAY_MS', 2000),
    publicUrl: (env.TRACKER_URL ?? '').trim() || null,
  };
}
