import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiMonth } from '../calendar';
import { Actor } from '../common/actor';
import { clip, DomainError, forbidden, validationError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { ImportRowError, MAX_REPORTED_ERRORS } from '../imports/import.types';
import { toTargetView } from '../targets/target-rules';
import { Target } from '../targets/target.entity';
import { fileError } from '../imports/imports.service';
import { ColumnSpec, normalizeMatchValue, SheetFormatError } from '../sheets';
import { openKeyedSheet } from './keyed-sheet';
import { actualRange, normalizePlanBody, normalizePlanEntry, PlanFields, PlanMonth, planMessages, planProgress, planSpanProblem } from './plan-math';
import { TargetPlan } from './target-plan.entity';

export interface PlanView {
  target: string;
  label: string;
  deadline: string;
  deadlineLabel: string;
  months: { month: string; monthLabel: string; planned: number }[];
  totalPlanned: number;
}

export interface PlanImportResult {
  target: string;
  applied: boolean;
  dryRun: boolean;
  summary: { rows: number; months: number; totalPlanned: number; errors: number };
  errors: ImportRowError[];
  errorsOmitted?: number;
}

/** The plan sheet: 月 and 計画件数 (English keys and a few common names accepted too). */
export const PLAN_COLUMNS: ColumnSpec[] = [
  { key: 'month', header: '月', aliases: ['年月', '対象月'], required: true },
  { key: 'planned', header: '計画件数', aliases: ['計画', '計画数'], required: true },
];
const PLAN_SHEET_NAMES = ['計画', '月別計画', '月別業務計画'];

const sum = (months: PlanMonth[]) => months.reduce((total, entry) => total + entry.planned, 0);

@Injectable()
export class PlansService {
  constructor(
    @InjectRepository(TargetPlan) private readonly plans: Repository<TargetPlan>,
    @InjectRepository(Target) private readonly targets: Repository<Target>,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  private async target(id: string): Promise<Target> {
    const wanted = normalizeMatchValue(id).toLowerCase();
    const row = await this.targets.findOne({ where: { id: wanted } });
    if (!row) throw new DomainError('not_found', `目標「${clip(id)}」が見つかりません`, 404);
    return row;
  }

  private view(target: Target, rows: PlanMonth[]): PlanView {
    const { id, label, deadline, deadlineLabel } = toTargetView(target);
    return {
      target: id,
      label,
      deadline,
      deadlineLabel,
      months: rows.map((row) => ({ month: row.month, monthLabel: formatWarekiMonth(row.month), planned: row.planned })),
      totalPlanned: sum(rows),
    };
  }

  private async monthsOf(targetId: string, manager?: EntityManager): Promise<PlanMonth[]> {
    const repository = manager ? manager.getRepository(TargetPlan) : this.plans;
    const rows = await repository.find({ where: { targetId }, order: { month: 'ASC' } });
    return rows.map((row) => ({ month: row.month, planned: row.planned }));
  }

  async get(targetId: string): Promise<PlanView> {
    const target = await this.target(targetId);
    return this.view(target, await this.monthsOf(target.id));
  }

  /** PUT: the body's months replace the whole plan ([] removes it). */
  async set(targetId: string, body: unknown, actor: Actor): Promise<PlanView> {
    const target = await this.target(targetId);
    const normalized = normalizePlanBody(body, target.deadline);
    if ('problems' in normalized) throw validationError(normalized.problems);
    await this.replace(target.id, normalized.months, actor, { source: 'api' });
    return this.get(target.id);
  }

  private async replace(targetId: string, months: PlanMonth[], actor: Actor, detail: Record<string, unknown>, manager?: EntityManager): Promise<void> {
    const work = async (transaction: EntityManager) => {
      const repository = transaction.getRepository(TargetPlan);
      await repository.delete({ targetId });
      if (months.length) await repository.insert(months.map((entry) => ({ targetId, month: entry.month, planned: entry.planned })));
      await this.audit.record(actor, 'plan_set', { target: targetId, months: months.length, totalPlanned: sum(months), ...detail }, transaction);
    };
    if (manager) await work(manager);
    else await this.transactions.run(work);
  }

  /** Used by the demo: writes inside the caller's transaction. */
  async replaceWithin(manager: EntityManager, targetId: string, months: PlanMonth[], actor: Actor): Promise<void> {
    await this.replace(targetId, months, actor, { source: 'demo' }, manager);
  }

  /**
   * `plan import`: a sheet of 月 / 計画件数 replaces the target's plan, all or nothing. Row errors
   * name the sheet's row, the column as written and the value as typed.
   */
  async importSheet(targetId: string, path: string, options: { actor: Actor; dryRun: boolean; sheetName?: string; fileName?: string }): Promise<PlanImportResult> {
    if (options.actor.role !== 'admin') throw forbidden('月別計画の取り込みは管理者だけができます');
    const target = await this.target(targetId);
    const errors: ImportRowError[] = [];
    let errorCount = 0;
    const months: PlanMonth[] = [];
    const firstRow = new Map<string, number>();
    let rows = 0;
    try {
      const sheet = await openKeyedSheet(path, PLAN_COLUMNS, { sheetName: options.sheetName, preferredSheetNames: PLAN_SHEET_NAMES });
      const report = (row: number, key: string, value: string, code: string, message: string) => {
        errorCount++;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, column: sheet.columnName(key), value, code, message });
      };
      for await (const row of sheet.rows) {
        rows++;
        const normalized = normalizePlanEntry(row.cells.month, row.cells.planned);
        for (const problem of normalized.problems) report(row.rowNumber, problem.key, sheet.asWritten(row, problem.key), problem.code, problem.message);
        if (normalized.month === undefined || normalized.planned === undefined) continue;
        const first = firstRow.get(normalized.month);
        if (first !== undefined) {
          const written = sheet.asWritten(row, 'month');
          report(row.rowNumber, 'month', written, 'duplicate_month', planMessages.duplicateMonth(written, normalized.month, `${first}行目`));
          continue;
        }
        firstRow.set(normalized.month, row.rowNumber);
        months.push({ month: normalized.month, planned: normalized.planned });
      }
      const span = errorCount ? null : planSpanProblem(months, target.deadline);
      if (span) {
        // Named on the row of the latest month: the one that stretches the plan too far.
        const latest = months.reduce((a, b) => (b.month > a.month ? b : a));
        report(firstRow.get(latest.month)!, 'month', latest.month, span.code, span.message);
      }
    } catch (error) {
      if (error instanceof SheetFormatError) throw fileError(error);
      throw error;
    }
    months.sort((a, b) => a.month.localeCompare(b.month));
    const applied = errorCount === 0 && !options.dryRun;
    if (applied) await this.replace(target.id, months, options.actor, { source: 'sheet', file: options.fileName ?? null });
    const result: PlanImportResult = {
      target: target.id,
      applied,
      dryRun: options.dryRun,
      summary: { rows, months: months.length, totalPlanned: sum(months), errors: errorCount },
      errors,
    };
    if (errorCount > errors.length) result.errorsOmitted = errorCount - errors.length;
    return result;
  }

  /** Every target's plan, for the progress report (one query). */
  async plansByTarget(): Promise<Map<string, PlanMonth[]>> {
    const rows = await this.plans.find({ order: { targetId: 'ASC', month: 'ASC' } });
    const result = new Map<string, PlanMonth[]>();
    for (const row of rows) {
      const list = result.get(row.targetId) ?? [];
      list.push({ month: row.month, planned: row.planned });
      result.set(row.targetId, list);
    }
    return result;
  }

  /**
   * A target's plan against its progress. `doneSeries` answers done at each month's end from
   * `from` to `to` (the progress series, the same points as the burn-up chart).
   */
  async planFields(
    months: PlanMonth[],
    context: { asOf: string; deadline: string; done: number },
    doneSeries: (from: string, to: string) => Promise<{ month: string; done: number }[]>,
  ): Promise<PlanFields> {
    const range = actualRange(months, context.asOf);
    const actual = new Map<string, number>();
    if (range) for (const point of await doneSeries(range.from, range.to)) actual.set(point.month, point.done);
    return planProgress(months, context, actual);
  }
}
