import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor, Role } from './actor';

// What a handler declares about who may call it. Every controller uses these, so they live in
// common/; auth/ (auth.guard.ts) is the one place that enforces them.

export const PUBLIC_KEY = 'tracker:public';
export const ROLES_KEY = 'tracker:roles';
export const DURING_PASSWORD_CHANGE_KEY = 'tracker:during-password-change';

/** No token needed (health, API docs, public reporting). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the handler. Without it, any signed-in role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Open to a session whose temporary password is still to be changed (/me, logout, password). */
export const AllowDuringPasswordChange = () => SetMetadata(DURING_PASSWORD_CHANGE_KEY, true);

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest().actor as Actor;
});

/** What the guard learned from a session cookie; absent for Bearer requests. */
export interface SessionContext {
  sessionId: number;
  userId: number;
  csrfToken: string;
  mustChangePassword: boolean;
}

export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext): SessionContext | null => {
  return (context.switchToHttp().getRequest().authSession as SessionContext | undefined) ?? null;
});
