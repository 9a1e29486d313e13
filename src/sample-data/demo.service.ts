import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { addMonthsToMonth, monthOf } from '../calendar';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { HistoryRow, ItemRow } from '../items/item-changes';
import { Item } from '../items/item.entity';
import { StatusHistory } from '../items/status-history.entity';
import { OrganizationService } from '../organization/organization.service';
import { TargetPlan } from '../plans/target-plan.entity';
import { MAX_PLAN_MONTHS } from '../plans/plan-math';
import { PlansService } from '../plans/plans.service';
import { isDoneState, isExcludedState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { inTargetScope } from '../progress/target-scope';
import { TargetsService, TargetView } from '../progress/targets.service';
import { ChannelVolume } from '../volumes/channel-volume.entity';
import { VolumeWrite, VolumesService } from '../volumes/volumes.service';
import { DEFAULT_SAMPLE_SEED, evenPlan, historyStart, sampleItemBatches, sampleVolumes, seededTimelines, VolumeProcedure } from './generator';
import { applySampleChanges, SAMPLE_ACTOR, sampleRows } from './sample-rows';

export interface DemoOptions {
  items: number;
  seed?: number;
}

export interface DemoSummary {
  asOf: string;
  items: Record<ProgramKey, number>;
  /** Seeded national procedures given a sample path (relabelled 【サンプル】). */
  nationalProcedures: number;
  historyRows: number;
  plans: { target: string; months: number; totalPlanned: number }[];
  volumes: { from: string; to: string; rows: number };
}

export const MAX_DEMO_ITEMS = 200_000;
// Months of channel volumes: the last full year before the current month.
const VOLUME_MONTHS = 12;
const ITEM_BATCH = 500;
const HISTORY_BATCH = 2000;

interface Placed {
  program: string;
  code: string;
  nationalGroup: string | null;
  divisionId: number;
  status: string;
}

@Injectable()
export class DemoService {
  constructor(
    private readonly transactions: Transactions,
    private readonly organization: OrganizationService,
    private readonly targets: TargetsService,
    private readonly plans: PlansService,
    private readonly volumes: VolumesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Refuses (database_not_empty) unless the database holds only the seeded reference data. */
  async assertEmpty(manager: EntityManager): Promise<void> {
    const counts = {
      sealOrAnalogItems: await manager.getRepository(Item).count({ where: { program: In(['seal', 'analog']) } }),
      changedOnlineItems: await manager.getRepository(Item).count({ where: { program: 'online', version: Not(1) } }),
      // The reference loader records as 'system'; anything else was done by a person or an import.
      historyByUsers: await manager.getRepository(StatusHistory).count({ where: { by: Not('system') } }),
      volumeRows: await manager.getRepository(ChannelVolume).count(),
      planMonths: await manager.getRepository(TargetPlan).count(),
    };
    if (Object.values(counts).some((count) => count > 0)) {
      throw new DomainError(
        'database_not_empty',
        'このデータベースには既に市のデータ（押印・アナログ規制の項目、変更された手続、件数または計画）があるため、サンプルデータを入れません。空のデータベースで実行してください（例: DATABASE_URL=sqlite:data/demo.sqlite npm run cli -- demo）',
        409,
        counts,
      );
    }
  }

  /** Fills an empty database with the labelled sample city, all in one transaction. */
  async fill(options: DemoOptions): Promise<DemoSummary> {
    if (!Number.isInteger(options.items) || options.items < 0 || options.items > MAX_DEMO_ITEMS) {
      throw new DomainError('invalid_parameter', `件数（--items）は0〜${MAX_DEMO_ITEMS.toLocaleString('ja-JP')}の整数で指定してください`);
    }
    const seed = options.seed ?? DEFAULT_SAMPLE_SEED;
    const today = this.clock.today();
    const divisions = (await this.organization.currentDivisions()).divisions;
    const divisionByCode = new Map(divisions.map((division) => [division.code, division]));
    const departmentOf = new Map(divisions.map((division) => [division.id, division.departmentCode]));
    const targets = await this.targets.list();

    return this.transactions.run(async (manager) => {
      await this.assertEmpty(manager);
      const placed: Placed[] = [];
      const onlineProcedures: (VolumeProcedure & { itemId: number })[] = [];
      const summary: DemoSummary = {
        asOf: today,
        items: { seal: 0, analog: 0, online: 0 },
        nationalProcedures: 0,
        historyRows: 0,
        plans: [],
        volumes: { from: '', to: '', rows: 0 },
      };
      const insertHistory = async (rows: (HistoryRow & { itemId: number })[]) => {
        for (let offset = 0; offset < rows.length; offset += HISTORY_BATCH) {
          await manager.getRepository(StatusHistory).insert(rows.slice(offset, offset + HISTORY_BATCH));
        }
        summary.historyRows += rows.length;
      };
      const remember = (row: Pick<Item, 'program' | 'code' | 'nationalGroup' | 'divisionId' | 'status' | 'annualVolume' | 'statusEffectiveOn'>, itemId: number) => {
        placed.push({ program: row.program, code: row.code, nationalGroup: row.nationalGroup, divisionId: row.divisionId, status: row.status });
        if (row.program === 'online') {
          const onlineSince = isDoneState('online', row.status) ? row.statusEffectiveOn : null;
          onlineProcedures.push({ itemId, code: row.code, annualVolume: row.annualVolume ?? 0, onlineSince });
        }
      };

      // The seeded national procedures: relabelled and moved along their path to online.
      const seeded = await manager.getRepository(Item).find({ where: { program: 'online' }, order: { code: 'ASC' } });
      const deadlines: Record<string, string> = {};
      for (const target of targets) if (target.program === 'online' && target.scope.nationalGroup) deadlines[target.scope.nationalGroup] = target.deadline;
      const timelines = seededTimelines(seeded, { today, deadlines, seed });
      const seededHistory: (HistoryRow & { itemId: number })[] = [];
      for (const item of seeded) {
        const timeline = timelines.get(item.code)!;
        const history: HistoryRow[] = [];
        applySampleChanges(item, [{ on: timeline.editOn, fields: timeline.edit }, ...timeline.changes], history);
        const { id, division: _division, ...row } = item;
        await manager.getRepository(Item).update(id, row);
        seededHistory.push(...history.map((entry) => ({ ...entry, itemId: id })));
        remember(item, id);
      }
      await insertHistory(seededHistory);
      summary.nationalProcedures = seeded.length;

      // The sample inventories, in batches.
      const generated = sampleItemBatches({ count: options.items, today, divisionCodes: divisions.map((division) => division.code), seed }, ITEM_BATCH);
      for (const batch of generated) {
        const rows = batch.map((item) => sampleRows(item, divisionByCode.get(item.initial.division)!.id));
        await manager.getRepository(Item).insert(rows.map((entry) => entry.row));
        const ids = await this.idsByCode(manager, rows.map((entry) => entry.row));
        const history: (HistoryRow & { itemId: number })[] = [];
        for (const entry of rows) {
          const itemId = ids.get(`${entry.row.program}\u0000${entry.row.code}`)!;
          history.push(...entry.history.map((row) => ({ ...row, itemId })));
          remember(entry.row, itemId);
          summary.items[entry.row.program as ProgramKey]++;
        }
        await insertHistory(history);
      }

      // A monthly plan per target: what remains in scope, evenly to the deadline.
      const firstMonth = monthOf(historyStart(today));
      for (const target of targets) {
        const months = this.planFor(target, placed, departmentOf, firstMonth);
        if (!months.length) continue;
        await this.plans.replaceWithin(manager, target.id, months, SAMPLE_ACTOR);
        summary.plans.push({ target: target.id, months: months.length, totalPlanned: months.reduce((sum, entry) => sum + entry.planned, 0) });
      }

      // Channel volumes of the online procedures over the last full year.
      const lastMonth = addMonthsToMonth(monthOf(today), -1);
      const months = Array.from({ length: VOLUME_MONTHS }, (_, index) => addMonthsToMonth(lastMonth, index - VOLUME_MONTHS + 1));
      const itemIdByCode = new Map(onlineProcedures.map((procedure) => [procedure.code, procedure.itemId]));
      const writes: VolumeWrite[] = [];
      for (const volume of sampleVolumes(onlineProcedures, months, seed)) {
        writes.push({ itemId: itemIdByCode.get(volume.code)!, month: volume.month, online: volume.online, offline: volume.offline });
      }
      await this.volumes.upsertWithin(manager, writes);
      summary.volumes = { from: months[0], to: months[months.length - 1], rows: writes.length };
      return summary;
    });
  }

  private async idsByCode(manager: EntityManager, rows: ItemRow[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    const byProgram = new Map<string, string[]>();
    for (const row of rows) {
      const codes = byProgram.get(row.program) ?? [];
      codes.push(row.code);
      byProgram.set(row.program, codes);
    }
    for (const [program, codes] of byProgram) {
      const found = await manager.getRepository(Item).find({ where: { program, code: In(codes) }, select: { id: true, code: true } });
      for (const item of found) result.set(`${program}\u0000${item.code}`, item.id);
    }
    return result;
  }

  /** Even plan of the target's items that are not excluded, from the sample's first month to the deadline. */
  private planFor(target: TargetView, placed: Placed[], departmentOf: Map<number, string>, firstMonth: string): { month: string; planned: number }[] {
    const deadlineMonth = monthOf(target.deadline);
    if (deadlineMonth < firstMonth) return [];
    const total = placed.filter(
      (item) =>
        inTargetScope(target, { program: item.program, nationalGroup: item.nationalGroup, departmentCode: departmentOf.get(item.divisionId), code: item.code }) &&
        !isExcludedState(item.program as ProgramKey, item.status),
    ).length;
    if (!total) return [];
    const lastMonth = [deadlineMonth, addMonthsToMonth(firstMonth, MAX_PLAN_MONTHS - 1)].sort()[0]; // the earlier of the two
    return evenPlan(total, firstMonth, lastMonth);
  }
}
