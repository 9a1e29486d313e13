import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, QueryFailedError, Repository } from 'typeorm';
import { attachmentCountsByItem } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { User } from '../auth/user.entity';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, forbidden } from '../common/domain-error';
import { SURVEY_ANSWERS, SurveyAnswers, SurveyAnswerScope } from '../common/survey-answers';
import { WorkBudget } from '../common/work-budget';
import { Transactions } from '../database/transactions';
import { ConfirmationsService, ItemWrite } from '../items/confirmations.service';
import { ITEM_SELECT, toItemWithOrganization } from '../items/item-view';
import { Item } from '../items/item.entity';
import { insertHistory, insertItems, updateItem } from '../items/items.repository';
import { StatusHistory } from '../items/status-history.entity';
import { Division } from '../organization/division.entity';
import { OrganizationService } from '../organization/organization.service';
import { getProgram } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { runSheetImport, SheetImportKind, SheetImportOutcome } from '../sheet-import/sheet-pipeline';
import { ImportParseDeps, ItemSheetRules, ParsedImport, StoredDivision } from './import-parser';
import { codePrefix, codeSequence, HeaderMapping } from './header-mapping';
import { ImportProgressEvent, ImportResult } from './import.types';

export interface ImportRequest {
  program: ProgramKey;
  /** The file on disk (an upload's temp file, or the CLI's argument). */
  path: string;
  /** The name the user knows the file by, for the audit log. */
  fileName: string;
  actor: Actor;
  dryRun: boolean;
  /** Default completion date of done rows without 完了日; default the clock's today. */
  asOf?: string;
  sheetName?: string;
  /** Add the per-row plan to the result. */
  withPlan?: boolean;
  /** Answer this 照会 round with the sheet (one division's rows); `surveyDivision` names the division. */
  survey?: string;
  surveyDivision?: string;
  onProgress?: (event: ImportProgressEvent) => void;
  /** The clerk's own headers → the program's columns. */
  headerMapping?: HeaderMapping;
  /** Give rows without 管理番号 a new code (PROGRAM-A00001 …). */
  assignCodes?: boolean;
  /** Stops the import when the client goes away or the time limit passes (nothing written). */
  budget?: WorkBudget;
}

/** The CLI's user when --user is not given. */
export const CLI_ACTOR: Actor = { userId: null, name: 'cli', role: 'admin', departmentId: null };

// Rows are written and progress reported in batches of this many.
const ITEM_BATCH = 500;
const LARGE_IMPORT_ROWS = 5000;

async function refreshStatistics(manager: EntityManager): Promise<void> {
  // PostgreSQL: VACUUM too, so the visibility map is set and progress groups the new rows by an
  // index-only scan of ix_items_progress instead of visiting every heap page (autovacuum would
  // get there, but a minute later). Outside the import's transaction, as VACUUM must be.
  if (manager.connection.options.type === 'postgres') await manager.query('VACUUM (ANALYZE) items, status_history');
  // SQLite: sampled statistics (analysis_limit), as SQLite advises for PRAGMA optimize: a full
  // ANALYZE read every index of a 200,000-item table, a tenth of the import's time.
  else {
    await manager.query('PRAGMA analysis_limit = 1000');
    await manager.query('PRAGMA optimize');
  }
}

function isUniqueViolation(error: unknown): boolean {
  // through TypeORM the driver's error is wrapped; the bulk insert on SQLite raises it bare
  const driverError = error instanceof QueryFailedError ? (error as QueryFailedError & { driverError?: { code?: string } }).driverError : (error as { code?: string });
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const importConflict = () =>
  new DomainError('import_conflict', '取り込みの間に他の人が同じ項目を登録・更新しました。もう一度取り込んでください（何も書き込んでいません）', 409);

@Injectable()
export class ImportsService {
  constructor(
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly organization: OrganizationService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly confirmations: ConfirmationsService,
    @Optional() @Inject(SURVEY_ANSWERS) private readonly answers?: SurveyAnswers,
  ) {}

  private surveyAnswers(): SurveyAnswers {
    if (!this.answers) throw new DomainError('surveys_unavailable', '照会の機能が読み込まれていません', 400);
    return this.answers;
  }

  /** The actor a CLI import runs as: the named active user (with its role), else 'cli' (admin). */
  async cliActor(userName?: string): Promise<Actor> {
    if (userName === undefined) return CLI_ACTOR;
    const user = await this.users.findOne({ where: { name: userName.trim(), revokedAt: IsNull() }, order: { id: 'ASC' } });
    if (!user) throw new DomainError('unknown_user', `利用者「${userName}」が見つかりません（user list で確認してください）`, 404);
    return { userId: user.id, name: user.name, role: user.role, departmentId: user.departmentId };
  }

  async importFile(request: ImportRequest): Promise<ImportResult> {
    const { program, actor } = request;
    if (actor.role !== 'admin' && actor.role !== 'editor') throw forbidden('取り込みは管理者と編集者だけができます');
    const today = this.clock.today();
    const asOf = request.asOf ?? today;
    if (asOf > today) throw new DomainError('as_of_in_future', `基準日 ${asOf} は今日（${today}）より後にできません`);

    const answerScope = request.survey !== undefined ? await this.surveyAnswers().answerScope(request.survey, program, actor, request.surveyDivision) : undefined;
    const rules = new ItemSheetRules(
      {
        program,
        actor,
        today: asOf,
        nowIso: this.clock.now().toISOString(),
        keepWrites: !request.dryRun,
        keepPlan: request.withPlan === true,
        answerScope,
        headerMapping: request.headerMapping,
        assignCode: request.assignCodes ? await this.codeSequence(program) : undefined,
      },
      await this.parseDeps(program),
    );
    const kind: SheetImportKind<unknown, ParsedImport> = {
      rules,
      plan: (sheet) => rules.parsed(sheet),
      apply: (parsed, manager) => this.apply(manager, program, parsed, request, answerScope),
      audit: {
        action: 'import',
        detail: (applied, parsed) => ({
          program,
          file: request.fileName,
          ...(request.sheetName ? { sheet: request.sheetName } : {}),
          ...(answerScope ? { survey: answerScope.surveyId } : {}),
          ...(request.headerMapping ? { mapping: request.headerMapping } : {}),
          ...(request.assignCodes ? { assignCodes: true } : {}),
          asOf,
          dryRun: request.dryRun,
          applied,
          summary: parsed.summary,
        }),
      },
    };
    let outcome: SheetImportOutcome<ParsedImport>;
    try {
      outcome = await runSheetImport(
        kind,
        { path: request.path, sheetName: request.sheetName, actor, dryRun: request.dryRun, budget: request.budget, onRead: request.onProgress ? (done) => request.onProgress!({ phase: 'read', done }) : undefined },
        { transactions: this.transactions, audit: this.audit },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw importConflict();
      throw error;
    }
    const parsed = outcome.plan;
    const result: ImportResult = {
      program,
      applied: outcome.applied,
      dryRun: request.dryRun,
      summary: parsed.summary,
      errors: parsed.errors,
      ...(parsed.errorsOmitted ? { errorsOmitted: parsed.errorsOmitted } : {}),
      warnings: parsed.warnings,
      ...(parsed.plan ? { plan: parsed.plan } : {}),
    };
    if (outcome.applied) {
      const total = parsed.creates.length + parsed.updates.length;
      request.onProgress?.({ phase: 'write', done: total, total });
      // A large import changes the tables' shape: refresh the planner's statistics at once rather
      // than waiting for autovacuum, or the progress aggregate may be planned for the empty table.
      if (total >= LARGE_IMPORT_ROWS) await refreshStatistics(this.items.manager);
    }
    return result;
  }

  /** Codes after the highest one already assigned this way: a dry run and its apply agree. */
  private async codeSequence(program: ProgramKey): Promise<() => string> {
    const prefix = codePrefix(program);
    const row = await this.items
      .createQueryBuilder('item')
      .select('MAX(item.code)', 'highest')
      .where('item.program = :program AND item.code LIKE :pattern', { program, pattern: `${prefix}%` })
      .getRawOne<{ highest: string | null }>();
    return codeSequence(prefix, row?.highest ?? null);
  }

  private async parseDeps(program: ProgramKey): Promise<ImportParseDeps> {
    const divisions = await this.organization.currentDivisions();
    const all = await this.divisions.find({ select: { id: true, name: true, departmentId: true } });
    const byId = new Map<number, StoredDivision>(all.map((row) => [row.id, { name: row.name, departmentId: row.departmentId }]));
    return {
      divisions,
      divisionOf: (id) => byId.get(id),
      // A program with nothing stored yet (the first inventory) needs no lookups at all.
      findExisting: (await this.items.exists({ where: { program } }))
        ? async (codes) => {
            // Raw SQL: the query builder's parameter handling cost more than the lookup itself.
            const placeholder = this.items.manager.connection.options.type === 'postgres' ? (index: number) => `$${index + 1}` : () => '?';
            const rows: Record<string, unknown>[] = await this.items.manager.query(
              `${ITEM_SELECT} WHERE i.program = ${placeholder(0)} AND i.code IN (${codes.map((_, index) => placeholder(index + 1)).join(', ')})`,
              [program, ...codes],
            );
            return new Map(rows.map((row) => toItemWithOrganization(row).item).map((item) => [item.code, item]));
          }
        : async () => new Map(),
      ...(getProgram(program).evidenceForDone ? { attachmentCounts: (ids: number[]) => attachmentCountsByItem(this.items.manager, ids) } : {}),
    };
  }

  /** The apply step, inside the pipeline's one transaction: all rows, their history, confirmations and a survey answer. */
  private async apply(manager: EntityManager, program: ProgramKey, parsed: ParsedImport, request: ImportRequest, answerScope: SurveyAnswerScope | undefined): Promise<void> {
    const { creates, updates } = parsed;
    const { actor, budget } = request;
    const total = creates.length + updates.length;
    let done = 0;
    const progress = () => request.onProgress?.({ phase: 'write', done, total });
    const createdIds: number[] = [];
    for (let offset = 0; offset < creates.length; offset += ITEM_BATCH) {
      const batch = creates.slice(offset, offset + ITEM_BATCH);
      const ids = await insertItems(manager, batch.map((create) => create.item));
      createdIds.push(...ids);
      await insertHistory(
        manager,
        batch.map((create, index) => ({ ...create.history, itemId: ids[index] })),
      );
      done += batch.length;
      progress();
      // Throwing here rolls the whole transaction back.
      budget?.check();
    }
    const history: Omit<StatusHistory, 'id'>[] = [];
    for (const update of updates) {
      // Planned against `version`: if someone changed the item since, the whole import stops.
      const result = await updateItem(manager, update, { deferHistory: true });
      if (!result) throw importConflict();
      if (result.history) history.push(result.history);
      if (++done % ITEM_BATCH === 0) {
        progress();
        budget?.check();
      }
    }
    await insertHistory(manager, history);
    // editors' completions in a program with confirmDone are reported, like their PATCHes
    const writes: ItemWrite[] = [
      ...creates.map((create, index) => ({ itemId: createdIds[index], program, before: null, afterStatus: create.item.status, statusWritten: true })),
      ...updates.map((update) => ({
        itemId: update.id,
        program,
        before: update.before,
        afterStatus: update.set.status ?? update.before.status,
        statusWritten: update.set.status !== undefined || update.set.completedOn !== undefined,
      })),
    ];
    await this.confirmations.afterWrites(manager, actor, writes, this.clock.now().toISOString());
    if (answerScope && parsed.answerDivisionId !== undefined) {
      await this.surveyAnswers().recordSheetAnswer(manager, answerScope.surveyId, parsed.answerDivisionId, actor, parsed.summary.rows);
    }
  }
}
