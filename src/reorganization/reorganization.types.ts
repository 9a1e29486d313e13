// The shapes of a reorganization: the organization as stored (a snapshot), the problems of a
// document, and the plan of row changes it becomes (reorganization-plan.ts).

export interface DepartmentState {
  id: number;
  code: string;
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface DivisionState {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  validFrom: string | null;
  validTo: string | null;
}

export interface PeriodState {
  id: number;
  divisionId: number;
  departmentId: number;
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface OrganizationSnapshot {
  departments: DepartmentState[];
  divisions: DivisionState[];
  periods: PeriodState[];
  /** Items per division id (only what merges move is read). */
  itemCounts: Map<number, number>;
}

export interface ReorganizationProblem {
  /** Where in the document: 'effectiveOn', 'moves[2]', 'closeDepartments[0]', 'document'. */
  entry: string;
  code: string;
  message: string;
  value?: string;
}

/** A department the plan refers to: one that exists, or one this document creates. */
export type DepartmentRef = { kind: 'existing'; id: number; code: string; name: string } | { kind: 'new'; code: string; name: string };
/** A division a merge ends in: one that exists, or one this document creates. */
export type DivisionRef = { kind: 'existing'; id: number; code: string; name: string } | { kind: 'new'; code: string; name: string };

export interface PlannedMove {
  divisionId: number;
  code: string;
  department: DepartmentRef;
  name: string;
  matchName: string;
  moved: boolean;
  renamed: boolean;
  /** 'split': close the open period (if any) the day before and open a new one; 'correct': a
   *  second change on the same date as the open period's start rewrites that period. */
  period: { action: 'split'; closeId: number | null } | { action: 'correct'; id: number };
}

export interface PlannedMerge {
  divisionId: number;
  code: string;
  into: DivisionRef;
  /** The open period to end the day before; or, when it opened on the merge date itself, to drop. */
  closePeriodId: number | null;
  dropPeriodId: number | null;
  items: number;
}

export interface ReorganizationSummary {
  newDepartments: number;
  newDivisions: number;
  moved: number;
  renamed: number;
  merged: number;
  closedDepartments: number;
  itemsMoved: number;
}

export interface ReorganizationPlan {
  effectiveOn: string;
  /** effectiveOn − 1 day: the last day of whatever the reorganization ends. */
  lastDayBefore: string;
  note: string | null;
  newDepartments: { code: string; name: string }[];
  newDivisions: { code: string; name: string; matchName: string; department: DepartmentRef }[];
  moves: PlannedMove[];
  merges: PlannedMerge[];
  closeDepartments: { id: number; code: string; name: string }[];
  summary: ReorganizationSummary;
}
