import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LessThan, Not, Repository } from 'typeorm';
import { Clock, CLOCK } from '../common/clock';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Session } from './session.entity';
import { hashToken } from './tokens';
import { User } from './user.entity';

export const SESSION_COOKIE = 'tracker_session';
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reading pages is not a write per request. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * The CSRF token of a session: derived from the cookie's secret (not stored), so the database
 * alone cannot produce it, and a page script that can read it cannot read the cookie (HttpOnly).
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf\0${sessionToken}`, 'utf8').digest('base64url');
}

export function csrfMatches(sessionToken: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || !presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Why a session is no longer valid at `nowMs`, or null when it is. */
export function sessionExpiry(session: { createdAt: string; lastSeenAt: string }, nowMs: number, idleMs: number): 'idle' | 'absolute' | null {
  if (nowMs - Date.parse(session.createdAt) >= SESSION_ABSOLUTE_MS) return 'absolute';
  if (nowMs - Date.parse(session.lastSeenAt) >= idleMs) return 'idle';
  return null;
}

export interface ResolvedSession {
  session: Session;
  user: User;
  token: string;
}

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new session for `userId`: the cookie value (shown to the browser only) and its CSRF token. */
  async start(userId: number): Promise<{ token: string; csrfToken: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const nowMs = this.clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    // sessions nobody came back to are removed here, so the table holds live ones only
    await this.sessions.delete({ lastSeenAt: LessThan(new Date(nowMs - this.config.sessionIdleMinutes * 60_000).toISOString()) });
    await this.sessions.delete({ createdAt: LessThan(new Date(nowMs - SESSION_ABSOLUTE_MS).toISOString()) });
    const session = await this.sessions.save(this.sessions.create({ tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now }));
    return { token, csrfToken: csrfTokenFor(token), session };
  }

  /** The live session behind a cookie value, touched; an expired one is deleted. */
  async resolve(token: string): Promise<ResolvedSession | null> {
    if (!token || token.length > 100) return null;
    const session = await this.sessions.findOne({ where: { tokenHash: hashToken(token) } });
    if (!session) return null;
    const now = this.clock.now().getTime();
    if (sessionExpiry(session, now, this.config.sessionIdleMinutes * 60_000)) {
      await this.sessions.delete({ id: session.id });
      return null;
    }
    const user = await this.users.findOne({ where: { id: session.userId } });
    if (!user || user.disabledAt) {
      await this.sessions.delete({ id: session.id });
      return null;
    }
    if (now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(now).toISOString();
      await this.sessions.update({ id: session.id }, { lastSeenAt: session.lastSeenAt });
    }
    return { session, user, token };
  }

  async end(sessionId: number): Promise<void> {
    await this.sessions.delete({ id: sessionId });
  }

  /** Ends every session of the user, or every one but `keep`. */
  async endAllOf(userId: number, keep?: number): Promise<void> {
    await this.sessions.delete(keep === undefined ? { userId } : { userId, id: Not(keep) });
  }

  async countOf(userId: number): Promise<number> {
    return this.sessions.count({ where: { userId } });
  }
}
