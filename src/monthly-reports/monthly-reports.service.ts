import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiMonth, monthOf } from '../calendar';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, FieldProblem, forbidden } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { ImportRowError, ImportWarning, MAX_REPORTED_ERRORS } from '../imports/import.types';
import { fileError } from '../imports/imports.service';
import { Item } from '../items/item.entity';
import { canEditDivision } from '../items/access-rules';
import { Division } from '../organization/division.entity';
import { KeyedRow, KeyedSheet, openKeyedSheet } from '../plans/keyed-sheet';
import { getProgram, parseProgram } from '../programs/program-definitions';
import { ColumnSpec, normalizeMatchValue, SheetFormatError } from '../sheets';
import { MonthlyReport, MonthlyReportPlan } from './monthly-report.entity';
import {
  MAX_COMMENT_LENGTH,
  MAX_MILESTONE_LENGTH,
  normalizePlanBody,
  normalizeReportBody,
  parsePercent,
  parseReportMonth,
  parseText,
  PlanEntry,
  planProblems,
  reportMessages,
  ReportValues,
  RuleProblem,
} from './report-rules';

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

export interface MonthlyReportsImportRequest {
  program: string;
  path: string;
  fileName: string;
  actor: Actor;
  dryRun: boolean;
  sheetName?: string;
}

/** The sheet the office collects by Excel: one row per initiative and month. */
export const REPORT_COLUMNS: ColumnSpec[] = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'month', header: '月', aliases: ['年月', '対象月', '報告月'], required: true },
  { key: 'progress', header: '進捗率', aliases: ['進捗', '進捗率（%）', '進捗率(%)', '実績'], required: false },
  { key: 'comment', header: 'コメント', aliases: ['報告', '進捗状況', '状況説明'], required: false },
  { key: 'planned', header: '計画進捗率', aliases: ['計画', '計画（%）', '計画(%)'], required: false },
  { key: 'milestone', header: 'マイルストーン', aliases: ['予定', '実施予定', '月別業務計画'], required: false },
];
export const REPORT_SHEET_NAMES = ['月次報告'];

type ItemRef = { id: number; program: string; code: string; name: string; divisionId: number; divisionName: string; departmentId: number };

interface SheetRow {
  row: KeyedRow;
  code: string;
  month: string;
  report: ReportValues | null;
  plan: PlanEntry | null;
}

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
    const currentMonth = monthOf(this.clock.today());
    const owners = new Map((await this.divisions.find({ select: { id: true, name: true, departmentId: true } })).map((row) => [row.id, row]));
    const result: MonthlyReportsImportResult = {
      program: request.program,
      applied: false,
      dryRun: request.dryRun,
      summary: { rows: 0, reports: { created: 0, updated: 0, unchanged: 0 }, plans: { created: 0, updated: 0, unchanged: 0 }, errors: 0 },
      errors: [],
      warnings: [],
    };
    let sheet!: KeyedSheet;
    const report = (row: KeyedRow, column: string, code: string, message: string) => {
      result.summary.errors++;
      if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ row: row.rowNumber, column: sheet.columnName(column), value: sheet.asWritten(row, column), code, message });
    };
    const rows: (SheetRow & { itemId: number })[] = [];
    const firstRow = new Map<string, number>();
    const resolve = async (pending: SheetRow[]) => {
      if (!pending.length) return;
      const found = await this.items.find({ where: { program: request.program, code: In([...new Set(pending.map((entry) => entry.code))]) }, select: { id: true, code: true, divisionId: true } });
      const byCode = new Map(found.map((item) => [item.code, item]));
      for (const entry of pending) {
        const item = byCode.get(entry.code);
        if (!item) {
          report(entry.row, 'code', 'unknown_code', reportMessages.unknownCode(entry.code, programLabel));
          continue;
        }
        const owner = owners.get(item.divisionId);
        if (!owner || !canEditDivision(actor, owner.departmentId)) {
          report(entry.row, 'code', 'forbidden_division', reportMessages.forbidden(entry.code, owner?.name ?? String(item.divisionId)));
          continue;
        }
        rows.push({ ...entry, itemId: item.id });
      }
    };
    try {
      sheet = await openKeyedSheet(request.path, REPORT_COLUMNS, { sheetName: request.sheetName, preferredSheetNames: REPORT_SHEET_NAMES });
      result.warnings = sheet.header.unknownHeaders.map(({ header }) => ({ row: sheet.header.rowNumber, column: header, code: 'unknown_column', message: `列「${header}」は取り込みの対象外です（無視しました）` }));
      let pending: SheetRow[] = [];
      for await (const row of sheet.rows) {
        result.summary.rows++;
        const parsed = parseSheetRow(row, currentMonth);
        if ('problems' in parsed) {
          for (const problem of parsed.problems) report(row, problem.field, problem.code, problem.message);
          continue;
        }
        const key = `${parsed.code}\u0000${parsed.month}`;
        const first = firstRow.get(key);
        if (first !== undefined) {
          report(row, 'month', 'duplicate_row', `管理番号「${parsed.code}」の${formatWarekiMonth(parsed.month)}が${first}行目と重複しています`);
          continue;
        }
        firstRow.set(key, row.rowNumber);
        pending.push(parsed);
        if (pending.length >= CHUNK) {
          await resolve(pending);
          pending = [];
        }
      }
      await resolve(pending);
    } catch (error) {
      if (error instanceof SheetFormatError) throw fileError(error);
      throw error;
    }
    await this.checkPlans(rows, report);
    result.errors.sort((a, b) => a.row - b.row);
    if (result.summary.errors > result.errors.length) result.errorsOmitted = result.summary.errors - result.errors.length;
    const detail = (applied: boolean) => ({ program: request.program, file: request.fileName, dryRun: request.dryRun, applied, summary: result.summary });
    if (request.dryRun || result.summary.errors > 0) {
      await this.classify(this.reports.manager, rows, result.summary);
      await this.audit.record(actor, 'monthly_reports_import', detail(false));
      return result;
    }
    await this.transactions.run(async (manager) => {
      const writes = await this.classify(manager, rows, result.summary);
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
      await this.audit.record(actor, 'monthly_reports_import', detail(true), manager);
    });
    result.applied = true;
    return result;
  }

  /** The plan each item would have after the import must still never go down. */
  private async checkPlans(rows: (SheetRow & { itemId: number })[], report: (row: KeyedRow, column: string, code: string, message: string) => void): Promise<void> {
    const planRows = rows.filter((entry) => entry.plan && entry.plan.planned !== null);
    if (!planRows.length) return;
    const itemIds = [...new Set(planRows.map((entry) => entry.itemId))];
    const stored = await this.plans.find({ where: { itemId: In(itemIds) } });
    for (const itemId of itemIds) {
      const merged = new Map<string, PlanEntry>();
      for (const row of stored.filter((entry) => entry.itemId === itemId)) merged.set(row.month, { month: row.month, planned: row.planned, milestone: row.milestone });
      const own = planRows.filter((entry) => entry.itemId === itemId);
      for (const entry of own) merged.set(entry.month, { month: entry.month, planned: entry.plan!.planned, milestone: null });
      for (const problem of planProblems([...merged.values()])) {
        if (problem.code !== 'plan_decreases') continue;
        // named on the file's row for that month, else on the item's last row (a stored month is the other side)
        const row = own.find((entry) => entry.month === problem.month) ?? own[own.length - 1];
        report(row.row, 'planned', problem.code, problem.message);
      }
    }
  }

  /** Counts what the rows would do and returns the writes: a report revision only when it differs from the one in force. */
  private async classify(
    manager: EntityManager,
    rows: (SheetRow & { itemId: number })[],
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

function parseSheetRow(row: KeyedRow, currentMonth: string): SheetRow | { problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const code = normalizeMatchValue(row.cells.code ?? null);
  if (!code) problems.push({ field: 'code', value: '', code: 'missing_required', message: '管理番号は必須です' });
  const progress = parsePercent(row.cells.progress ?? null, '進捗率', 'progress');
  if ('problem' in progress) problems.push(progress.problem);
  const hasProgress = 'value' in progress && progress.value !== null;
  // A plan month may lie ahead; a report may not.
  const month = parseReportMonth(row.cells.month ?? null, hasProgress ? currentMonth : '9999-12');
  if ('problem' in month) problems.push(month.problem);
  const comment = parseText(row.cells.comment ?? null, 'コメント', 'comment', MAX_COMMENT_LENGTH);
  if ('problem' in comment) problems.push(comment.problem);
  const planned = parsePercent(row.cells.planned ?? null, '計画進捗率', 'planned');
  if ('problem' in planned) problems.push(planned.problem);
  const milestone = parseText(row.cells.milestone ?? null, 'マイルストーン', 'milestone', MAX_MILESTONE_LENGTH);
  if ('problem' in milestone) problems.push(milestone.problem);
  if (problems.length) return { problems };
  const values = {
    progress: (progress as { value: number | null }).value,
    comment: (comment as { value: string | null }).value,
    planned: (planned as { value: number | null }).value,
    milestone: (milestone as { value: string | null }).value,
  };
  if (values.progress === null && values.comment !== null) return { problems: [{ field: 'progress', value: '', code: 'missing_required', message: reportMessages.commentWithoutProgress() }] };
  if (values.progress === null && values.planned === null && values.milestone === null) return { problems: [{ field: 'progress', value: '', code: 'empty_row', message: reportMessages.emptyRow() }] };
  const resolvedMonth = (month as { month: string }).month;
  return {
    row,
    code,
    month: resolvedMonth,
    report: values.progress === null ? null : { month: resolvedMonth, progress: values.progress, comment: values.comment },
    plan: values.planned === null && values.milestone === null ? null : { month: resolvedMonth, planned: values.planned, milestone: values.milestone },
  };
}
