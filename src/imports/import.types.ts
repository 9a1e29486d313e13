import { ProgramKey } from '../programs/program.types';

// The import result (CONTRACT.md "Import"), shared by the API, the CLI's --json and the audit log.
// `warnings` and `plan` are additions the contract allows; `plan` is present only when asked for.

/** One problem in one cell: the sheet's own row number and the column header as written. */
export interface ImportRowError {
  row: number;
  column: string;
  value: string;
  code: string;
  message: string;
}

/** Something worth telling that does not stop the import (an unknown column). */
export interface ImportWarning {
  row: number;
  column: string;
  code: string;
  message: string;
}

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

/** A file with every row wrong would otherwise produce a report larger than the file. */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportProgressEvent {
  phase: 'read' | 'write';
  /** Rows read so far (read) or rows written so far (write). */
  done: number;
  /** Known for the write phase only. */
  total?: number;
}
