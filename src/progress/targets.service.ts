import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { formatDeadline, isSupportedDate, parseDeadline, parseJapaneseDate, SUPPORTED_RANGE_LABEL } from '../calendar';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { clip, DomainError, FieldProblem } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { matchChoice } from '../items/item-fields';
import { validationError } from '../items/items.service';
import { OrganizationService } from '../organization/organization.service';
import { getProgram, isProgramKey, nationalGroups, programKeyList } from '../programs/program-definitions';
import { normalizeCode, normalizeMatchValue } from '../sheets/normalize';
import { Target } from './target.entity';

export interface TargetScope {
  nationalGroup?: string;
  /** A department code. */
  department?: string;
  codes?: string[];
  /** Choice fields of the program: field key → choice key (CONTRACT.md "Programs as data"). */
  fields?: Record<string, string>;
}

export interface TargetView {
  id: string;
  program: string;
  label: string;
  deadline: string;
  deadlineLabel: string;
  scope: TargetScope;
}

export function toTargetView(target: Target): TargetView {
  return {
    id: target.id,
    program: target.program,
    label: target.label,
    deadline: target.deadline,
    deadlineLabel: formatDeadline(target.deadline),
    scope: target.scope ? (JSON.parse(target.scope) as TargetScope) : {},
  };
}

@Injectable()
export class TargetsService {
  constructor(
    @InjectRepository(Target) private readonly targets: Repository<Target>,
    private readonly organization: OrganizationService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: Transactions,
  ) {}

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
    const { id, program, label, deadline, scope } = await this.validate(body);
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
    const next = await this.validate({
      id: row.id,
      program: row.program,
      label: body.label ?? current.label,
      deadline: body.deadline ?? current.deadline,
      scope: body.scope ?? current.scope,
    });
    const before = { label: current.label, deadline: current.deadline, scope: current.scope };
    // the change and its audit entry together, as a creation
    await this.transactions.run(async (manager) => {
      await manager.getRepository(Target).update({ id: row.id }, { label: next.label, deadline: next.deadline, scope: JSON.stringify(next.scope) });
      await this.audit.record(actor, 'target_updated', { id: row.id, before, after: { label: next.label, deadline: next.deadline, scope: next.scope } }, manager);
    });
    return this.get(row.id);
  }

  private async validate(body: Record<string, unknown>): Promise<{ id: string; program: string; label: string; deadline: string; scope: TargetScope }> {
    const problems: FieldProblem[] = [];
    const add = (field: string, value: unknown, code: string, message: string) => problems.push({ field, value: value ?? '', code, message });
    const id = typeof body.id === 'string' ? normalizeMatchValue(body.id).toLowerCase() : '';
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(id)) add('id', body.id, 'invalid_id', 'id は英小文字・数字・ハイフンで指定してください（例: seal-fy2026）');
    const program = body.program;
    if (!isProgramKey(program)) add('program', program, 'unknown_program', `取組（program）は ${programKeyList()} のいずれかです`);
    const label = typeof body.label === 'string' ? body.label.trim() : '';
    if (!label) add('label', body.label, 'missing_required', '名称（label）は必須です');
    const deadline = typeof body.deadline === 'string' ? parseJapaneseDate(body.deadline) ?? parseDeadline(body.deadline) : null;
    if (!deadline) add('deadline', clip(body.deadline), 'invalid_date', `期限「${clip(body.deadline)}」は日付として読めません`);
    else if (!isSupportedDate(deadline)) add('deadline', clip(body.deadline), 'date_out_of_range', `期限「${clip(body.deadline)}」は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`);
    const rawScope = (body.scope ?? {}) as Record<string, unknown>;
    const scope: TargetScope = {};
    if (typeof rawScope !== 'object' || Array.isArray(rawScope)) add('scope', '', 'invalid_scope', 'scope はオブジェクトで指定してください');
    if (rawScope.nationalGroup !== undefined) {
      const group = matchChoice(nationalGroups(), normalizeMatchValue(String(rawScope.nationalGroup)));
      if (!group || program !== 'online') add('scope.nationalGroup', rawScope.nationalGroup, 'invalid_choice', '国の区分はオンライン化の目標にだけ、mynumber27 / priority24 / city で指定できます');
      else scope.nationalGroup = group;
    }
    if (rawScope.fields !== undefined) {
      const rawFields = rawScope.fields as Record<string, unknown>;
      if (typeof rawFields !== 'object' || rawFields === null || Array.isArray(rawFields)) {
        add('scope.fields', '', 'invalid_scope', 'scope.fields は { "列のキー": "選択肢" } のオブジェクトで指定してください');
      } else {
        const fields: Record<string, string> = {};
        for (const [key, value] of Object.entries(rawFields)) {
          const field = isProgramKey(program) ? getProgram(program).extraFields.find((candidate) => candidate.key === key && candidate.kind === 'choice') : undefined;
          const choice = field && (typeof value === 'string' || typeof value === 'number') ? matchChoice(field.choices ?? [], normalizeMatchValue(String(value))) : undefined;
          if (!field) add(`scope.fields.${key}`, value, 'invalid_scope', `「${key}」はこの取組の選択肢の列ではありません`);
          else if (!choice) add(`scope.fields.${key}`, value, 'invalid_choice', `${field.header}「${String(value ?? '')}」は使えません（${(field.choices ?? []).map((c) => c.label).join('・')} のいずれか）`);
          else fields[key] = choice;
        }
        if (Object.keys(fields).length) scope.fields = fields;
      }
    }
    if (rawScope.department !== undefined) {
      try {
        scope.department = (await this.organization.resolveDepartment(String(rawScope.department), this.clock.today())).code;
      } catch (error) {
        add('scope.department', rawScope.department, 'unknown_department', (error as Error).message);
      }
    }
    if (rawScope.codes !== undefined) {
      if (!Array.isArray(rawScope.codes) || !rawScope.codes.every((code) => typeof code === 'string' || typeof code === 'number')) {
        add('scope.codes', '', 'invalid_scope', 'scope.codes は管理番号の配列で指定してください');
      } else scope.codes = [...new Set(rawScope.codes.map((code) => normalizeCode(code as string)))];
    }
    if (problems.length) throw validationError(problems);
    return { id, program: program as string, label, deadline: deadline!, scope };
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
