import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiMonth, monthOf } from '../calendar';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, forbidden } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { ImportResult, ImportSummary } from '../imports/import.types';
import { matchChoice } from '../items/item-fields';
import { Item } from '../items/item.entity';
import { canEditDivision } from '../items/access-rules';
import { Division } from '../organization/division.entity';
import { getProgram, nationalGroups, stateLabel } from '../programs/program-definitions';
import { runSheetImport, SheetImportRequest } from '../sheet-import/sheet-pipeline';
import { normalizeMatchValue } from '../sheets';
import { ChannelVolume } from './channel-volume.entity';
import { summarizeTakeUp, TakeUpSummary, takeUpPeriod } from './take-up';
import { volumeMessages, VolumeSheetRules, VolumeWrite } from './volume-rows';
import { dialectOf, fieldSql } from '../database/json-fields';

/** The volumes import result: the item import's shape (CONTRACT.md "Import") without `program` and `plan`. */
export type VolumeImportResult = Omit<ImportResult, 'program' | 'plan'>;

export type VolumeImportRequest = SheetImportRequest & {
  /** The name the user knows the file by, for the audit log. */
  fileName: string;
};

export interface TakeUpReport extends TakeUpSummary {
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  nationalGroup: string | null;
  status: string | null;
}

export type { VolumeWrite } from './volume-rows';

// Rows written per statement, and counted against what is stored per query.
const CHUNK = 500;

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
    const owners = new Map((await this.divisions.find({ select: { id: true, name: true, departmentId: true } })).map((row) => [row.id, row]));
    const rules = new VolumeSheetRules(monthOf(this.clock.today()), {
      find: (codes) => this.items.find({ where: { program: 'online', code: In(codes) }, select: { id: true, code: true, divisionId: true } }),
      owners,
      mayEdit: (departmentId) => canEditDivision(actor, departmentId),
      unknownCode: volumeMessages.unknownCode,
      forbidden: volumeMessages.forbidden,
    });
    const summary: ImportSummary = { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 };
    const outcome = await runSheetImport(
      {
        rules,
        plan: async (sheet, manager) => {
          summary.rows = sheet.rows;
          summary.errors = sheet.errorCount;
          // What is stored now decides created / updated (inside the transaction when applying).
          return Object.assign(summary, await this.classify(manager ?? this.volumes.manager, rules.writes));
        },
        apply: (_summary, manager) => this.upsertWithin(manager, rules.writes),
        audit: { action: 'volumes_import', detail: (applied) => ({ file: request.fileName, dryRun: request.dryRun, applied, summary }) },
      },
      request,
      { transactions: this.transactions, audit: this.audit },
    );
    const { sheet } = outcome;
    const result: VolumeImportResult = { applied: outcome.applied, dryRun: request.dryRun, summary, errors: sheet.errors, warnings: sheet.warnings };
    if (sheet.errorsOmitted) result.errorsOmitted = sheet.errorsOmitted;
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
