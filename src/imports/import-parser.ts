import { evidenceMissing, evidenceRequiredError } from '../attachments/evidence-rule';
import { Actor } from '../common/actor';
import { showControlCharacters } from '../common/control-characters';
import { clip, FieldProblem } from '../common/domain-error';
import { HistoryRow, ItemRow, planCreate, planUpdate } from '../items/item-changes';
import { ItemValues, normalizeItemFields } from '../items/item-fields';
import { Item } from '../items/item.entity';
import { canEditDivision } from '../items/access-rules';
import { SurveyAnswerScope } from '../common/survey-answers';
import { DivisionIndex, DivisionRef, unknownDivision } from '../organization/organization.service';
import { allPrograms, COMMON_FIELDS, getProgram, isDoneState, programFieldKeys, programFields } from '../programs/program-definitions';
import { FieldDefinition, ProgramKey } from '../programs/program.types';
import { restoreNeutralized } from '../sheets/csv-writer';
import { ColumnSpec, DEFAULT_HEADER_SCAN_ROWS, foldHeader, HeaderLocation, locateHeader, normalizeFreeText, readSheet, SheetFormatError, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';
import {
  ImportPlanEntry,
  ImportProgressEvent,
  ImportRowError,
  ImportSummary,
  ImportWarning,
  MAX_REPORTED_ERRORS,
  PlanAction,
} from './import.types';
import { HeaderMapping, mappedColumnSpecs, withFoundHeaders } from './header-mapping';

// The parse step of an import: streams the sheet, validates every row against the program's
// rules and what is stored, and plans the writes. It writes nothing; the service applies the plan
// in one transaction only when no row has an error.

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

/** Rows validated per stored-item lookup: bounds memory and keeps the IN list small. */
export const IMPORT_CHUNK_ROWS = 500;
const PROGRESS_EVERY = 1000;

export const importMessages = {
  duplicateCode: (header: string, code: string, firstRow: number) => `${header}「${code}」が${firstRow}行目と重複しています`,
  forbiddenDivision: (name: string) => `所管課「${name}」は所属部局の課ではないため取り込めません`,
  forbiddenStored: (code: string, name: string) => `管理番号「${code}」は所属部局外の「${name}」の項目のため変更できません`,
  unknownColumn: (header: string) => `列「${header}」は取り込みの対象外です（無視しました）`,
  otherProgramColumn: (header: string, programLabel: string) => `列「${header}」は${programLabel}の列ではないため無視しました`,
  noRows: (headerRow: number) => `見出し行（${headerRow}行目）の下にデータの行がありません`,
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

class ImportParser {
  private readonly fields: readonly FieldDefinition[];
  private readonly fieldByKey: Map<string, FieldDefinition>;
  readonly header: HeaderLocation;
  /** Normalized code → the row that first used it. */
  private readonly seenCodes = new Map<string, number>();
  readonly summary: ImportSummary = { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 };
  readonly errors: ImportRowError[] = [];
  errorsOmitted = 0;
  readonly plan: ImportPlanEntry[] | null;
  creates: PlannedCreate[] = [];
  updates: PlannedUpdate[] = [];
  /** A survey answer's division: named by the request, else the first row's. */
  answerDivision?: { id: number; name: string; row: number };

  constructor(
    private readonly options: ImportParseOptions,
    private readonly deps: ImportParseDeps,
    header: HeaderLocation,
  ) {
    this.fields = programFields(options.program);
    this.fieldByKey = new Map(this.fields.map((field) => [field.key, field]));
    this.header = header;
    this.plan = options.keepPlan ? [] : null;
    const named = options.answerScope?.divisionId;
    if (named !== undefined) this.answerDivision = { id: named, name: deps.divisionOf(named)?.name ?? String(named), row: header.rowNumber };
  }

  warnings(): ImportWarning[] {
    const others = otherProgramHeaders(this.options.program);
    const label = getProgram(this.options.program).label;
    const warnings: ImportWarning[] = this.header.unknownHeaders.map(({ header }) => ({
      row: this.header.rowNumber,
      column: header,
      code: 'unknown_column',
      message: others.has(foldHeader(header)) ? importMessages.otherProgramColumn(header, label) : importMessages.unknownColumn(header),
    }));
    // An empty template sent back is most likely a mistake: say so rather than report success.
    if (this.summary.rows === 0) {
      warnings.push({ row: this.header.rowNumber, column: '', code: 'no_rows', message: importMessages.noRows(this.header.rowNumber) });
    }
    return warnings;
  }

  /** The column a problem belongs to; a status change's date is the as-of date, shown on 状況. */
  private columnKey(field: string): string {
    return field === 'effectiveOn' ? 'status' : field;
  }

  private columnName(field: string): string {
    const key = this.columnKey(field);
    return this.header.headersAsWritten.get(key) || this.fieldByKey.get(key)?.header || field;
  }

  private columnPosition(field: string): number {
    return this.header.columnIndex.get(this.columnKey(field)) ?? Number.MAX_SAFE_INTEGER;
  }

  private cellValue(field: string, cells: CellValue[], fallback: unknown): string {
    const index = this.header.columnIndex.get(this.columnKey(field));
    // As written, but cut (a 3-million-character cell is not echoed whole) and printable.
    const text = index !== undefined ? normalizeFreeText(cells[index] ?? null) : fallback === null || fallback === undefined ? '' : String(fallback);
    return clip(showControlCharacters(text));
  }

  private recordErrors(work: RowWork): void {
    // One row's problems in the order of its columns, as the clerk reads the row.
    const sorted = work.problems
      .map((problem, order) => ({ problem, order, position: this.columnPosition(problem.field) }))
      .sort((a, b) => a.position - b.position || a.order - b.order);
    const max = this.options.maxReportedErrors ?? MAX_REPORTED_ERRORS;
    for (const { problem } of sorted) {
      this.summary.errors++;
      if (this.errors.length >= max) {
        this.errorsOmitted++;
        continue;
      }
      this.errors.push({
        row: work.rowNumber,
        column: this.columnName(problem.field),
        value: this.cellValue(problem.field, work.cells, problem.value),
        code: problem.code,
        message: problem.message,
      });
    }
    // Nothing will be written: stop holding planned rows.
    this.creates = [];
    this.updates = [];
  }

  /** Normalizes a row; null for a row with no value in any known column. */
  private normalize(row: SheetRow): RowWork | null {
    const raw: Record<string, unknown> = {};
    let anyValue = false;
    for (const [key, index] of this.header.columnIndex) {
      const cell = row.cells[index] ?? null;
      raw[key] = cell;
      if (!isBlankCell(cell)) anyValue = true;
    }
    if (!anyValue) return null;
    if (this.options.assignCode && isBlankCell(raw.code as CellValue | undefined)) raw.code = this.options.assignCode();
    const { values, problems } = normalizeItemFields(this.options.program, raw, { requireAll: true });
    let plannable = problems.length === 0;
    if (values.code) {
      const first = this.seenCodes.get(values.code);
      if (first !== undefined) {
        const header = this.columnName('code');
        problems.push({ field: 'code', value: values.code, code: 'duplicate_code', message: importMessages.duplicateCode(header, values.code, first) });
        plannable = false;
      } else {
        this.seenCodes.set(values.code, row.rowNumber);
      }
    }
    return { rowNumber: row.rowNumber, cells: row.cells, values, problems, plannable };
  }

  async processChunk(rows: SheetRow[]): Promise<void> {
    const works: RowWork[] = [];
    for (const row of rows) {
      const work = this.normalize(row);
      if (!work) continue;
      this.summary.rows++;
      works.push(work);
    }
    const codes = works.filter((work) => work.plannable && work.values.code).map((work) => work.values.code!);
    const stored = codes.length ? await this.deps.findExisting(codes) : new Map<string, Item>();
    if (this.deps.attachmentCounts) {
      const open = [...stored.values()].filter((item) => !isDoneState(this.options.program, item.status)).map((item) => item.id);
      this.attachmentCounts = await this.deps.attachmentCounts(open);
    }
    for (const work of works) this.planRow(work, stored);
  }

  /** Attachments of the chunk's stored items that are not done (when the program requires evidence). */
  private attachmentCounts = new Map<number, number>();

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
    return this.options.keepWrites && this.summary.errors === 0;
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
  const columns = options.headerMapping || options.assignCode ? mappedColumnSpecs(options.program, options.headerMapping, { codeOptional: Boolean(options.assignCode) }) : columnSpecs(options.program);
  const rows = readSheet(path, {
    sheetName: options.sheetName,
    preferredSheetNames: [getProgram(options.program).label, options.program],
    // An exported CSV carries a ' before text that starts with = + - @ (csv.ts): drop it before
    // anything is normalized, so the file imports back unchanged. An xlsx cell needs no such mark.
    csvText: restoreNeutralized,
    checkpoint: options.checkpoint,
  });
  const head: SheetRow[] = [];
  let parser: ImportParser | undefined;
  let pending: SheetRow[] = [];
  let read = 0;
  const progress = () => options.onProgress?.({ phase: 'read', done: read });

  const start = (): ImportParser => {
    let header: HeaderLocation;
    try {
      header = locateHeader(head, columns);
    } catch (error) {
      throw error instanceof SheetFormatError ? withFoundHeaders(error, head) : error;
    }
    const created = new ImportParser(options, deps, header);
    pending = head.filter((row) => row.rowNumber > header.rowNumber);
    head.length = 0;
    return created;
  };

  for await (const row of rows) {
    read++;
    if (read % PROGRESS_EVERY === 0) progress();
    if (!parser) {
      head.push(row);
      if (head.length >= DEFAULT_HEADER_SCAN_ROWS) parser = start();
      continue;
    }
    pending.push(row);
    if (pending.length >= IMPORT_CHUNK_ROWS) {
      await parser.processChunk(pending);
      pending = [];
    }
  }
  parser ??= start();
  // The header scan may leave more than one chunk's worth of rows: take them in chunks too.
  for (let offset = 0; offset < pending.length; offset += IMPORT_CHUNK_ROWS) {
    await parser.processChunk(pending.slice(offset, offset + IMPORT_CHUNK_ROWS));
  }
  progress();
  return {
    headerRow: parser.header.rowNumber,
    summary: parser.summary,
    errors: parser.errors,
    errorsOmitted: parser.errorsOmitted,
    warnings: parser.warnings(),
    plan: parser.plan,
    creates: parser.creates,
    updates: parser.updates,
    answerDivisionId: parser.answerDivision?.id,
  };
}
