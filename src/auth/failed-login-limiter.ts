import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThan, Repository } from 'typeorm';
import { Clock, CLOCK } from '../common/clock';
import { AuthFailure } from './auth-failure.entity';

// Two limits on failed authentication, both kept in the database so every server process counts
// the same failures:
// - per client address: after 20 failures (wrong token, wrong password) within 10 minutes, further
//   failures from that address get 429 until the oldest of them leaves the window. A valid token
//   or password is never refused by it: staff behind one proxy address keep working while a script
//   next to them hammers the API with a stale token.
// - per login ID (the account lockout): after 10 failed sign-ins to one ID within 15 minutes,
//   every sign-in to it gets 429 for 15 minutes, whatever the password, so a password cannot be
//   guessed from many addresses either.

export const FAILED_LOGIN_LIMIT = 20;
export const FAILED_LOGIN_WINDOW_MS = 10 * 60 * 1000;
export const ACCOUNT_FAILURE_LIMIT = 10;
export const ACCOUNT_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_LOCK_MS = 15 * 60 * 1000;
/** Failures older than this are deleted: no rule looks further back. */
const KEEP_MS = 60 * 60 * 1000;

/**
 * The address rule: `recent` are the failure times (ms) within the window, newest first (at most
 * `limit` of them). Blocked until enough of them age out to fall below the limit.
 */
export function addressBlockedForMs(recent: number[], limit: number, windowMs: number, nowMs: number): number {
  if (recent.length < limit) return 0;
  return Math.max(0, recent[limit - 1] + windowMs - nowMs);
}

/**
 * The account rule: `recent` are the latest failure times (ms), newest first (at most `limit`).
 * When `limit` of them fall within the window, the ID is locked for `lockMs` from the last one.
 * Attempts during a lock are refused before they are counted, so a lock is followed by a fresh count.
 */
export function accountLockedForMs(recent: number[], limit: number, windowMs: number, lockMs: number, nowMs: number): number {
  if (recent.length < limit) return 0;
  const newest = recent[0];
  const oldest = recent[limit - 1];
  if (newest - oldest >= windowMs) return 0;
  return Math.max(0, newest + lockMs - nowMs);
}

type Scope = 'address' | 'login';

@Injectable()
export class FailedLoginLimiter {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectRepository(AuthFailure) private readonly failures: Repository<AuthFailure>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async recent(scope: Scope, key: string, limit: number, sinceMs: number): Promise<number[]> {
    const rows = await this.failures.find({
      select: { at: true },
      where: { scope, key: key.slice(0, 200), at: MoreThan(new Date(sinceMs).toISOString()) },
      order: { at: 'DESC', id: 'DESC' },
      take: limit,
    });
    return rows.map((row) => Date.parse(row.at));
  }

  private async record(scope: Scope, key: string): Promise<number> {
    const now = this.clock.now().getTime();
    await this.failures.insert({ scope, key: key.slice(0, 200), at: new Date(now).toISOString() });
    await this.failures.delete({ at: LessThan(new Date(now - KEEP_MS).toISOString()) });
    return now;
  }

  /** Seconds to wait (rounded up) when `client` is blocked, else 0. */
  async retryAfterSeconds(client: string): Promise<number> {
    const now = this.clock.now().getTime();
    const recent = await this.recent('address', client, FAILED_LOGIN_LIMIT, now - FAILED_LOGIN_WINDOW_MS);
    const ms = addressBlockedForMs(recent, FAILED_LOGIN_LIMIT, FAILED_LOGIN_WINDOW_MS, now);
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async recordFailure(client: string): Promise<void> {
    const now = await this.record('address', client);
    const recent = await this.recent('address', client, FAILED_LOGIN_LIMIT + 1, now - FAILED_LOGIN_WINDOW_MS);
    if (recent.length === FAILED_LOGIN_LIMIT) {
      // The address only: never the token or password that was tried.
      this.logger.warn(`${FAILED_LOGIN_LIMIT} failed authentications within ${FAILED_LOGIN_WINDOW_MS / 60000} minutes from ${client}: further failures get 429`);
    }
  }

  /** Seconds (rounded up) the login ID (its key) stays locked, else 0. */
  async accountRetryAfterSeconds(loginKey: string): Promise<number> {
    const now = this.clock.now().getTime();
    const recent = await this.recent('login', loginKey, ACCOUNT_FAILURE_LIMIT, now - ACCOUNT_FAILURE_WINDOW_MS - ACCOUNT_LOCK_MS);
    const ms = accountLockedForMs(recent, ACCOUNT_FAILURE_LIMIT, ACCOUNT_FAILURE_WINDOW_MS, ACCOUNT_LOCK_MS, now);
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async recordAccountFailure(loginKey: string): Promise<void> {
    await this.record('login', loginKey);
    if ((await this.accountRetryAfterSeconds(loginKey)) > 0) {
      this.logger.warn(`${ACCOUNT_FAILURE_LIMIT} failed sign-ins within ${ACCOUNT_FAILURE_WINDOW_MS / 60000} minutes to login ID ${loginKey}: locked for ${ACCOUNT_LOCK_MS / 60000} minutes`);
    }
  }

  /** A successful sign-in starts the count afresh. */
  async clearAccount(loginKey: string): Promise<void> {
    await this.failures.delete({ scope: 'login', key: loginKey.slice(0, 200) });
  }
}
