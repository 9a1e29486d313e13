import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { FailedLoginLimiter } from './failed-login-limiter';
import { Role } from './user.entity';
import { UsersService } from './users.service';

/** The address failures are counted against (Express's req.ip: the socket, or a trusted proxy's X-Forwarded-For). */
export function clientAddress(request: Pick<Request, 'ip' | 'socket'>): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

// Every route needs a bearer token unless marked @Public(); @Roles narrows who may call it.
// A request that presents credentials which fail counts against its address (FailedLoginLimiter);
// one with no Authorization header at all guessed nothing and is not counted.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
    private readonly limiter: FailedLoginLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const presented = request.headers?.authorization;
    const header = String(presented ?? '');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await this.users.authenticate(match[1]) : null;
    if (!actor) {
      if (presented !== undefined) this.refuseIfBlocked(request, context.switchToHttp().getResponse());
      throw new DomainError('unauthorized', '認証が必要です（トークンが無いか無効です）', 401);
    }
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('forbidden', 'この操作の権限がありません', 403);
    }
    return true;
  }

  private refuseIfBlocked(request: Request, response: Response): void {
    const client = clientAddress(request);
    const retryAfter = this.limiter.retryAfterSeconds(client);
    if (retryAfter > 0) {
      response.setHeader('Retry-After', String(retryAfter));
      throw new DomainError(
        'too_many_failed_logins',
        `認証の失敗が続いたため、この端末からの認証を一時的に止めています。${Math.ceil(retryAfter / 60)}分ほど待ってから正しいトークンで再試行してください`,
        429,
        { retryAfterSeconds: retryAfter },
      );
    }
    this.limiter.recordFailure(client);
  }
}
