import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// API tokens: 192 random bits, shown once; only their SHA-256 is stored. A fast hash is enough
// for random tokens (no dictionary to guess from), and lets a request find its user by index.
export function generateToken(): string {
  return `pdt_${randomBytes(24).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenPrefix(token: string): string {
  return token.slice(0, 10);
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
