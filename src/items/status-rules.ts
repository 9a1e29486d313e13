import { FieldProblem } from '../common/domain-error';
import { getProgram, isDoneState, isExcludedState, stateLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';

// The status workflow shared by all three programs, driven by each program's definition.

export interface CurrentStatus {
  status: string;
  /** From when the current status holds; null = from the start. */
  statusEffectiveOn: string | null;
  completedOn: string | null;
}

export interface RequestedStatus {
  status: string;
  /** Completion date given with the change (done states); undefined = not given. */
  completedOn?: string | null;
  /** From when a non-done state holds; undefined = the day the change is made. */
  effectiveOn?: string | null;
  /** The note given with this change. */
  changeNote?: string | null;
  /** The item's note and legal basis as they will be after the change. */
  resultingNote: string | null;
  resultingLegalBasis: string | null;
}

export interface PlannedStatus {
  status: string;
  completedOn: string | null;
  /** Effective date of the history row; null = from the start. */
  effectiveOn: string | null;
  statusChanged: boolean;
  /** True when a history row is due for this status (a change, or a new completion date). */
  writesHistory: boolean;
}

const problem = (field: string, value: unknown, code: string, message: string): FieldProblem => ({
  field,
  value: value ?? '',
  code,
  message,
});

/**
 * Checks a status change (or a creation, when `current` is null) against the program's rules and
 * decides the completion and effective dates. `today` is the as-of date of the change: the default
 * completion date and the latest date a change may take effect.
 */
export function planStatusChange(
  program: ProgramKey,
  current: CurrentStatus | null,
  request: RequestedStatus,
  today: string,
): { plan: PlannedStatus } | { problems: FieldProblem[] } {
  const definition = getProgram(program);
  const problems: FieldProblem[] = [];
  const to = request.status;
  if (!definition.states.some((s) => s.key === to)) {
    return { problems: [problem('status', to, 'invalid_status', `状況「${to}」は${definition.label}では使えません`)] };
  }
  const label = stateLabel(program, to);
  const done = isDoneState(program, to);
  const statusChanged = !current || current.status !== to;

  if (isExcludedState(program, to) && !request.resultingNote) {
    problems.push(problem('note', '', 'note_required', `状況を「${label}」にするには備考に理由が必要です`));
  }
  if (definition.legalBasisStates.includes(to) && !request.resultingLegalBasis) {
    problems.push(problem('legalBasis', '', 'legal_basis_required', `状況を「${label}」にするには根拠法令（法令名と条項）が必要です`));
  }
  if (current && statusChanged && isDoneState(program, current.status) && !done && !request.changeNote) {
    problems.push(
      problem('note', '', 'note_required_to_reopen', `「${stateLabel(program, current.status)}」から戻すには備考に理由が必要です`),
    );
  }

  let completedOn: string | null = null;
  let effectiveOn: string | null;
  if (done) {
    completedOn = request.completedOn ?? (statusChanged ? today : current?.completedOn ?? today);
    if (completedOn > today) {
      problems.push(problem('completedOn', completedOn, 'completed_in_future', `完了日 ${completedOn} は基準日 ${today} より後です`));
    }
    effectiveOn = completedOn;
  } else {
    if (request.completedOn) {
      problems.push(problem('completedOn', request.completedOn, 'completed_on_not_done', `完了日は完了の状況（${definition.doneStates.map((s) => stateLabel(program, s)).join('・')}）のときだけ入力できます`));
    }
    if (request.effectiveOn) effectiveOn = request.effectiveOn;
    else effectiveOn = current ? today : null; // created in a state that is not done: holds from the start
    if (effectiveOn && effectiveOn > today) {
      problems.push(problem('effectiveOn', effectiveOn, 'effective_in_future', `適用日 ${effectiveOn} は基準日 ${today} より後です`));
    }
  }

  const completionMoved = done && !statusChanged && completedOn !== current?.completedOn;
  const writesHistory = statusChanged || completionMoved;
  // History is ordered by effective date; a change may not take effect before the state it replaces.
  if (writesHistory && current?.statusEffectiveOn && effectiveOn && effectiveOn < current.statusEffectiveOn) {
    problems.push(
      problem(
        done ? 'completedOn' : 'effectiveOn',
        effectiveOn,
        'effective_before_previous',
        `日付 ${effectiveOn} は現在の状況「${stateLabel(program, current.status)}」の適用日 ${current.statusEffectiveOn} より前です`,
      ),
    );
  }
  if (problems.length) return { problems };
  return { plan: { status: to, completedOn, effectiveOn, statusChanged, writesHistory } };
}
