import { evidenceMissing, evidenceRequiredError } from '../attachments/evidence-rule';
import { Actor } from '../common/actor';
import { FieldProblem } from '../common/domain-error';
import { HistoryRow, ItemRow, planCreate, planUpdate } from '../items/item-changes';
import { ItemValues, normalizeItemFields } from '../items/item-fields';
import { Item } from '../items/item.entity';
import { canEditDivision } from '../items/access-rules';
import { SurveyAnswerScope } from '../common/survey-answers';
import { DivisionIndex, DivisionRef, unknownDivision } from '../organization/organization.service';
import { allPrograms, COMMON_FIELDS, getProgram, isDoneState, programFieldKeys, programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { restoreNeutralized } from '../sheets/csv-writer';
import { RowErrorCollector, sheetMessages } from '../sheet-import/row-errors';
import { CheckedSheet, checkSheet, SheetContext, SheetRules } from '../sheet-import/sheet-pipeline';
import { ColumnSpec, foldHeader, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';
import { ImportPlanEntry, ImportProgressEvent, ImportRowError, ImportSummary, ImportWarning, PlanAction } from './import.types';
import { HeaderMapping, mappedColumnSpecs, withFoundHeaders } from './header-mapping';

// The item sheet's rules for the one sheet pipeline (sheet-import/): the program's columns, each
// row normalized and checked against the program's rules and what is stored, and the writes
// planned. It writes nothing; the service applies the plan in one transaction only when no row
// has an error.

export interface ImportParseOptions {
  program: ProgramKey;
  actor: Actor;
  /** The as-of date: default completion date of done rows, latest date a change may take. */
  today: string;
  /** The instant recorded on every row and history entry of this import. */
  nowIso: string;
  /** xlsx: the sheet to read; default the one named after the program, else the first. */
  sheetName?: string;
  /** Keep the planned rows for the apply step (a dry run only counts them). */
  keepWrites: boolean;
  /** Keep the per-row plan for the report. */
  keepPlan: boolean;
  maxReportedErrors?: number;
  /** An answer to a 照会 round: every row must be one division's, of those in the round. */
  answerScope?: SurveyAnswerScope;
  onProgress?: (event: ImportProgressEvent) => void;
  /** The clerk's own headers → the program's columns (header-mapping.ts). */
  headerMapping?: HeaderMapping;
  /** On request: a code for each row without 管理番号 (the column may then be missing). */
  assignCode?: () => string;
  /** Called every few hundred rows read; throws to stop the import (client gone, time limit). */
  checkpoint?: () => void;
}

export interface StoredDivision {
  name: string;
  departmentId: number;
}

export interface ImportParseDeps {
  /** Divisions in force: what 所管課 may name. */
  divisions: DivisionIndex;
  /** Any division by id, closed ones too (the owner of a stored item). */
  divisionOf(divisionId: number): StoredDivision | undefined;
  /** Stored items of the program with these codes. Called once per chunk of rows. */
  findExisting(codes: string[]): Promise<Map<string, Item>>;
  /** Set when the program requires evidence for a done state: attachments per stored item id. */
  attachmentCounts?(itemIds: number[]): Promise<Map<number, number>>;
}

export interface PlannedCreate {
  row: number;
  item: ItemRow;
  history: HistoryRow;
}

export interface PlannedUpdate {
  row: number;
  id: number;
  /** The version the plan was made against: the update only applies if it still holds. */
  version: number;
  set: Partial<ItemRow>;
  history: HistoryRow | null;
  /** The stored status before the update (the confirmation rules compare both). */
  before: { status: string; statusEffectiveOn: string | null; completedOn: string | null };
}

export interface ParsedImport {
  headerRow: number;
  summary: ImportSummary;
  errors: ImportRowError[];
  errorsOmitted: number;
  warnings: ImportWarning[];
  plan: ImportPlanEntry[] | null;
  /** Empty unless keepWrites and no row has an error. */
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  /** With answerScope: the division whose rows the sheet holds. */
  answerDivisionId?: number;
}

export const importMessages = {
  duplicateCode: (header: string, code: string, firstRow: number) => `${header}「${code}」が${firstRow}行目と重複しています`,
  forbiddenDivision: (name: string) => `所管課「${name}」は所属部局の課ではないため取り込めません`,
  forbiddenStored: (code: string, name: string) => `管理番号「${code}」は所属部局外の「${name}」の項目のため変更できません`,
  unknownColumn: sheetMessages.unknownColumn,
  otherProgramColumn: (header: string, programLabel: string) => `列「${header}」は${programLabel}の列ではないため無視しました`,
};

interface RowWork {
  rowNumber: number;
  cells: CellValue[];
  values: Partial<ItemValues>;
  problems: FieldProblem[];
  /** False for a duplicate code or a row whose fields did not normalize: no plan is made. */
  plannable: boolean;
}

/** Every header any program uses, folded: a column of another program is named as such. */
function otherProgramHeaders(program: ProgramKey): Set<string> {
  const own = programFieldKeys(program);
  const others = new Set<string>();
  for (const definition of allPrograms()) {
    for (const field of [...COMMON_FIELDS, ...definition.extraFields]) {
      if (own.has(field.key)) continue;
      others.add(foldHeader(field.header));
      others.add(foldHeader(field.key));
    }
  }
  return others;
}

function isBlankCell(cell: CellValue | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** The item sheet's rules: the program's columns, each row normalized and planned against what is stored. */
export class ItemSheetRules implements SheetRules<RowWork> {
  readonly columns: ColumnSpec[];
  readonly preferredSheetNames: string[];
  // An exported CSV carries a ' before text that starts with = + - @ (csv.ts): drop it before
  // anything is normalized, so the file imports back unchanged. An xlsx cell needs no such mark.
  readonly csvText = restoreNeutralized;
  readonly headerError = withFoundHeaders;
  readonly maxReportedErrors: number | undefined;
  readonly summary: ImportSummary = { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 };
  readonly plan: ImportPlanEntry[] | null;
  creates: PlannedCreate[] = [];
  updates: PlannedUpdate[] = [];
  /** A survey answer's division: named by the request, else the first row's. */
  answerDivision?: { id: number; name: string; row: number };
  private readonly otherHeaders: Set<string>;
  private readonly programLabel: string;
  /** Attachments of the chunk's stored items that are not done (when the program requires evidence). */
  private attachmentCounts = new Map<number, number>();
  /** The sheet's collector, once the header is found. */
  private errors!: RowErrorCollector;

  constructor(
    private readonly options: ImportParseOptions,
    private readonly deps: ImportParseDeps,
  ) {
    const { program, headerMapping, assignCode } = options;
    this.columns = headerMapping || assignCode ? mappedColumnSpecs(program, headerMapping, { codeOptional: Boolean(assignCode) }) : columnSpecs(program);
    this.programLabel = getProgram(program).label;
    this.preferredSheetNames = [this.programLabel, program];
    this.maxReportedErrors = options.maxReportedErrors;
    this.plan = options.keepPlan ? [] : null;
    this.otherHeaders = otherProgramHeaders(program);
    // (its row is never shown: a named division is called 回答する課)
    const named = options.answerScope?.divisionId;
    if (named !== undefined) this.answerDivision = { id: named, name: deps.divisionOf(named)?.name ?? String(named), row: 0 };
  }

  /** A status change's date is the as-of date, shown on 状況. */
  readonly fieldColumn = (field: string): string => (field === 'effectiveOn' ? 'status' : field);

  readonly unknownColumnMessage = (header: string): string =>
    this.otherHeaders.has(foldHeader(header)) ? importMessages.otherProgramColumn(header, this.programLabel) : importMessages.unknownColumn(header);

  /** Normalizes a row and finds a duplicate code; the plan waits for the chunk's stored items. */
  checkRow(row: SheetRow, sheet: SheetContext): RowWork {
    const raw: Record<string, unknown> = sheet.cells(row);
    if (this.options.assignCode && isBlankCell(raw.code as CellValue | undefined)) raw.code = this.options.assignCode();
    const { values, problems } = normalizeItemFields(this.options.program, raw, { requireAll: true });
    let plannable = problems.length === 0;
    if (values.code) {
      const first = sheet.errors.firstRow(values.code, row.rowNumber);
      if (first !== undefined) {
        const header = sheet.errors.columnName('code');
        problems.push({ field: 'code', value: values.code, code: 'duplicate_code', message: importMessages.duplicateCode(header, values.code, first) });
        plannable = false;
      }
    }
    return { rowNumber: row.rowNumber, cells: row.cells, values, problems, plannable };
  }

  async checkChunk(works: RowWork[], sheet: SheetContext): Promise<void> {
    this.errors = sheet.errors;
    const codes: string[] = [];
    for (const work of works) if (work.plannable && work.values.code) codes.push(work.values.code);
    const stored = codes.length ? await this.deps.findExisting(codes) : new Map<string, Item>();
    if (this.deps.attachmentCounts) {
      const open = [...stored.values()].filter((item) => !isDoneState(this.options.program, item.status)).map((item) => item.id);
      this.attachmentCounts = await this.deps.attachmentCounts(open);
    }
    for (const work of works) this.planRow(work, stored);
  }

  /** What the checked sheet would do: counts, the per-row plan and (no row with an error) the writes. */
  parsed(sheet: CheckedSheet): ParsedImport {
    this.summary.rows = sheet.rows;
    this.summary.errors = sheet.errorCount;
    return {
      headerRow: sheet.header.rowNumber,
      summary: this.summary,
      errors: sheet.errors,
      errorsOmitted: sheet.errorsOmitted,
      warnings: sheet.warnings,
      plan: this.plan,
      creates: this.creates,
      updates: this.updates,
      answerDivisionId: this.answerDivision?.id,
    };
  }

  private recordErrors(work: RowWork): void {
    this.errors.addRow(work, work.problems);
    // Nothing will be written: stop holding planned rows.
    this.creates = [];
    this.updates = [];
  }

  /** evidence_required for a row that moves a stored item into a done state without a file attached. */
  private evidenceProblem(existing: Item, set: { status?: string }): FieldProblem | undefined {
    if (!this.deps.attachmentCounts || set.status === undefined) return undefined;
    const entersDoneState = isDoneState(this.options.program, set.status) && !isDoneState(this.options.program, existing.status);
    if (!evidenceMissing({ evidenceRequired: true, entersDoneState, attachmentCount: this.attachmentCounts.get(existing.id) ?? 0 })) return undefined;
    const error = evidenceRequiredError(existing.code);
    return { field: 'status', value: set.status, code: error.code, message: error.message };
  }

  private planRow(work: RowWork, stored: Map<string, Item>): void {
    const { actor, program } = this.options;
    const { values, problems } = work;
    const division = values.division ? this.deps.divisions.find(values.division) : undefined;
    if (values.division && !division) {
      problems.push({ field: 'division', value: values.division, code: 'unknown_division', message: unknownDivision(values.division).message });
    } else if (division && !canEditDivision(actor, division.departmentId)) {
      problems.push({ field: 'division', value: values.division, code: 'forbidden_division', message: importMessages.forbiddenDivision(division.name) });
    }
    const existing = work.plannable && values.code ? stored.get(values.code) : undefined;
    if (this.options.answerScope && division) this.checkAnswerDivision(work, division, existing);
    if (existing && actor.role !== 'admin') {
      const owner = this.deps.divisionOf(existing.divisionId);
      if (!owner || !canEditDivision(actor, owner.departmentId)) {
        problems.push({
          field: 'division',
          value: values.division ?? '',
          code: 'forbidden_division',
          message: importMessages.forbiddenStored(existing.code, owner?.name ?? String(existing.divisionId)),
        });
      }
    }
    if (!work.plannable) {
      this.recordErrors(work);
      return;
    }
    const context = { actor, today: this.options.today, nowIso: this.options.nowIso };
    // The rules run even when the division is unknown, so one pass names every problem of the row.
    let action: PlanAction;
    if (existing) {
      const planned = planUpdate(existing, values, division?.id, context);
      if ('problems' in planned) problems.push(...planned.problems);
      const evidence = 'plan' in planned ? this.evidenceProblem(existing, planned.plan.set) : undefined;
      if (evidence) problems.push(evidence);
      if (problems.length || 'problems' in planned) return this.recordErrors(work);
      action = planned.plan.changed ? 'update' : 'unchanged';
      if (action === 'update' && this.keepsWrites()) {
        this.updates.push({
          row: work.rowNumber,
          id: existing.id,
          version: existing.version,
          set: planned.plan.set,
          history: planned.plan.history,
          before: { status: existing.status, statusEffectiveOn: existing.statusEffectiveOn, completedOn: existing.completedOn },
        });
      }
    } else {
      const planned = planCreate(program, values as ItemValues, division?.id ?? 0, context);
      if ('problems' in planned) problems.push(...planned.problems);
      if (problems.length || 'problems' in planned) return this.recordErrors(work);
      action = 'create';
      if (this.keepsWrites()) this.creates.push({ row: work.rowNumber, item: planned.row, history: planned.history });
    }
    if (action === 'create') this.summary.created++;
    else if (action === 'update') this.summary.updated++;
    else this.summary.unchanged++;
    this.plan?.push({ row: work.rowNumber, code: values.code!, action });
  }

  /** A survey answer holds one division's rows: the named one, else the first row's. */
  private checkAnswerDivision(work: RowWork, division: DivisionRef, existing: Item | undefined): void {
    const scope = this.options.answerScope!;
    const problem = (code: string, message: string) => work.problems.push({ field: 'division', value: work.values.division ?? '', code, message });
    if (!scope.divisionIds.has(division.id)) {
      problem('survey_division_not_in_round', `所管課「${division.name}」はこの照会の回答先ではありません（回答済で確認された課、または照会に含まれない課）`);
      return;
    }
    if (!this.answerDivision) this.answerDivision = { id: division.id, name: division.name, row: work.rowNumber };
    const owner = existing ? this.deps.divisionOf(existing.divisionId) : undefined;
    if (this.answerDivision.id !== division.id) {
      const first = this.options.answerScope!.divisionId !== undefined ? '回答する課' : `${this.answerDivision.row}行目`;
      problem('survey_other_division', `照会への回答には1つの課の行だけを入れてください（${first}は「${this.answerDivision.name}」、この行は「${division.name}」）`);
    } else if (existing && existing.divisionId !== division.id) {
      problem('survey_other_division', `管理番号「${existing.code}」は「${owner?.name ?? existing.divisionId}」の項目です。照会への回答では他の課の項目を変更できません`);
    }
  }

  private keepsWrites(): boolean {
    return this.options.keepWrites && this.errors.count === 0;
  }
}

function columnSpecs(program: ProgramKey): ColumnSpec[] {
  return programFields(program).map((field) => ({ key: field.key, header: field.header, required: field.required === true }));
}

/**
 * Reads and validates a sheet for `program`. Whole-file problems (no header, unreadable file)
 * reject with SheetFormatError; row problems are collected in `errors`.
 */
export async function parseImport(path: string, options: ImportParseOptions, deps: ImportParseDeps): Promise<ParsedImport> {
  const rules = new ItemSheetRules(options, deps);
  const sheet = await checkSheet(rules, {
    path,
    sheetName: options.sheetName,
    checkpoint: options.checkpoint,
    onRead: options.onProgress ? (done) => options.onProgress!({ phase: 'read', done }) : undefined,
  });
  return rules.parsed(sheet);
}
