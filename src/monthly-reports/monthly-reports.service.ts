import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiMonth, monthOf } from '../calendar';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, FieldProblem, forbidden } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { Item } from '../items/item.entity';
import { canEditDivision } from '../items/access-rules';
import { Division } from '../organization/division.entity';
import { getProgram, parseProgram } from '../programs/program-definitions';
import { ImportRowError, ImportWarning } from '../sheet-import/row-errors';
import { runSheetImport, SheetImportRequest } from '../sheet-import/sheet-pipeline';
import { MonthlyReport, MonthlyReportPlan } from './monthly-report.entity';
import { ReportSheetRules, ResolvedReportRow } from './report-sheet';
import { normalizePlanBody, normalizeReportBody, PlanEntry, reportMessages, ReportValues, RuleProblem } from './report-rules';

export interface ReportRevision {
  month: string;
  progress: number;
  comment: string | null;
  by: string;
  at: string;
}

export interface ReportMonthView {
  month: string;
  monthLabel: string;
  /** The plan's cumulative percent by this month's end, and the step due (null when not planned). */
  planned: number | null;
  milestone: string | null;
  /** The report in force (its latest revision); null when none was made. */
  progress: number | null;
  comment: string | null;
  by: string | null;
  at: string | null;
}

export interface ItemReportsView {
  item: { id: number; program: string; code: string; name: string; division: string };
  months: ReportMonthView[];
  /** Every revision, oldest first: the reports' history. */
  history: ReportRevision[];
}

/** The latest report on or before a month, per item: what the policy progress reads. */
export interface LatestReport {
  month: string;
  progress: number;
  comment: string | null;
}

export interface MonthlyReportsImportResult {
  program: string;
  applied: boolean;
  dryRun: boolean;
  summary: {
    rows: number;
    reports: { created: number; updated: number; unchanged: number };
    plans: { created: number; updated: number; unchanged: number };
    errors: number;
  };
  errors: ImportRowError[];
  errorsOmitted?: number;
  warnings: ImportWarning[];
}

export type MonthlyReportsImportRequest = SheetImportRequest & {
  program: string;
  /** The name the user knows the file by, for the audit log. */
  fileName: string;
};

type ItemRef = { id: number; program: string; code: string; name: string; divisionId: number; divisionName: string; departmentId: number };

const CHUNK = 500;
const revisionKey = (itemId: number, month: string) => `${itemId}\u0000${month}`;

@Injectable()
export class MonthlyReportsService {
  constructor(
    @InjectRepository(MonthlyReport) private readonly reports: Repository<MonthlyReport>,
    @InjectRepository(MonthlyReportPlan) private readonly plans: Repository<MonthlyReportPlan>,
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async item(rawId: string | number): Promise<ItemRef> {
    const id = Number(String(rawId).normalize('NFKC'));
    const row = Number.isSafeInteger(id) && id > 0 ? await this.items.findOne({ where: { id }, select: { id: true, program: true, code: true, name: true, divisionId: true } }) : null;
    if (!row) throw new DomainError('not_found', `項目が見つかりません: ${String(rawId)}`, 404);
    const division = await this.divisions.findOne({ where: { id: row.divisionId }, select: { id: true, name: true, departmentId: true } });
    return { id: row.id, program: row.program, code: row.code, name: row.name, divisionId: row.divisionId, divisionName: division?.name ?? '', departmentId: division?.departmentId ?? -1 };
  }

  private assertOwner(actor: Actor, item: ItemRef): void {
    if (!canEditDivision(actor, item.departmentId)) {
      throw forbidden(`「${item.name}」の月次報告は所管課「${item.divisionName}」の部局の編集者か管理者だけが入力できます`);
    }
  }

  async list(itemId: string | number): Promise<ItemReportsView> {
    const item = await this.item(itemId);
    const revisions = await this.reports.find({ where: { itemId: item.id }, order: { month: 'ASC', id: 'ASC' } });
    const plan = await this.plans.find({ where: { itemId: item.id }, order: { month: 'ASC' } });
    const months = new Map<string, ReportMonthView>();
    const entry = (month: string) => {
      let view = months.get(month);
      if (!view) months.set(month, (view = { month, monthLabel: formatWarekiMonth(month), planned: null, milestone: null, progress: null, comment: null, by: null, at: null }));
      return view;
    };
    for (const row of plan) Object.assign(entry(row.month), { planned: row.planned, milestone: row.milestone });
    for (const row of revisions) Object.assign(entry(row.month), { progress: row.progress, comment: row.comment, by: row.reportedBy, at: row.reportedAt });
    return {
      item: { id: item.id, program: item.program, code: item.code, name: item.name, division: item.divisionName },
      months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
      history: [...revisions].sort((a, b) => a.id - b.id).map(toRevision),
    };
  }

  /** PUT: the month's report. The same progress and comment again adds no revision. */
  async put(itemId: string | number, month: string, body: unknown, actor: Actor): Promise<ReportMonthView> {
    const item = await this.item(itemId);
    this.assertOwner(actor, item);
    const normalized = normalizeReportBody(month, body, monthOf(this.clock.today()));
    if ('problems' in normalized) throw problemsError(normalized.problems);
    const { values } = normalized;
    await this.transactions.run(async (manager) => {
      const latest = await manager.getRepository(MonthlyReport).findOne({ where: { itemId: item.id, month: values.month }, order: { id: 'DESC' } });
      if (latest && latest.progress === values.progress && latest.comment === values.comment) return;
      await manager.getRepository(MonthlyReport).insert({ itemId: item.id, ...values, reportedBy: actor.name, reportedAt: this.clock.now().toISOString() });
      await this.audit.record(actor, 'monthly_report', { item: item.id, code: item.code, program: item.program, month: values.month, progress: values.progress, previous: latest?.progress ?? null }, manager);
    });
    const view = await this.list(item.id);
    return view.months.find((entry) => entry.month === values.month)!;
  }

  /** PUT: the body's months replace the item's whole monthly plan ([] removes it). */
  async setPlan(itemId: string | number, body: unknown, actor: Actor): Promise<ItemReportsView> {
    const item = await this.item(itemId);
    this.assertOwner(actor, item);
    const normalized = normalizePlanBody(body);
    if ('problems' in normalized) throw problemsError(normalized.problems);
    await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(MonthlyReportPlan);
      await repository.delete({ itemId: item.id });
      if (normalized.entries.length) await repository.insert(normalized.entries.map((entry) => ({ itemId: item.id, ...entry })));
      await this.audit.record(actor, 'monthly_plan_set', { item: item.id, code: item.code, program: item.program, months: normalized.entries.length, source: 'api' }, manager);
    });
    return this.list(item.id);
  }

  /** For the policy progress: per item of `program`, the latest report for a month up to `month`. */
  async latestReports(program: string, month: string): Promise<Map<number, LatestReport>> {
    const rows = await this.reports
      .createQueryBuilder('r')
      .innerJoin(Item, 'i', 'i.id = r.item_id')
      .where('i.program = :program AND r.month <= :month', { program, month })
      .orderBy('r.item_id', 'ASC')
      .addOrderBy('r.month', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .getMany();
    const result = new Map<number, LatestReport>();
    for (const row of rows) if (!result.has(row.itemId)) result.set(row.itemId, { month: row.month, progress: row.progress, comment: row.comment });
    return result;
  }

  /** For the policy progress: per item of `program`, the plan's cumulative percent by `month` (the latest planned month up to it). */
  async plannedPercents(program: string, month: string): Promise<Map<number, number>> {
    const rows = await this.plans
      .createQueryBuilder('p')
      .innerJoin(Item, 'i', 'i.id = p.item_id')
      .where('i.program = :program AND p.month <= :month AND p.planned IS NOT NULL', { program, month })
      .orderBy('p.item_id', 'ASC')
      .addOrderBy('p.month', 'DESC')
      .getMany();
    const result = new Map<number, number>();
    for (const row of rows) if (!result.has(row.itemId) && row.planned !== null) result.set(row.itemId, row.planned);
    return result;
  }

  /**
   * The sheet 月次報告 (管理番号, 月, 進捗率, コメント, 計画進捗率, マイルストーン): one row per item
   * and month; all rows or nothing, row errors as for any import.
   */
  async importFile(request: MonthlyReportsImportRequest): Promise<MonthlyReportsImportResult> {
    const { actor } = request;
    if (actor.role !== 'admin' && actor.role !== 'editor') throw forbidden('月次報告の取り込みは管理者と編集者だけができます');
    const programLabel = getProgram(parseProgram(request.program)).itemNoun;
    const owners = new Map((await this.divisions.find({ select: { id: true, name: true, departmentId: true } })).map((row) => [row.id, row]));
    const rules = new ReportSheetRules(
      monthOf(this.clock.today()),
      {
        find: (codes) => this.items.find({ where: { program: request.program, code: In(codes) }, select: { id: true, code: true, divisionId: true } }),
        owners,
        mayEdit: (departmentId) => canEditDivision(actor, departmentId),
        unknownCode: (code) => reportMessages.unknownCode(code, programLabel),
        forbidden: reportMessages.forbidden,
      },
      (itemIds) => this.plans.find({ where: { itemId: In(itemIds) } }),
    );
    const summary: MonthlyReportsImportResult['summary'] = { rows: 0, reports: { created: 0, updated: 0, unchanged: 0 }, plans: { created: 0, updated: 0, unchanged: 0 }, errors: 0 };
    const outcome = await runSheetImport(
      {
        rules,
        plan: (sheet, manager) => {
          summary.rows = sheet.rows;
          summary.errors = sheet.errorCount;
          return this.classify(manager ?? this.reports.manager, rules.rows, summary);
        },
        apply: async (writes, manager) => {
          const reportedAt = this.clock.now().toISOString();
          for (let offset = 0; offset < writes.reports.length; offset += CHUNK) {
            await manager.getRepository(MonthlyReport).insert(writes.reports.slice(offset, offset + CHUNK).map((entry) => ({ ...entry, reportedBy: actor.name, reportedAt })));
          }
          for (let offset = 0; offset < writes.plans.length; offset += CHUNK) {
            await manager
              .createQueryBuilder()
              .insert()
              .into(MonthlyReportPlan)
              .values(writes.plans.slice(offset, offset + CHUNK))
              .orUpdate(['planned', 'milestone'], ['item_id', 'month'])
              .execute();
          }
        },
        audit: {
          action: 'monthly_reports_import',
          detail: (applied) => ({ program: request.program, file: request.fileName, dryRun: request.dryRun, applied, summary }),
        },
      },
      request,
      { transactions: this.transactions, audit: this.audit },
    );
    const { sheet } = outcome;
    const result: MonthlyReportsImportResult = {
      program: request.program,
      applied: outcome.applied,
      dryRun: request.dryRun,
      summary,
      errors: sheet.errors,
      warnings: sheet.warnings,
    };
    if (sheet.errorsOmitted) result.errorsOmitted = sheet.errorsOmitted;
    return result;
  }

  /** Counts what the rows would do and returns the writes: a report revision only when it differs from the one in force. */
  private async classify(
    manager: EntityManager,
    rows: ResolvedReportRow[],
    summary: MonthlyReportsImportResult['summary'],
  ): Promise<{ reports: (ReportValues & { itemId: number })[]; plans: (PlanEntry & { itemId: number })[] }> {
    const writes = { reports: [] as (ReportValues & { itemId: number })[], plans: [] as (PlanEntry & { itemId: number })[] };
    summary.reports = { created: 0, updated: 0, unchanged: 0 };
    summary.plans = { created: 0, updated: 0, unchanged: 0 };
    for (let offset = 0; offset < rows.length; offset += CHUNK) {
      const chunk = rows.slice(offset, offset + CHUNK);
      const itemIds = [...new Set(chunk.map((entry) => entry.itemId))];
      const months = [...new Set(chunk.map((entry) => entry.month))];
      const revisions = await manager.getRepository(MonthlyReport).find({ where: { itemId: In(itemIds), month: In(months) }, order: { id: 'ASC' } });
      const latest = new Map(revisions.map((row) => [revisionKey(row.itemId, row.month), row]));
      const plans = new Map((await manager.getRepository(MonthlyReportPlan).find({ where: { itemId: In(itemIds), month: In(months) } })).map((row) => [revisionKey(row.itemId, row.month), row]));
      for (const entry of chunk) {
        const key = revisionKey(entry.itemId, entry.month);
        if (entry.report) {
          const current = latest.get(key);
          if (current && current.progress === entry.report.progress && current.comment === entry.report.comment) summary.reports.unchanged++;
          else {
            summary.reports[current ? 'updated' : 'created']++;
            writes.reports.push({ itemId: entry.itemId, ...entry.report });
          }
        }
        if (entry.plan) {
          const current = plans.get(key);
          // an empty cell keeps what the plan has: a row that reports only the progress leaves the plan alone
          const next = { itemId: entry.itemId, month: entry.month, planned: entry.plan.planned ?? current?.planned ?? null, milestone: entry.plan.milestone ?? current?.milestone ?? null };
          if (current && current.planned === next.planned && current.milestone === next.milestone) summary.plans.unchanged++;
          else {
            summary.plans[current ? 'updated' : 'created']++;
            writes.plans.push(next);
          }
        }
      }
    }
    return writes;
  }
}

function toRevision(row: MonthlyReport): ReportRevision {
  return { month: row.month, progress: row.progress, comment: row.comment, by: row.reportedBy, at: row.reportedAt };
}

function problemsError(problems: RuleProblem[]): DomainError {
  const details: FieldProblem[] = problems.map((problem) => ({ field: problem.field, value: problem.value, code: problem.code, message: problem.message }));
  return new DomainError(problems.length === 1 ? problems[0].code : 'validation_failed', problems.map((problem) => problem.message).join('／'), 400, details);
}
