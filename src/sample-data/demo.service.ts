import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { addMonthsToMonth, monthOf } from '../calendar';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { HistoryInsert, insertHistory, insertItems, replaceItem } from '../items/items.repository';
import { Transactions } from '../database/transactions';
import { HistoryRow } from '../items/item-changes';
import { Item } from '../items/item.entity';
import { StatusHistory } from '../items/status-history.entity';
import { OrganizationService } from '../organization/organization.service';
import { TargetPlan } from '../plans/target-plan.entity';
import { MAX_PLAN_MONTHS } from '../plans/plan-math';
import { PlansService } from '../plans/plans.service';
import { isDoneState, isExcludedState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { TargetView } from '../targets/target-rules';
import { inTargetScope } from '../targets/target-scope';
import { TargetsService } from '../targets/targets.service';
import { ChannelVolume } from '../volumes/channel-volume.entity';
import { VolumeWrite, VolumesService } from '../volumes/volumes.service';
import { DEFAULT_SAMPLE_SEED, evenPlan, historyStart, SAMPLE_PROFILES, sampleItemBatches, sampleVolumes, seededTimelines, VolumeProcedure } from './generator';
import { applySampleChanges, SAMPLE_ACTOR, sampleRows } from './sample-rows';

export interface DemoOptions {
  items: number;
  seed?: number;
}

export interface DemoSummary {
  asOf: string;
  /** Sample items per program key, in SAMPLE_PROFILES order. */
  items: Record<string, number>;
  /** Seeded national procedures given a sample path (relabelled 【サンプル】). */
  nationalProcedures: number;
  historyRows: number;
  plans: { target: string; months: number; totalPlanned: number }[];
  volumes: { from: string; to: string; rows: number };
}

export const MAX_DEMO_ITEMS = 200_000;
// Months of channel volumes: the last full year before the current month.
const VOLUME_MONTHS = 12;
const ITEM_BATCH = 1000;
const VOLUME_BATCH = 5000;

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
      // Per target: its items that are not excluded, what the sample's plan spreads to the deadline.
      const planTotals = new Map<string, number>();
      const onlineProcedures: (VolumeProcedure & { itemId: number })[] = [];
      const summary: DemoSummary = {
        asOf: today,
        items: Object.fromEntries(SAMPLE_PROFILES.map((profile) => [profile.program, 0])),
        nationalProcedures: 0,
        historyRows: 0,
        plans: [],
        volumes: { from: '', to: '', rows: 0 },
      };
      const writeHistory = async (rows: HistoryInsert[]) => {
        await insertHistory(manager, rows);
        summary.historyRows += rows.length;
      };
      const remember = (row: Pick<Item, 'program' | 'code' | 'fields' | 'divisionId' | 'status' | 'statusEffectiveOn'>, itemId: number) => {
        if (!isExcludedState(row.program as ProgramKey, row.status)) {
          const subject = { program: row.program, nationalGroup: (row.fields.nationalGroup as string | undefined) ?? null, departmentCode: departmentOf.get(row.divisionId), code: row.code };
          for (const target of targets) if (inTargetScope(target, subject)) planTotals.set(target.id, (planTotals.get(target.id) ?? 0) + 1);
        }
        if (row.program === 'online') {
          const onlineSince = isDoneState('online', row.status) ? row.statusEffectiveOn : null;
          onlineProcedures.push({ itemId, code: row.code, annualVolume: Number(row.fields.annualVolume ?? 0), onlineSince });
        }
      };

      // The seeded national procedures: relabelled and moved along their path to online.
      const seeded = await manager.getRepository(Item).find({ where: { program: 'online' }, order: { code: 'ASC' } });
      const deadlines: Record<string, string> = {};
      for (const target of targets) if (target.program === 'online' && target.scope.nationalGroup) deadlines[target.scope.nationalGroup] = target.deadline;
      const timelines = seededTimelines(seeded.map((item) => ({ code: item.code, name: item.name, nationalGroup: (item.fields.nationalGroup as string | undefined) ?? null })), { today, deadlines, seed });
      const seededHistory: HistoryInsert[] = [];
      for (const item of seeded) {
        const timeline = timelines.get(item.code)!;
        const history: HistoryRow[] = [];
        applySampleChanges(item, [{ on: timeline.editOn, fields: timeline.edit }, ...timeline.changes], history);
        const { id, division: _division, ...row } = item;
        await replaceItem(manager, id, row);
        seededHistory.push(...history.map((entry) => ({ ...entry, itemId: id })));
        remember(item, id);
      }
      await writeHistory(seededHistory);
      summary.nationalProcedures = seeded.length;

      // The sample inventories, in batches.
      const generated = sampleItemBatches({ count: options.items, today, divisionCodes: divisions.map((division) => division.code), seed }, ITEM_BATCH);
      for (const batch of generated) {
        const rows = batch.map((item) => sampleRows(item, divisionByCode.get(item.initial.division)!.id));
        const ids = await insertItems(manager, rows.map((entry) => entry.row));
        const history: HistoryInsert[] = [];
        rows.forEach((entry, index) => {
          history.push(...entry.history.map((row) => ({ ...row, itemId: ids[index] })));
          remember(entry.row, ids[index]);
          summary.items[entry.row.program as ProgramKey]++;
        });
        await writeHistory(history);
      }

      // A monthly plan per target: what remains in scope, evenly to the deadline.
      const firstMonth = monthOf(historyStart(today));
      for (const target of targets) {
        const months = this.planFor(target, planTotals.get(target.id) ?? 0, firstMonth);
        if (!months.length) continue;
        await this.plans.replaceWithin(manager, target.id, months, SAMPLE_ACTOR);
        summary.plans.push({ target: target.id, months: months.length, totalPlanned: months.reduce((sum, entry) => sum + entry.planned, 0) });
      }

      // Channel volumes of the online procedures over the last full year.
      const lastMonth = addMonthsToMonth(monthOf(today), -1);
      const months = Array.from({ length: VOLUME_MONTHS }, (_, index) => addMonthsToMonth(lastMonth, index - VOLUME_MONTHS + 1));
      const itemIdByCode = new Map(onlineProcedures.map((procedure) => [procedure.code, procedure.itemId]));
      let batch: VolumeWrite[] = [];
      for (const volume of sampleVolumes(onlineProcedures, months, seed)) {
        batch.push({ itemId: itemIdByCode.get(volume.code)!, month: volume.month, online: volume.online, offline: volume.offline });
        summary.volumes.rows++;
        if (batch.length >= VOLUME_BATCH) {
          await this.volumes.upsertWithin(manager, batch);
          batch = [];
        }
      }
      await this.volumes.upsertWithin(manager, batch);
      summary.volumes.from = months[0];
      summary.volumes.to = months[months.length - 1];
      return summary;
    });
  }

  /** An even plan of `total` completions from the sample's first month to the target's deadline (five years at most). */
  private planFor(target: TargetView, total: number, firstMonth: string): { month: string; planned: number }[] {
    const deadlineMonth = monthOf(target.deadline);
    if (!total || deadlineMonth < firstMonth) return [];
    const lastMonth = [deadlineMonth, addMonthsToMonth(firstMonth, MAX_PLAN_MONTHS - 1)].sort()[0]; // the earlier of the two
    return evenPlan(total, firstMonth, lastMonth);
  }
}
