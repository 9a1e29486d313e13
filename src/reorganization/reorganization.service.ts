import { describeReorganization } from './reorganization-changes';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { Item } from '../items/item.entity';
import { moveDivisionItems } from '../items/items.repository';
import { Department } from '../organization/department.entity';
import { Division, DivisionPeriod } from '../organization/division.entity';
import { DepartmentRef, DivisionRef, OrganizationSnapshot, planReorganization, ReorganizationPlan, ReorganizationProblem, ReorganizationSummary } from './reorganization-plan';

export interface ReorganizationResult {
  applied: boolean;
  dryRun: boolean;
  effectiveOn: string;
  summary: ReorganizationSummary;
  /** Each change in words (部局を新設 …, 課を移管 …), for a person to read before applying. */
  changes: string[];
}

export function invalidReorganization(problems: ReorganizationProblem[]): DomainError {
  const shown = problems.slice(0, 3).map((problem) => `${problem.entry}: ${problem.message}`);
  const more = problems.length > shown.length ? `／ほか${problems.length - shown.length}件` : '';
  return new DomainError(
    'invalid_reorganization',
    `組織改編の内容に誤りが${problems.length}件あるため、何も変更していません: ${shown.join('／')}${more}`,
    400,
    // DomainError's details type predates entry-level problems; the error filter sends it as is.
    problems as unknown as Record<string, unknown>,
  );
}

@Injectable()
export class ReorganizationService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Validates the whole document against the organization as stored, then applies it in one
   * transaction (or, with dryRun, only reports what it would do). Any problem: nothing changes.
   */
  async apply(document: unknown, actor: Actor, options: { dryRun: boolean }): Promise<ReorganizationResult> {
    return this.transactions.run(async (manager) => {
      // Two reorganizations at once on PostgreSQL would each validate against the other's old
      // state; this lock makes them take turns (SQLite transactions already do, see Transactions).
      if (!this.transactions.isSqlite) await manager.query(`SELECT pg_advisory_xact_lock(hashtext('procedure-dx-tracker:reorganization'))`);
      const planned = planReorganization(document, await loadSnapshot(manager), this.clock.today());
      if ('problems' in planned) throw invalidReorganization(planned.problems);
      const { plan } = planned;
      const changes = describeReorganization(plan);
      if (options.dryRun) return { applied: false, dryRun: true, effectiveOn: plan.effectiveOn, summary: plan.summary, changes };
      const itemsMoved = await applyPlan(manager, plan, this.clock.now().toISOString());
      const summary = { ...plan.summary, itemsMoved };
      await this.audit.record(actor, 'reorganization', { effectiveOn: plan.effectiveOn, note: plan.note, summary, document }, manager);
      return { applied: true, dryRun: false, effectiveOn: plan.effectiveOn, summary, changes };
    });
  }
}

async function loadSnapshot(manager: EntityManager): Promise<OrganizationSnapshot> {
  const [departments, divisions, periods, counts] = await Promise.all([
    manager.getRepository(Department).find({ order: { id: 'ASC' } }),
    manager.getRepository(Division).find({ order: { id: 'ASC' } }),
    manager.getRepository(DivisionPeriod).find({ order: { id: 'ASC' } }),
    manager
      .getRepository(Item)
      .createQueryBuilder('item')
      .select('item.division_id', 'divisionId')
      .addSelect('COUNT(*)', 'count')
      .groupBy('item.division_id')
      .getRawMany<{ divisionId: number | string; count: number | string }>(),
  ]);
  return {
    departments,
    divisions,
    periods,
    itemCounts: new Map(counts.map((row) => [Number(row.divisionId), Number(row.count)])),
  };
}

/** Writes the plan; returns how many items the merges moved. */
async function applyPlan(manager: EntityManager, plan: ReorganizationPlan, nowIso: string): Promise<number> {
  const departments = manager.getRepository(Department);
  const divisions = manager.getRepository(Division);
  const periods = manager.getRepository(DivisionPeriod);
  const { effectiveOn, lastDayBefore } = plan;

  const newDepartmentIds = new Map<string, number>();
  for (const department of plan.newDepartments) {
    const inserted = await departments.insert({ code: department.code, name: department.name, validFrom: effectiveOn, validTo: null });
    newDepartmentIds.set(department.code, Number(inserted.identifiers[0].id));
  }
  const departmentId = (ref: DepartmentRef) => (ref.kind === 'existing' ? ref.id : newDepartmentIds.get(ref.code)!);

  const newDivisionIds = new Map<string, number>();
  for (const division of plan.newDivisions) {
    const inserted = await divisions.insert({
      code: division.code,
      name: division.name,
      matchName: division.matchName,
      departmentId: departmentId(division.department),
      validFrom: effectiveOn,
      validTo: null,
    });
    const id = Number(inserted.identifiers[0].id);
    newDivisionIds.set(division.code, id);
    await periods.insert({ divisionId: id, departmentId: departmentId(division.department), name: division.name, validFrom: effectiveOn, validTo: null });
  }
  const divisionId = (ref: DivisionRef) => (ref.kind === 'existing' ? ref.id : newDivisionIds.get(ref.code)!);

  for (const move of plan.moves) {
    const target = departmentId(move.department);
    if (move.period.action === 'correct') {
      await periods.update({ id: move.period.id }, { departmentId: target, name: move.name });
    } else {
      if (move.period.closeId !== null) await periods.update({ id: move.period.closeId }, { validTo: lastDayBefore });
      await periods.insert({ divisionId: move.divisionId, departmentId: target, name: move.name, validFrom: effectiveOn, validTo: null });
    }
    await divisions.update({ id: move.divisionId }, { departmentId: target, name: move.name, matchName: move.matchName });
  }

  let itemsMoved = 0;
  for (const merge of plan.merges) {
    // Items follow into the surviving division; their history rows are left exactly as they are.
    // The version goes up so that an edit started before the merge gets 409 instead of landing
    // silently on an item that has changed owner.
    itemsMoved += await moveDivisionItems(manager, merge.divisionId, divisionId(merge.into), nowIso);
    await divisions.update({ id: merge.divisionId }, { validTo: lastDayBefore });
    if (merge.closePeriodId !== null) await periods.update({ id: merge.closePeriodId }, { validTo: lastDayBefore });
    if (merge.dropPeriodId !== null) await periods.delete({ id: merge.dropPeriodId });
  }

  for (const department of plan.closeDepartments) {
    await departments.update({ id: department.id }, { validTo: lastDayBefore });
  }
  return itemsMoved;
}
