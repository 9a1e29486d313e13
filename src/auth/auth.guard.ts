import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Role } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { DURING_PASSWORD_CHANGE_KEY, PUBLIC_KEY, ROLES_KEY, SessionContext } from '../common/auth.decorators';
import { FailedLoginLimiter } from './failed-login-limiter';
import { csrfMatches, csrfTokenFor, SESSION_COOKIE, SessionsService } from './sessions.service';
import { actorOf, UsersService } from './users.service';

/** The address failures are counted against (Express's req.ip: the socket, or a trusted proxy's X-Forwarded-For). */
export function clientAddress(request: Pick<Request, 'ip' | 'socket'>): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

/** One cookie's value from a Cookie header (no parser dependency for one cookie). */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function tooManyFailures(retryAfter: number, response: Response, message: string): DomainError {
  response.setHeader('Retry-After', String(retryAfter));
  return new DomainError('too_many_failed_logins', `${message}${Math.ceil(retryAfter / 60)}分ほど待ってから再試行してください`, 429, {
    retryAfterSeconds: retryAfter,
  });
}

// Every route needs a bearer token or a session cookie unless marked @Public(); @Roles narrows
// who may call it. With the cookie, a change (POST, PUT, PATCH, DELETE) also needs the session's
// X-CSRF-Token, and a session whose password is temporary may only change it. A bearer token
// that fails counts against its address (FailedLoginLimiter); a request with no credentials at
// all, or with an expired session cookie, guessed nothing and is not counted.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limiter: FailedLoginLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: unknown; authSession?: SessionContext }>();
    const presented = request.headers?.authorization;
    if (presented !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(String(presented));
      const actor = match ? await this.users.authenticate(match[1]) : null;
      if (!actor) {
        await this.refuseIfBlocked(request, context.switchToHttp().getResponse());
        throw new DomainError('unauthorized', '認証が必要です（トークンが無いか無効です）', 401);
      }
      request.actor = actor;
    } else {
      const token = cookieValue(request.headers?.cookie, SESSION_COOKIE);
      const resolved = token ? await this.sessions.resolve(token) : null;
      if (!resolved) {
        throw new DomainError('unauthorized', token ? 'ログインの有効期限が切れました。もう一度ログインしてください' : 'ログインしてください（認証が必要です）', 401);
      }
      if (!SAFE_METHODS.has(request.method) && !csrfMatches(resolved.token, request.headers['x-csrf-token'])) {
        throw new DomainError('csrf_failed', '画面を再読み込みしてから、もう一度操作してください（確認用のトークンが一致しません）', 403);
      }
      const user = resolved.user;
      if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(DURING_PASSWORD_CHANGE_KEY, targets)) {
        throw new DomainError('password_change_required', '仮のパスワードでログインしています。先に新しいパスワードを設定してください', 403);
      }
      request.actor = actorOf(user);
      request.authSession = {
        sessionId: resolved.session.id,
        userId: user.id,
        csrfToken: csrfTokenFor(resolved.token),
        mustChangePassword: user.mustChangePassword,
      };
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const actor = request.actor as { role: Role };
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('forbidden', 'この操作の権限がありません', 403);
    }
    return true;
  }

  private async refuseIfBlocked(request: Request, response: Response): Promise<void> {
    const client = clientAddress(request);
    const retryAfter = await this.limiter.retryAfterSeconds(client);
    if (retryAfter > 0) throw tooManyFailures(retryAfter, response, '認証の失敗が続いたため、この端末からの認証を一時的に止めています。');
    await this.limiter.recordFailure(client);
  }
}
