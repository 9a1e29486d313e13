import type { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { WorkBudget } from '../common/work-budget';
import { ColumnSpec, DEFAULT_HEADER_SCAN_ROWS, HeaderLocation, locateHeader, readSheet, SheetFormatError, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';
import { ImportRowError, ImportWarning, RowErrorCollector, sheetWarnings } from './row-errors';

// One sheet import, written once for every kind (items, monthly plans, channel volumes, monthly
// reports): parse (sheets/: CSV in any encoding, xlsx) → header match → row checks into one error
// collector → plan → a dry run, or the apply in one transaction → the audit entry. A kind brings
// only its columns, its row rules and its apply step.

/** Data rows checked per chunk: one stored-data lookup per chunk bounds memory and IN lists. */
export const CHECK_CHUNK_ROWS = 500;
/** Rows read between two progress reports. */
export const READ_PROGRESS_EVERY = 1000;

/** What a rule sees of the sheet while it checks rows. */
export interface SheetContext {
  header: HeaderLocation;
  errors: RowErrorCollector;
  /** The row's cell in column `key`; null when empty or the sheet has no such column. */
  cell(row: SheetRow, key: string): CellValue;
  /** The row's cells by column key (the columns the sheet has). */
  cells(row: SheetRow): Record<string, CellValue>;
}

export interface SheetRules<Checked = unknown> {
  columns: ColumnSpec[];
  /** xlsx: the sheet read when none is named (the first of these that exists, else the first). */
  preferredSheetNames: string[];
  /** CSV only: applied to each text cell as it is read. */
  csvText?: (text: string) => string;
  /** The column a problem's field is shown on, when it differs from the field. */
  fieldColumn?: (field: string) => string;
  /** The warning for a column the kind does not know (default: ignored, said so). */
  unknownColumnMessage?: (header: string) => string;
  /** A header problem told more helpfully (e.g. with the headers the sheet does have). */
  headerError?: (error: SheetFormatError, scanned: readonly SheetRow[]) => SheetFormatError;
  maxReportedErrors?: number;
  /**
   * One data row (a row with a value in a known column; blank rows are skipped and not counted).
   * Problems go to `sheet.errors`; what it returns is handed to checkChunk.
   */
  checkRow(row: SheetRow, sheet: SheetContext): Checked | undefined;
  /** The rows of one chunk against what is stored: one lookup per chunk. */
  checkChunk?(rows: Checked[], sheet: SheetContext): Promise<void>;
  /** Rules over the whole sheet, after its last row. */
  checkSheet?(sheet: SheetContext): void | Promise<void>;
}

export interface SheetReadRequest {
  path: string;
  /** xlsx: the sheet to read. */
  sheetName?: string;
  /** Called every few hundred rows read; throws to stop the import (client gone, time limit). */
  checkpoint?: () => void;
  /** Rows read so far (title and header rows too): every READ_PROGRESS_EVERY rows and at the end. */
  onRead?: (rowsRead: number) => void;
}

export interface CheckedSheet {
  header: HeaderLocation;
  /** Data rows (blank rows are not counted). */
  rows: number;
  /** Every problem found: `summary.errors`. */
  errorCount: number;
  /** At most the cap, in sheet order. */
  errors: ImportRowError[];
  errorsOmitted: number;
  warnings: ImportWarning[];
}

function isBlankCell(cell: CellValue | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** Takes the data rows below the header: rules per row, per chunk, then over the whole sheet. */
class RowChecker<Checked> {
  rows = 0;
  private chunk: Checked[] = [];
  private sinceChunk = 0;
  private readonly indexes: number[];

  constructor(
    private readonly rules: SheetRules<Checked>,
    readonly context: SheetContext,
  ) {
    this.indexes = [...context.header.columnIndex.values()];
  }

  /** A promise only when a chunk is due: the loop awaits per chunk, never per row. */
  take(row: SheetRow): Promise<void> | undefined {
    let anyValue = false;
    for (const index of this.indexes) {
      if (!isBlankCell(row.cells[index])) {
        anyValue = true;
        break;
      }
    }
    if (!anyValue) return undefined;
    this.rows++;
    const checked = this.rules.checkRow(row, this.context);
    if (checked !== undefined && this.rules.checkChunk) this.chunk.push(checked);
    if (++this.sinceChunk >= CHECK_CHUNK_ROWS) return this.endChunk();
    return undefined;
  }

  async endChunk(): Promise<void> {
    this.sinceChunk = 0;
    if (this.chunk.length) {
      const chunk = this.chunk;
      this.chunk = [];
      await this.rules.checkChunk!(chunk, this.context);
    }
    this.context.errors.flush();
  }
}

function startChecking<Checked>(rules: SheetRules<Checked>, head: readonly SheetRow[]): RowChecker<Checked> {
  let header: HeaderLocation;
  try {
    header = locateHeader(head as SheetRow[], rules.columns);
  } catch (error) {
    throw error instanceof SheetFormatError && rules.headerError ? rules.headerError(error, head) : error;
  }
  const errors = new RowErrorCollector(header, rules.columns, { maxReported: rules.maxReportedErrors, fieldColumn: rules.fieldColumn });
  return new RowChecker(rules, {
    header,
    errors,
    cell: (row, key) => {
      const index = header.columnIndex.get(key);
      return index === undefined ? null : (row.cells[index] ?? null);
    },
    cells: (row) => {
      const cells: Record<string, CellValue> = {};
      for (const [key, index] of header.columnIndex) cells[key] = row.cells[index] ?? null;
      return cells;
    },
  });
}

/**
 * Parse, header match and row checks. Whole-file problems (unreadable, no header) reject with
 * SheetFormatError; row problems are collected. Writes nothing.
 */
export async function checkSheet<Checked>(rules: SheetRules<Checked>, request: SheetReadRequest): Promise<CheckedSheet> {
  const source = readSheet(request.path, {
    sheetName: request.sheetName,
    preferredSheetNames: rules.preferredSheetNames,
    csvText: rules.csvText,
    checkpoint: request.checkpoint,
  });
  const head: SheetRow[] = [];
  let checker: RowChecker<Checked> | undefined;
  let read = 0;
  const takeAll = async (rows: readonly SheetRow[]) => {
    for (const row of rows) await checker!.take(row);
  };
  for await (const row of source) {
    read++;
    if (read % READ_PROGRESS_EVERY === 0) request.onRead?.(read);
    if (checker) {
      const chunkDue = checker.take(row);
      if (chunkDue) await chunkDue;
      continue;
    }
    head.push(row);
    if (head.length >= DEFAULT_HEADER_SCAN_ROWS) {
      checker = startChecking(rules, head);
      await takeAll(head.filter((candidate) => candidate.rowNumber > checker!.context.header.rowNumber));
    }
  }
  if (!checker) {
    checker = startChecking(rules, head);
    await takeAll(head.filter((candidate) => candidate.rowNumber > checker!.context.header.rowNumber));
  }
  await checker.endChunk();
  await rules.checkSheet?.(checker.context);
  request.onRead?.(read);
  const { header, errors } = checker.context;
  const report = errors.finish();
  return {
    header,
    rows: checker.rows,
    errorCount: errors.count,
    errors: report.errors,
    errorsOmitted: report.errorsOmitted,
    warnings: sheetWarnings(header, checker.rows, rules.unknownColumnMessage),
  };
}

/** SheetFormatError (whole-file problems) → the error both faces report (too large: 413). */
export function fileError(error: SheetFormatError): DomainError {
  return new DomainError(error.code, error.messageJa, error.code === 'file_too_large' ? 413 : 422, error.detail);
}

/** One kind of sheet import: its rules, what the checked rows would write, how to write it, its audit entry. */
export interface SheetImportKind<Checked, Plan> {
  rules: SheetRules<Checked>;
  /**
   * What the checked rows would write, counted against what is stored: inside the apply's
   * transaction (`manager`), or without one for a dry run or a refused sheet.
   */
  plan(sheet: CheckedSheet, manager?: EntityManager): Plan | Promise<Plan>;
  /** Writes the plan inside the one transaction (the audit entry follows in it). */
  apply(plan: Plan, manager: EntityManager, sheet: CheckedSheet): Promise<void>;
  audit: {
    action: string;
    detail(applied: boolean, plan: Plan, sheet: CheckedSheet): Record<string, unknown>;
  };
}

/** What the pipeline needs from outside: the transaction runner and the audit log (Nest services in the app, fakes in tests). */
export interface SheetImportPorts {
  transactions: { run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> };
  audit: { record(actor: Actor, action: string, detail: Record<string, unknown>, manager?: EntityManager): Promise<void> };
}

export interface SheetImportRequest {
  path: string;
  sheetName?: string;
  actor: Actor;
  dryRun: boolean;
  /** Stops the import when the client goes away or the time limit passes (nothing written). */
  budget?: WorkBudget;
  onRead?: SheetReadRequest['onRead'];
}

export interface SheetImportOutcome<Plan> {
  sheet: CheckedSheet;
  plan: Plan;
  applied: boolean;
}

/**
 * The whole import: checks; then, for a dry run or a sheet with any row error, the plan and an
 * audit entry of the attempt (nothing written); else the plan, its writes and the audit entry in
 * one transaction — every row or none.
 */
export async function runSheetImport<Checked, Plan>(kind: SheetImportKind<Checked, Plan>, request: SheetImportRequest, ports: SheetImportPorts): Promise<SheetImportOutcome<Plan>> {
  let sheet: CheckedSheet;
  try {
    sheet = await checkSheet(kind.rules, { path: request.path, sheetName: request.sheetName, checkpoint: request.budget?.checkpoint, onRead: request.onRead });
  } catch (error) {
    throw error instanceof SheetFormatError ? fileError(error) : error;
  }
  if (request.dryRun || sheet.errorCount > 0) {
    const plan = await kind.plan(sheet);
    await ports.audit.record(request.actor, kind.audit.action, kind.audit.detail(false, plan, sheet));
    return { sheet, plan, applied: false };
  }
  request.budget?.check();
  const plan = await ports.transactions.run(async (manager) => {
    const planned = await kind.plan(sheet, manager);
    await kind.apply(planned, manager, sheet);
    await ports.audit.record(request.actor, kind.audit.action, kind.audit.detail(true, planned, sheet), manager);
    return planned;
  });
  return { sheet, plan, applied: true };
}
