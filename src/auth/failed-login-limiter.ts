import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '../common/clock';

// A limit on failed authentication per client address: after `limit` failures within `windowMs`,
// further failures from that address get 429 until the oldest of them leaves the window. A valid
// token is never refused: staff behind one proxy address keep working while a script next to them
// hammers the API with a stale token. Tokens carry 192 random bits, so the limit is not what stops
// guessing; it stops a runaway client from flooding the token lookup and the logs, and shows it.

export const FAILED_LOGIN_LIMIT = 20;
export const FAILED_LOGIN_WINDOW_MS = 10 * 60 * 1000;
/** Addresses remembered at most; beyond it the least recently failing one is forgotten. */
export const FAILED_LOGIN_MAX_CLIENTS = 10_000;

/** Pure bookkeeping: times (ms) of recent failures per key. */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit = FAILED_LOGIN_LIMIT,
    readonly windowMs = FAILED_LOGIN_WINDOW_MS,
    readonly maxKeys = FAILED_LOGIN_MAX_CLIENTS,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const kept = times.filter((at) => at > nowMs - this.windowMs && at <= nowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until `key` may fail again without 429; 0 when it is not blocked. */
  blockedForMs(key: string, nowMs: number): number {
    const times = this.recent(key, nowMs);
    if (times.length < this.limit) return 0;
    // Blocked until enough failures have aged out to fall below the limit.
    return times[times.length - this.limit] + this.windowMs - nowMs;
  }

  /** Records a failure; answers whether this one reached the limit (for a single warning). */
  recordFailure(key: string, nowMs: number): boolean {
    const times = this.recent(key, nowMs);
    times.push(nowMs);
    const reached = times.length === this.limit;
    // Only the last `limit` failures decide a block: keep no more, so memory stays bounded.
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    // Re-inserting moves the key to the end: Map order is then least recently failing first.
    this.failures.delete(key);
    this.failures.set(key, times);
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
    return reached;
  }

  get size(): number {
    return this.failures.size;
  }
}

@Injectable()
export class FailedLoginLimiter {
  private readonly logger = new Logger('Auth');
  private readonly window = new FailureWindow();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** Seconds to wait (rounded up) when `client` is blocked, else 0. */
  retryAfterSeconds(client: string): number {
    const ms = this.window.blockedForMs(client, this.clock.now().getTime());
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  recordFailure(client: string): void {
    if (this.window.recordFailure(client, this.clock.now().getTime())) {
      // The address only: never the token that was tried.
      this.logger.warn(`${FAILED_LOGIN_LIMIT} failed authentications within ${FAILED_LOGIN_WINDOW_MS / 60000} minutes from ${client}: further failures get 429`);
    }
  }
}
