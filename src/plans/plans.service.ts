import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiMonth } from '../calendar';
import { Actor } from '../common/actor';
import { clip, DomainError, forbidden, validationError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { WorkBudget } from '../common/work-budget';
import { ImportRowError, ImportWarning } from '../sheet-import/row-errors';
import { runSheetImport } from '../sheet-import/sheet-pipeline';
import { normalizeMatchValue } from '../sheets';
import { toTargetView } from '../targets/target-rules';
import { Target } from '../targets/target.entity';
import { actualRange, normalizePlanBody, PlanFields, PlanMonth, planProgress } from './plan-math';
import { PlanSheetRules } from './plan-sheet';
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
  warnings: ImportWarning[];
}

export interface PlanImportOptions {
  actor: Actor;
  dryRun: boolean;
  sheetName?: string;
  fileName?: string;
  /** Stops the import when the client goes away or the time limit passes (nothing written). */
  budget?: WorkBudget;
}

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
      await writePlan(transaction, targetId, months);
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
  async importSheet(targetId: string, path: string, options: PlanImportOptions): Promise<PlanImportResult> {
    if (options.actor.role !== 'admin') throw forbidden('月別計画の取り込みは管理者だけができます');
    const target = await this.target(targetId);
    const rules = new PlanSheetRules(target.deadline);
    const outcome = await runSheetImport(
      {
        rules,
        plan: () => rules.plan(),
        apply: (months, manager) => writePlan(manager, target.id, months),
        audit: {
          action: 'plan_set',
          detail: (applied, months) => ({
            target: target.id,
            months: months.length,
            totalPlanned: sum(months),
            source: 'sheet',
            file: options.fileName ?? null,
            dryRun: options.dryRun,
            applied,
          }),
        },
      },
      { path, sheetName: options.sheetName, actor: options.actor, dryRun: options.dryRun, budget: options.budget },
      { transactions: this.transactions, audit: this.audit },
    );
    const { sheet, plan: months } = outcome;
    const result: PlanImportResult = {
      target: target.id,
      applied: outcome.applied,
      dryRun: options.dryRun,
      summary: { rows: sheet.rows, months: months.length, totalPlanned: sum(months), errors: sheet.errorCount },
      errors: sheet.errors,
      warnings: sheet.warnings,
    };
    if (sheet.errorsOmitted) result.errorsOmitted = sheet.errorsOmitted;
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

/** The whole plan of a target replaced, in the caller's transaction. */
async function writePlan(manager: EntityManager, targetId: string, months: PlanMonth[]): Promise<void> {
  const repository = manager.getRepository(TargetPlan);
  await repository.delete({ targetId });
  if (months.length) await repository.insert(months.map((entry) => ({ targetId, month: entry.month, planned: entry.planned })));
}
