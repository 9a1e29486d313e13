import { Actor, Role } from '../common/actor';

export const ROLE_LABELS: Record<Role, string> = { admin: '管理者', editor: '編集者', viewer: '閲覧者' };

export interface SessionView {
  name: string;
  role: Role;
  roleLabel: string;
  department: { code: string; name: string } | null;
  /** Whether the dashboard offers status changes; editors only on their own department's items. */
  canEdit: boolean;
}

export function sessionView(actor: Actor, department: { code: string; name: string } | null): SessionView {
  return {
    name: actor.name,
    role: actor.role,
    roleLabel: ROLE_LABELS[actor.role],
    department: department ? { code: department.code, name: department.name } : null,
    canEdit: actor.role === 'admin' || (actor.role === 'editor' && department !== null),
  };
}
