// Who acts and with which role: the vocabulary every folder shares, so it lives here and not in
// auth/ (auth signs people in; the rest only ask who is acting).

export type Role = 'admin' | 'editor' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

/** Who is acting: a signed-in user, or the system itself (seed loading, CLI without a user). */
export interface Actor {
  userId: number | null;
  name: string;
  role: Role;
  departmentId: number | null;
  /** The login ID, when a user (not the system) acts. */
  login?: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system', role: 'admin', departmentId: null };
