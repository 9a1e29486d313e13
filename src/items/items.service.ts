import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { countAttachments } from '../attachments/attachments.service';
import { assertEvidence } from '../attachments/evidence-rule';
import { isSupportedDate, parseDateOrTermEnd } from '../calendar';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { clip, DomainError, FieldProblem, forbidden, notFound, validationError } from '../common/domain-error';
import { hotQuery } from '../database/hot-query';
import { dialectOf, fieldSql } from '../database/json-fields';
import { Transactions } from '../database/transactions';
import { Department } from '../organization/department.entity';
import { Division } from '../organization/division.entity';
import { DivisionRef, OrganizationService, unknownDivision } from '../organization/organization.service';
import { getProgram, isDoneState, programFieldKeys, programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { normalizeMatchValue } from '../sheets/normalize';
import { canEditDivision } from './access-rules';
import { ConfirmationsService, ItemWrite } from './confirmations.service';
import { planCreate, planUpdate } from './item-changes';
import { fieldMessages, ItemValues, matchChoice, normalizeItemFields } from './item-fields';
import { ITEM_SELECT, itemSelectFrom, ItemView, ItemWithOrganization, toItemView, toItemWithOrganization } from './item-view';
import { Item } from './item.entity';
import { createItem, updateItemReadBack } from './items.repository';
import { StatusHistory } from './status-history.entity';

export interface ItemListFilters {
  status?: string;
  division?: string;
  department?: string;
  nationalGroup?: string;
  q?: string;
  /** Only completions awaiting confirmation (報告済). */
  reported?: boolean;
  page: number;
  pageSize: number;
}

export interface HistoryEntryView {
  at: string;
  by: string;
  from: string | null;
  to: string;
  effectiveOn: string | null;
  note: string | null;
  changes?: Record<string, [unknown, unknown]>;
}

/** Keys a body may carry besides the program's sheet fields. */
const CONTROL_KEYS = new Set(['version', 'effectiveOn']);

@Injectable()
export class ItemsService {
  constructor(
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(StatusHistory) private readonly history: Repository<StatusHistory>,
    private readonly organization: OrganizationService,
    private readonly transactions: Transactions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly confirmations: ConfirmationsService,
  ) {}

  /** Runs a raw select of item rows joined with their division and department (see ITEM_SELECT). */
  private async selectItems(where: string[], parameters: Record<string, unknown>, tail = '', manager?: EntityManager): Promise<ItemWithOrganization[]> {
    const sql = `${ITEM_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${tail}`;
    const runner = manager ?? this.items.manager;
    const [query, values] = runner.connection.driver.escapeQueryWithParameters(sql, parameters);
    const rows: Record<string, unknown>[] = await runner.query(query, values);
    return rows.map(toItemWithOrganization);
  }

  async list(program: ProgramKey, filters: ItemListFilters): Promise<{ items: ItemView[]; total: number; page: number; pageSize: number }> {
    const where = ['i.program = :program'];
    const parameters: Record<string, unknown> = { program };
    if (filters.status) {
      const key = matchChoice(getProgram(program).states, normalizeMatchValue(filters.status));
      if (!key) throw new DomainError('invalid_status', `状況「${filters.status}」は${getProgram(program).label}にありません`);
      where.push('i.status = :status');
      parameters.status = key;
    }
    if (filters.division) {
      const division = await this.organization.resolveDivision(filters.division);
      where.push('i.division_id = :divisionId');
      parameters.divisionId = division.id;
    }
    if (filters.department) {
      const department = await this.organization.resolveDepartment(filters.department, this.clock.today());
      where.push('d.department_id = :departmentId');
      parameters.departmentId = department.id;
    }
    if (filters.nationalGroup) {
      const field = programFields(program).find((candidate) => candidate.key === 'nationalGroup');
      const key = field?.choices ? matchChoice(field.choices, normalizeMatchValue(filters.nationalGroup)) : undefined;
      if (!key) throw new DomainError('invalid_choice', `国の区分「${filters.nationalGroup}」は使えません`);
      where.push(`${fieldSql('i', 'nationalGroup', dialectOf(this.items.manager.connection.options))} = :group`);
      parameters.group = key;
    }
    if (filters.q) {
      const needle = normalizeMatchValue(filters.q).toLowerCase().replace(/[\\%_]/g, (char: string) => `\\${char}`);
      where.push("i.search_text LIKE :needle ESCAPE '\\'");
      parameters.needle = `%${needle}%`;
    }
    if (filters.reported) where.push('EXISTS (SELECT 1 FROM item_reports r2 WHERE r2.item_id = i.id)');
    const countSql = `SELECT COUNT(*) AS n FROM items i JOIN divisions d ON d.id = i.division_id WHERE ${where.join(' AND ')}`;
    const [countQuery, countValues] = this.items.manager.connection.driver.escapeQueryWithParameters(countSql, parameters);
    const [{ n }] = await this.items.manager.query(countQuery, countValues);
    const rows = await this.selectItems(where, { ...parameters, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }, 'ORDER BY i.code LIMIT :limit OFFSET :offset');
    return { items: rows.map(toItemView), total: Number(n), page: filters.page, pageSize: filters.pageSize };
  }

  /** Ids of the program's reported items that the list's filters select (a bulk confirm over a filtered list). */
  async reportedIds(program: ProgramKey, filters: Omit<ItemListFilters, 'page' | 'pageSize' | 'reported'>): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const result = await this.list(program, { ...filters, reported: true, page, pageSize: 500 });
      ids.push(...result.items.map((item) => item.id));
      if (result.items.length < 500) return ids;
    }
  }

  /** The stored item with its division and current department (the read a PATCH plans against). */
  async findStored(id: number): Promise<ItemWithOrganization | undefined> {
    const placeholder = this.transactions.isSqlite ? '?' : '$1';
    const [stored] = (await hotQuery(this.items.manager, `${ITEM_SELECT} WHERE i.id = ${placeholder}`, [id])).rows;
    return stored ? toItemWithOrganization(stored) : undefined;
  }

  /** Several stored items by id (any order; ids not found are left out). */
  async findStoredMany(ids: readonly number[]): Promise<ItemWithOrganization[]> {
    const rows: ItemWithOrganization[] = [];
    for (let offset = 0; offset < ids.length; offset += 500) {
      const chunk = ids.slice(offset, offset + 500);
      const names = chunk.map((_, index) => `id${index}`);
      rows.push(...(await this.selectItems([`i.id IN (${names.map((name) => `:${name}`).join(', ')})`], Object.fromEntries(names.map((name, index) => [name, chunk[index]])))));
    }
    return rows;
  }

  async get(id: number, manager?: EntityManager): Promise<ItemView> {
    const [row] = await this.selectItems(['i.id = :id'], { id }, '', manager);
    if (!row) throw notFound('項目', id);
    return toItemView(row);
  }

  async create(program: ProgramKey, body: Record<string, unknown>, actor: Actor): Promise<ItemView> {
    rejectForeignKeys(program, body);
    const { values, problems } = normalizeItemFields(program, body, { requireAll: true });
    const effectiveOn = parseEffectiveOn(body.effectiveOn, problems);
    if (problems.length) throw validationError(problems);
    const division = await this.resolveDivisionFor(actor, values.division!);
    const planned = planCreate(program, values as ItemValues, division.id, {
      actor,
      today: this.clock.today(),
      nowIso: this.clock.now().toISOString(),
      effectiveOn,
    });
    if ('problems' in planned) throw validationError(planned.problems);
    const id = await this.transactions.run(async (manager) => {
      const existing = await manager.getRepository(Item).findOne({ where: { program, code: planned.row.code }, select: { id: true } });
      if (existing) throw new DomainError('code_exists', `管理番号「${planned.row.code}」は${getProgram(program).label}に既にあります`, 409);
      const itemId = await createItem(manager, planned.row, planned.history);
      await this.confirmations.afterWrites(manager, actor, [{ itemId, program, before: null, afterStatus: planned.row.status, statusWritten: true }], planned.row.createdAt);
      return itemId;
    });
    return this.get(id);
  }

  async update(id: number, body: Record<string, unknown>, actor: Actor): Promise<ItemView> {
    const stored = await this.findStored(id);
    if (!stored) throw notFound('項目', id);
    const existing = stored.item;
    const program = existing.program as ProgramKey;
    rejectForeignKeys(program, body);
    const version = body.version;
    if (typeof version !== 'number' || !Number.isInteger(version)) {
      throw new DomainError('version_required', '更新には取得時の version が必要です');
    }
    const { values, problems } = normalizeItemFields(program, body, { requireAll: false });
    const effectiveOn = parseEffectiveOn(body.effectiveOn, problems);
    if (problems.length) throw validationError(problems);
    if (!canEditDivision(actor, stored.departmentId)) throw forbidden('この項目は所属部局の項目ではないため変更できません');
    const newDivision = values.division !== undefined ? await this.resolveDivisionFor(actor, values.division) : undefined;
    if (version !== existing.version) throw staleVersion(existing.version);
    const planned = planUpdate(existing, values, newDivision?.id, {
      actor,
      today: this.clock.today(),
      nowIso: this.clock.now().toISOString(),
      effectiveOn,
    });
    if ('problems' in planned) throw validationError(planned.problems);
    const { plan } = planned;
    if (!plan.changed) return this.get(id);
    const entersDoneState = plan.set.status !== undefined && isDoneState(program, plan.set.status) && !isDoneState(program, existing.status);
    if (entersDoneState && getProgram(program).evidenceForDone) {
      assertEvidence({ evidenceRequired: true, entersDoneState, attachmentCount: await countAttachments(this.items.manager, id) }, existing.code);
    }
    // The report state read with the item holds at its version, which the write is checked on.
    const write = { ...writeOf(existing, plan.set), pending: stored.reportedAt !== null };
    const change = { id, version, set: plan.set, history: plan.history! };
    // One conditional UPDATE: of concurrent patches with the same version exactly one matches.
    // On PostgreSQL, when the confirmation rules have nothing to do, the write and its history
    // row are one statement and need no transaction (BEGIN and COMMIT would be two more round trips).
    if (!this.transactions.isSqlite && !this.confirmations.mayAct(actor, [write])) {
      const row = await updateItemReadBack(this.items.manager, change, itemSelectFrom);
      if (!row) throw staleVersion(null);
      return toItemView(toItemWithOrganization(row));
    }
    const row = await this.transactions.run(async (manager) => {
      const written = await updateItemReadBack(manager, change, itemSelectFrom);
      if (!written) throw staleVersion(null);
      const reportChanged = await this.confirmations.afterWrites(manager, actor, [write], plan.set.updatedAt ?? this.clock.now().toISOString());
      return reportChanged ? (await this.selectItems(['i.id = :id'], { id }, '', manager))[0] : toItemWithOrganization(written);
    });
    return toItemView(row);
  }

  async historyOf(id: number): Promise<{ entries: HistoryEntryView[] }> {
    const exists = await this.items.exists({ where: { id } });
    if (!exists) throw notFound('項目', id);
    const rows = await this.history.find({ where: { itemId: id }, order: { id: 'ASC' } });
    return {
      entries: rows.map((row) => {
        const entry: HistoryEntryView = {
          at: row.at,
          by: row.by,
          from: row.fromStatus,
          to: row.toStatus,
          effectiveOn: row.effectiveOn,
          note: row.note,
        };
        if (row.changes) entry.changes = JSON.parse(row.changes);
        return entry;
      }),
    };
  }

  private async resolveDivisionFor(actor: Actor, value: string): Promise<DivisionRef> {
    const index = await this.organization.currentDivisions();
    const division = index.find(value);
    if (!division) throw unknownDivision(value);
    if (!canEditDivision(actor, division.departmentId)) {
      throw forbidden(`所管課「${division.name}」は所属部局の課ではないため登録・変更できません`);
    }
    return division;
  }
}

/** What a planned update does to the status, for the confirmation rules. */
export function writeOf(existing: Item, set: Partial<Item>): ItemWrite {
  return {
    itemId: existing.id,
    program: existing.program as ProgramKey,
    before: { status: existing.status, statusEffectiveOn: existing.statusEffectiveOn, completedOn: existing.completedOn },
    afterStatus: set.status ?? existing.status,
    statusWritten: set.status !== undefined || set.completedOn !== undefined,
  };
}

function staleVersion(current: number | null): DomainError {
  const suffix = current === null ? '' : `（現在の version は ${current}）`;
  return new DomainError('version_conflict', `この項目は他の人が先に更新しました。再読み込みしてからやり直してください${suffix}`, 409);
}

function rejectForeignKeys(program: ProgramKey, body: Record<string, unknown>): void {
  const allowed = programFieldKeys(program);
  const foreign = Object.keys(body).filter((key) => body[key] !== undefined && !allowed.has(key) && !CONTROL_KEYS.has(key));
  if (foreign.length) {
    throw new DomainError('field_not_in_program', `${getProgram(program).label}の項目には使えない項目です: ${foreign.join(', ')}`, 400);
  }
}

function parseEffectiveOn(raw: unknown, problems: FieldProblem[]): string | null | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const parsed = typeof raw === 'string' ? parseDateOrTermEnd(raw) : null;
  if (!parsed) {
    problems.push({ field: 'effectiveOn', value: clip(String(raw)), code: 'invalid_date', message: `適用日「${clip(String(raw))}」は日付として読めません` });
    return undefined;
  }
  if (!isSupportedDate(parsed)) {
    problems.push({ field: 'effectiveOn', value: clip(String(raw)), code: 'date_out_of_range', message: fieldMessages.date_out_of_range('適用日', clip(String(raw))) });
    return undefined;
  }
  return parsed;
}
