import { ProgramKey } from '../programs/program.types';
import type { ImportRowError, ImportWarning } from '../sheet-import/row-errors';

// The import result (CONTRACT.md "Import"), shared by the API, the CLI's --json and the audit log.
// `warnings` and `plan` are additions the contract allows; `plan` is present only when asked for.

// Row errors and warnings have one shape for every sheet import (sheet-import/row-errors.ts).
export type { ImportRowError, ImportWarning } from '../sheet-import/row-errors';
export { MAX_REPORTED_ERRORS } from '../sheet-import/row-errors';

export type PlanAction = 'create' | 'update' | 'unchanged';

export interface ImportPlanEntry {
  row: number;
  code: string;
  action: PlanAction;
}

export interface ImportSummary {
  /** Data rows read (blank rows are not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Number of errors (a row may have several). */
  errors: number;
}

export interface ImportResult {
  program: ProgramKey;
  applied: boolean;
  dryRun: boolean;
  summary: ImportSummary;
  /** At most MAX_REPORTED_ERRORS entries; summary.errors counts them all. */
  errors: ImportRowError[];
  /** Present only when errors were left out of `errors`: how many. */
  errorsOmitted?: number;
  warnings: ImportWarning[];
  /** Only when asked for (CLI --plan, API ?plan=true): what each valid row would do. */
  plan?: ImportPlanEntry[];
}

export interface ImportProgressEvent {
  phase: 'read' | 'write';
  /** Rows read so far (read) or rows written so far (write). */
  done: number;
  /** Known for the write phase only. */
  total?: number;
}
