import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { Role } from './user.entity';
import { UsersService } from './users.service';

// Every route needs a bearer token unless marked @Public(); @Roles narrows who may call it.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header = String(request.headers?.authorization ?? '');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await this.users.authenticate(match[1]) : null;
    if (!actor) throw new DomainError('unauthorized', '認証が必要です（トークンが無いか無効です）', 401);
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('forbidden', 'この操作の権限がありません', 403);
    }
    return true;
  }
}
