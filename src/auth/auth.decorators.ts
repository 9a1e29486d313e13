import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor } from '../common/actor';
import { Role } from './user.entity';

export const PUBLIC_KEY = 'tracker:public';
export const ROLES_KEY = 'tracker:roles';

/** No token needed (health, API docs, public reporting). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the handler. Without it, any signed-in role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest().actor as Actor;
});
