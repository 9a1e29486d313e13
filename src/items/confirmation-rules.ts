import { Role } from '../common/actor';
import { confirmsDone, getProgram, isDoneState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';

// Confirmation of completions (報告済 → 確認済), for programs whose definition says confirmDone.
// Pure rules: what a write does to an item's pending report, and what a return puts back.

export interface StatusSnapshot {
  status: string;
  statusEffectiveOn: string | null;
  completedOn: string | null;
}

export type ReportAction = { action: 'report'; previous: StatusSnapshot } | { action: 'clear' } | { action: 'none' };

export interface WrittenStatus {
  program: ProgramKey;
  role: Role;
  /** The item before the write; null when the write creates it. */
  before: StatusSnapshot | null;
  afterStatus: string;
  /** The item has a report awaiting confirmation. */
  pending: boolean;
  /** The write changed the status or the completion date (not only other fields). */
  statusWritten: boolean;
}

/**
 * - an editor's change from a state that is not done into a done state is reported; the state it
 *   came from is kept for a return (an item created done came from the program's initial state);
 * - an editor's later change within the done states keeps the report as it is; a change out of
 *   them withdraws it;
 * - an administrator's change of the status or completion date needs no confirmation: it settles
 *   a pending report (the administrator decided the state);
 * - a program without confirmDone never reports (a report left from when it had one is cleared).
 */
export function reportAction(input: WrittenStatus): ReportAction {
  const { program, before, afterStatus, pending } = input;
  if (!confirmsDone(program)) return pending ? { action: 'clear' } : { action: 'none' };
  if (input.role === 'admin') return pending && input.statusWritten ? { action: 'clear' } : { action: 'none' };
  const afterDone = isDoneState(program, afterStatus);
  if (!afterDone) return pending ? { action: 'clear' } : { action: 'none' };
  if (pending) return { action: 'none' };
  if (before === null) {
    return { action: 'report', previous: { status: getProgram(program).initialState, statusEffectiveOn: null, completedOn: null } };
  }
  if (!isDoneState(program, before.status)) return { action: 'report', previous: { ...before } };
  return { action: 'none' };
}

/** The JSON `changes` of the history row a confirmation or a return writes. */
export function confirmationChange(outcome: 'confirmed' | 'returned'): string {
  return JSON.stringify({ confirmation: ['reported', outcome] });
}
