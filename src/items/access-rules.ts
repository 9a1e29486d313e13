import { Actor } from '../common/actor';

// Who may change an item: the one rule every write path asks (the items API, bulk change, sheet
// imports, monthly reports, channel volumes). Reading is open to every role.

/** An administrator changes any item; an editor the items of its own department's divisions. */
export function canEditDivision(actor: Actor, departmentId: number): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'editor' && actor.departmentId !== null && actor.departmentId === departmentId;
}
