import { randomBytes, randomInt, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';

// Passwords are stored only as scrypt hashes (memory-hard), with their parameters and salt in the
// stored string, so the parameters can be raised later without breaking existing hashes:
//   scrypt$N$r$p$<salt base64url>$<hash base64url>
// N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (32 MiB per hash), chosen over
// N=2^17 so that four sign-ins at once (libuv's threads) stay far below the server's memory goal.

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((value) => Number.isInteger(value) && value > 0)) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(password, Buffer.from(parts[4], 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Hashed against when the login ID is unknown (or has no password), so that answer takes as
// long as a wrong password for a real user: one per cost setting, made on first use.
const dummyHashes = new Map<string, Promise<string>>();
export function dummyPasswordHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const key = `${params.N}/${params.r}/${params.p}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('hex'), params);
    dummyHashes.set(key, hash);
  }
  return hash;
}

// No 0/O, 1/l/I: read off a terminal or a screen and typed once.
const TEMPORARY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A temporary password: 16 characters (about 93 bits), to be changed at the first sign-in. */
export function generateTemporaryPassword(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)];
  return out;
}

/** The shipped list (src/auth/common-passwords.txt): one lower-case password a line, # comments. */
export function parseCommonPasswords(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const value = line.trim();
    if (value && !value.startsWith('#')) set.add(value.toLowerCase());
  }
  return set;
}

export function loadCommonPasswords(file: string): Set<string> {
  return parseCommonPasswords(fs.readFileSync(file, 'utf8'));
}

export interface PasswordProblem {
  code: 'weak_password';
  message: string;
}

/**
 * Why a new password is refused, or null. At least 12 characters; not a common password, nor one
 * with only digits or symbols added to a common one (password1234!), nor one character repeated,
 * nor containing the login ID.
 */
export function passwordProblem(password: string, common: Set<string>, loginId?: string): PasswordProblem | null {
  const length = [...password.normalize('NFC')].length;
  const weak = (message: string): PasswordProblem => ({ code: 'weak_password', message });
  if (length < MIN_PASSWORD_LENGTH) return weak(`パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください（${length}文字でした）`);
  if (length > MAX_PASSWORD_LENGTH) return weak(`パスワードは${MAX_PASSWORD_LENGTH}文字以内にしてください`);
  const lower = password.normalize('NFKC').toLowerCase();
  if (new Set(lower).size === 1) return weak('同じ文字を繰り返しただけのパスワードは使えません');
  const stripped = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (common.has(lower) || (stripped.length >= 4 && common.has(stripped))) {
    return weak('よく使われるパスワード（またはそれに数字や記号を足しただけのもの）は使えません。推測されにくい長い語句にしてください');
  }
  if (loginId && loginId.length >= 3 && lower.includes(loginId.normalize('NFKC').toLowerCase())) {
    return weak('ログインIDを含むパスワードは使えません');
  }
  return null;
}
