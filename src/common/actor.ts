import { Role } from '../auth/user.entity';

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
