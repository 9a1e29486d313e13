import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { clip, DomainError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { OrganizationService } from '../organization/organization.service';
import { normalizeMatchValue } from '../sheets/normalize';
import { readTargetBody, toTargetView, TargetView } from './target-rules';
import { Target } from './target.entity';

@Injectable()
export class TargetsService {
  constructor(
    @InjectRepository(Target) private readonly targets: Repository<Target>,
    private readonly organization: OrganizationService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: Transactions,
  ) {}

  /** scope.department as typed → the code of the department in force today. */
  private readonly departmentCode = async (value: string): Promise<string> => (await this.organization.resolveDepartment(value, this.clock.today())).code;

  async list(): Promise<TargetView[]> {
    const rows = await this.targets.find({ order: { deadline: 'ASC', id: 'ASC' } });
    return rows.map(toTargetView);
  }

  async get(id: string): Promise<TargetView> {
    const row = await this.targets.findOne({ where: { id } });
    if (!row) throw new DomainError('not_found', `目標「${clip(id)}」が見つかりません`, 404);
    return toTargetView(row);
  }

  async create(body: Record<string, unknown>, actor: Actor): Promise<TargetView> {
    const { id, program, label, deadline, scope } = await readTargetBody(body, this.departmentCode);
    const row = this.targets.create({ id, program, label, deadline, scope: JSON.stringify(scope), createdAt: this.clock.now().toISOString() });
    // The view is built before the write: anything it cannot show is refused, not stored.
    const view = toTargetView(row);
    await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(Target);
      if (await repository.exists({ where: { id } })) throw new DomainError('target_exists', `目標「${id}」は既にあります`, 409);
      await repository.insert(row);
      await this.audit.record(actor, 'target_created', { id, program, deadline, scope }, manager);
    });
    return view;
  }

  /** Changes a target's label, deadline or scope (its id and program stay); absent keys keep their value. */
  async update(targetId: string, body: Record<string, unknown>, actor: Actor): Promise<TargetView> {
    const row = await this.targets.findOne({ where: { id: targetId } });
    if (!row) throw new DomainError('not_found', `目標「${clip(targetId)}」が見つかりません`, 404);
    for (const key of ['id', 'program']) {
      if (body[key] !== undefined && body[key] !== (key === 'id' ? row.id : row.program)) {
        throw new DomainError('target_key_fixed', '目標の id と取組（program）は変更できません。新しい目標として登録してください');
      }
    }
    const current = toTargetView(row);
    const next = await readTargetBody(
      {
        id: row.id,
        program: row.program,
        label: body.label ?? current.label,
        deadline: body.deadline ?? current.deadline,
        scope: body.scope ?? current.scope,
      },
      this.departmentCode,
    );
    const before = { label: current.label, deadline: current.deadline, scope: current.scope };
    // the change and its audit entry together, as a creation
    await this.transactions.run(async (manager) => {
      await manager.getRepository(Target).update({ id: row.id }, { label: next.label, deadline: next.deadline, scope: JSON.stringify(next.scope) });
      await this.audit.record(actor, 'target_updated', { id: row.id, before, after: { label: next.label, deadline: next.deadline, scope: next.scope } }, manager);
    });
    return this.get(row.id);
  }

  /**
   * DELETE /targets/:id (admin). A target with a monthly plan is refused (409 `target_in_use`):
   * the plan is the only thing that refers to a target, and it is removed first on purpose
   * (PUT …/plan with []), never as a side effect.
   */
  async remove(rawId: string, actor: Actor): Promise<{ deleted: string }> {
    const id = normalizeMatchValue(rawId).toLowerCase();
    await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(Target);
      const row = await repository.findOne({ where: { id } });
      if (!row) throw new DomainError('not_found', `目標「${clip(rawId)}」が見つかりません`, 404);
      const planned = await manager
        .createQueryBuilder()
        .select('COUNT(*)', 'months')
        .from('target_plans', 'plan')
        .where('plan.target_id = :id', { id })
        .getRawOne<{ months: string | number }>();
      const months = Number(planned?.months ?? 0);
      if (months > 0) {
        throw new DomainError('target_in_use', `目標「${id}」には月別計画（${months}か月）があるため削除できません。先に計画を削除してください（PUT /api/v1/targets/${id}/plan に { "months": [] }）`, 409, { planMonths: months });
      }
      await repository.delete({ id });
      await this.audit.record(actor, 'target_deleted', { id, program: row.program, label: row.label, deadline: row.deadline }, manager);
    });
    return { deleted: id };
  }
}
