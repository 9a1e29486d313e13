import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiMonth, monthOf } from '../calendar';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { WorkBudget } from '../common/work-budget';
import { DomainError, forbidden } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { importMessages } from '../imports/import-parser';
import { ImportRowError, ImportSummary, ImportWarning, MAX_REPORTED_ERRORS } from '../imports/import.types';
import { fileError } from '../imports/imports.service';
import { matchChoice } from '../items/item-fields';
import { Item } from '../items/item.entity';
import { canEditDivision } from '../items/access-rules';
import { Division } from '../organization/division.entity';
import { openKeyedSheet, KeyedRow, KeyedSheet } from '../plans/keyed-sheet';
import { getProgram, nationalGroups, stateLabel } from '../programs/program-definitions';
import { normalizeMatchValue, SheetFormatError } from '../sheets';
import { ChannelVolume } from './channel-volume.entity';
import { summarizeTakeUp, TakeUpSummary, takeUpPeriod } from './take-up';
import { normalizeVolumeRow, VOLUME_COLUMNS, VOLUME_SHEET_NAMES, VolumeColumn, volumeMessages, VolumeValues } from './volume-rows';
import { dialectOf, fieldSql } from '../database/json-fields';

/** The volumes import result: the item import's shape (CONTRACT.md "Import") without `program`. */
export interface VolumeImportResult {
  applied: boolean;
  dryRun: boolean;
  summary: ImportSummary;
  errors: ImportRowError[];
  errorsOmitted?: number;
  warnings: ImportWarning[];
}

export interface VolumeImportRequest {
  path: string;
  /** The name the user knows the file by, for the audit log. */
  fileName: string;
  actor: Actor;
  dryRun: boolean;
  sheetName?: string;
  /** Stops the import when the client goes away or the time limit passes (nothing written). */
  budget?: WorkBudget;
}

export interface TakeUpReport extends TakeUpSummary {
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  nationalGroup: string | null;
  status: string | null;
}

/** One (item, month) count: what a sheet row or the demo writes. */
export interface VolumeWrite {
  itemId: number;
  month: string;
  online: number;
  offline: number;
}

// Rows looked up per query: keeps IN lists short and memory bounded on a large sheet.
const CHUNK = 500;

interface PendingRow {
  row: KeyedRow;
  values: VolumeValues;
}

@Injectable()
export class VolumesService {
  constructor(
    @InjectRepository(ChannelVolume) private readonly volumes: Repository<ChannelVolume>,
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reads the sheet 件数 and upserts by (procedure, month): every row or nothing. */
  async importFile(request: VolumeImportRequest): Promise<VolumeImportResult> {
    const { actor } = request;
    if (actor.role !== 'admin' && actor.role !== 'editor') throw forbidden('件数の取り込みは管理者と編集者だけができます');
    const currentMonth = monthOf(this.clock.today());
    const owners = new Map((await this.divisions.find({ select: { id: true, name: true, departmentId: true } })).map((row) => [row.id, row]));
    const summary: ImportSummary = { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 };
    const errors: ImportRowError[] = [];
    const writes: VolumeWrite[] = [];
    let warnings: ImportWarning[] = [];
    let sheet: KeyedSheet;
    const report = (row: KeyedRow, column: VolumeColumn, code: string, message: string) => {
      summary.errors++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: row.rowNumber, column: sheet.columnName(column), value: sheet.asWritten(row, column), code, message });
    };
    const firstRow = new Map<string, number>();
    const resolve = async (pending: PendingRow[]) => {
      if (!pending.length) return;
      const codes = [...new Set(pending.map((entry) => entry.values.code))];
      const found = await this.items.find({ where: { program: 'online', code: In(codes) }, select: { id: true, code: true, divisionId: true } });
      const byCode = new Map(found.map((item) => [item.code, item]));
      for (const { row, values } of pending) {
        const item = byCode.get(values.code);
        if (!item) {
          report(row, 'code', 'unknown_code', volumeMessages.unknownCode(values.code));
          continue;
        }
        const owner = owners.get(item.divisionId);
        if (!owner || !canEditDivision(actor, owner.departmentId)) {
          report(row, 'code', 'forbidden_division', volumeMessages.forbidden(values.code, owner?.name ?? String(item.divisionId)));
          continue;
        }
        writes.push({ itemId: item.id, month: values.month, online: values.online, offline: values.offline });
      }
    };
    try {
      sheet = await openKeyedSheet(request.path, VOLUME_COLUMNS, { sheetName: request.sheetName, preferredSheetNames: VOLUME_SHEET_NAMES, checkpoint: request.budget?.checkpoint });
      warnings = sheet.header.unknownHeaders.map(({ header }) => ({
        row: sheet.header.rowNumber,
        column: header,
        code: 'unknown_column',
        message: importMessages.unknownColumn(header),
      }));
      let pending: PendingRow[] = [];
      for await (const row of sheet.rows) {
        summary.rows++;
        const normalized = normalizeVolumeRow(row.cells, currentMonth);
        if ('problems' in normalized) {
          for (const problem of normalized.problems) report(row, problem.column, problem.code, problem.message);
          continue;
        }
        const key = `${normalized.values.code}\u0000${normalized.values.month}`;
        const first = firstRow.get(key);
        if (first !== undefined) {
          report(row, 'month', 'duplicate_row', volumeMessages.duplicate(normalized.values.code, normalized.values.month, first));
          continue;
        }
        firstRow.set(key, row.rowNumber);
        pending.push({ row, values: normalized.values });
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

    // Code lookups run per chunk after the cell checks: put the errors back in sheet order.
    errors.sort((a, b) => a.row - b.row);
    const result: VolumeImportResult = { applied: false, dryRun: request.dryRun, summary, errors, warnings };
    if (summary.errors > errors.length) result.errorsOmitted = summary.errors - errors.length;
    const detail = (applied: boolean) => ({ file: request.fileName, dryRun: request.dryRun, applied, summary });
    if (request.dryRun || summary.errors > 0) {
      Object.assign(summary, await this.classify(this.volumes.manager, writes));
      await this.audit.record(actor, 'volumes_import', detail(false));
      return result;
    }
    request.budget?.check();
    await this.transactions.run(async (manager) => {
      // Counted again inside the transaction: what is stored now decides created / updated.
      Object.assign(summary, await this.classify(manager, writes));
      await this.upsertWithin(manager, writes);
      await this.audit.record(actor, 'volumes_import', detail(true), manager);
    });
    result.applied = true;
    return result;
  }

  /** How many of `writes` would create a month, change one, or leave it as stored. */
  private async classify(manager: EntityManager, writes: VolumeWrite[]): Promise<Pick<ImportSummary, 'created' | 'updated' | 'unchanged'>> {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (let offset = 0; offset < writes.length; offset += CHUNK) {
      const chunk = writes.slice(offset, offset + CHUNK);
      const stored = await manager.getRepository(ChannelVolume).find({
        where: { itemId: In([...new Set(chunk.map((write) => write.itemId))]), month: In([...new Set(chunk.map((write) => write.month))]) },
      });
      const byKey = new Map(stored.map((row) => [`${row.itemId}\u0000${row.month}`, row]));
      for (const write of chunk) {
        const existing = byKey.get(`${write.itemId}\u0000${write.month}`);
        if (!existing) counts.created++;
        else if (existing.online === write.online && existing.offline === write.offline) counts.unchanged++;
        else counts.updated++;
      }
    }
    return counts;
  }

  /** Inserts or replaces the counts of (item, month), in the caller's transaction (also the demo's). */
  async upsertWithin(manager: EntityManager, writes: VolumeWrite[]): Promise<void> {
    const updatedAt = this.clock.now().toISOString();
    for (let offset = 0; offset < writes.length; offset += CHUNK) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(ChannelVolume)
        .values(writes.slice(offset, offset + CHUNK).map((write) => ({ ...write, updatedAt })))
        .orUpdate(['online_count', 'offline_count', 'updated_at'], ['item_id', 'month'])
        .execute();
    }
  }

  /** Take-up per online procedure (worst first), per national group and in total, over a period of months. */
  async takeUp(query: { from?: string; to?: string; nationalGroup?: string; status?: string }): Promise<TakeUpReport> {
    const period = takeUpPeriod(query.from, query.to, this.clock.today());
    let group: string | null = null;
    if (query.nationalGroup) {
      group = matchChoice(nationalGroups(), normalizeMatchValue(query.nationalGroup)) ?? null;
      if (!group) throw new DomainError('invalid_choice', `国の区分「${query.nationalGroup}」は使えません（${nationalGroups().map((choice) => choice.label).join('・')}）`);
    }
    // status=online narrows to the procedures already online: a low take-up there is the finding.
    let status: string | null = null;
    if (query.status) {
      const states = getProgram('online').states;
      status = matchChoice(states, normalizeMatchValue(query.status)) ?? null;
      if (!status) throw new DomainError('invalid_status', `状況「${query.status}」はオンライン化にありません（${states.map((state) => state.label).join('・')}）`);
    }
    const nationalGroup = fieldSql('item', 'nationalGroup', dialectOf(this.items.manager.connection.options));
    const builder = this.items
      .createQueryBuilder('item')
      .leftJoin(ChannelVolume, 'volume', 'volume.item_id = item.id AND volume.month >= :from AND volume.month <= :to', period)
      .select(['item.code AS code', 'item.name AS name', `${nationalGroup} AS national_group`, 'item.status AS status'])
      .addSelect('COALESCE(SUM(volume.online_count), 0)', 'online')
      .addSelect('COALESCE(SUM(volume.offline_count), 0)', 'offline')
      .where('item.program = :program', { program: 'online' })
      .groupBy('item.id')
      .addGroupBy('item.code')
      .addGroupBy('item.name')
      .addGroupBy(nationalGroup)
      .addGroupBy('item.status');
    if (group) builder.andWhere(`${nationalGroup} = :group`, { group });
    if (status) builder.andWhere('item.status = :status', { status });
    const rows = await builder.getRawMany<Record<string, unknown>>();
    const summary = summarizeTakeUp(
      rows.map((row) => ({
        code: String(row.code),
        name: String(row.name),
        nationalGroup: (row.national_group as string | null) ?? null,
        status: String(row.status),
        statusLabel: stateLabel('online', String(row.status)),
        online: Number(row.online),
        offline: Number(row.offline),
      })),
    );
    return {
      from: period.from,
      to: period.to,
      fromLabel: formatWarekiMonth(period.from),
      toLabel: formatWarekiMonth(period.to),
      nationalGroup: group,
      status,
      ...summary,
    };
  }
}
