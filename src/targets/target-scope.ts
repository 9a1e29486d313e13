import { TargetScope } from './target-rules';

// Which items a target covers (program + scope), in one place for the progress totals, the
// burn-up series and the overdue list.

export interface ScopeSubject {
  program: string;
  nationalGroup: string | null;
  /** The department the item's division belonged to on the report date. */
  departmentCode: string | undefined;
  /** The item's code; undefined when the caller already filtered by scope.codes in the query. */
  code?: string;
  /** The item's program fields; undefined when the caller already filtered by scope.fields in the query. */
  fields?: Readonly<Record<string, unknown>>;
}

export function inTargetScope(target: { program: string; scope: TargetScope }, subject: ScopeSubject): boolean {
  const { scope } = target;
  if (subject.program !== target.program) return false;
  if (scope.nationalGroup && subject.nationalGroup !== scope.nationalGroup) return false;
  if (scope.department && subject.departmentCode !== scope.department) return false;
  if (scope.codes && subject.code !== undefined && !scope.codes.includes(subject.code)) return false;
  if (scope.fields && subject.fields !== undefined) {
    for (const [key, value] of Object.entries(scope.fields)) if (subject.fields[key] !== value) return false;
  }
  return true;
}
