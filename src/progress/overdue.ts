import { allPrograms, isDoneState, isExcludedState, programPosition } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { inTargetScope } from '../targets/target-scope';
import { TargetView } from '../targets/target-rules';

// The overdue list, with the same rule as a target's `overdue` count (progress-math `forecast`):
// an item still open on the as-of date is overdue when its own due date (予定日) has passed, or
// when the deadline of a target that covers it has passed.

export interface OpenItemRow {
  id: number;
  program: string;
  code: string;
  name: string;
  /** The state as of the date; null = the program's initial state. */
  state: string | null;
  dueOn: string | null;
  nationalGroup: string | null;
  divisionId: number;
  /** The item's program fields, for field-scoped targets (absent: the caller filtered already). */
  fields?: Readonly<Record<string, unknown>>;
}

export type OverdueReason =
  | { kind: 'dueOn'; date: string }
  | { kind: 'target'; date: string; targetId: string; label: string; deadlineLabel: string };

export function isOpenState(program: ProgramKey, state: string | null): boolean {
  if (state === null) return true;
  return !isDoneState(program, state) && !isExcludedState(program, state);
}

/** Reasons the item is overdue on `asOf`, earliest first; empty when it is not overdue. */
export function overdueReasons(item: OpenItemRow, asOf: string, targets: TargetView[], departmentCode: string | undefined): OverdueReason[] {
  if (!isOpenState(item.program as ProgramKey, item.state)) return [];
  const reasons: OverdueReason[] = [];
  if (item.dueOn && item.dueOn < asOf) reasons.push({ kind: 'dueOn', date: item.dueOn });
  for (const target of targets) {
    if (target.deadline >= asOf) continue;
    if (!inTargetScope(target, { program: item.program, nationalGroup: item.nationalGroup, departmentCode, code: item.code, fields: item.fields })) continue;
    reasons.push({ kind: 'target', date: target.deadline, targetId: target.id, label: target.label, deadlineLabel: target.deadlineLabel });
  }
  return reasons.sort((a, b) => a.date.localeCompare(b.date));
}


/** Longest overdue first, then program order and code. */
export function compareOverdue(a: { since: string; program: string; code: string }, b: { since: string; program: string; code: string }): number {
  return a.since.localeCompare(b.since) || programPosition(a.program) - programPosition(b.program) || a.code.localeCompare(b.code);
}

/** Every done or excluded state key, per program: what the SQL leaves out of the candidates. */
export function closedStates(): { program: ProgramKey; states: string[] }[] {
  return allPrograms().map((definition) => ({ program: definition.key, states: [...definition.doneStates, ...definition.excludedStates] }));
}
