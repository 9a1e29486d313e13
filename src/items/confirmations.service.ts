import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, notFound } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { stateLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { confirmationChange, reportAction, StatusSnapshot } from './confirmation-rules';
import { ItemReport } from './item-report.entity';
import { Item } from './item.entity';
import { HistoryInsert, insertHistory, updateItem } from './items.repository';

export interface ItemWrite {
  itemId: number;
  program: ProgramKey;
  before: StatusSnapshot | null;
  afterStatus: string;
  statusWritten: boolean;
  /**
   * Whether the item had a pending report when it was read, if the caller read it in the same
   * snapshot as the version its write is checked on (a report changes only with a version bump,
   * so a write that matched that version met the same report); unknown: looked up.
   */
  pending?: boolean;
}

/** Whether the confirmation rules can do anything to this write (no lookup, no write when not). */
function mayAct(write: ItemWrite, role: Actor['role']): boolean {
  // an item the write creates has no report yet
  const pendings = write.before === null ? [false] : write.pending === undefined ? [false, true] : [write.pending];
  return pendings.some((pending) => reportAction({ ...write, role, pending }).action !== 'none');
}

export interface ConfirmationResult {
  action: 'confirmed' | 'returned';
  count: number;
  items: { id: number; code: string; status: string; statusLabel: string }[];
}

/** At most this many items per confirm or return request. */
export const MAX_CONFIRM_IDS = 5000;
const REASON_MAX = 2000;

// Reported completions (報告済): recorded by every write path (PATCH, create, import) in the
// write's own transaction; confirmed or returned by an administrator, one item or many at once.
@Injectable()
export class ConfirmationsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Whether `afterWrites` could change any report for these writes (else it needs no transaction). */
  mayAct(actor: Actor, writes: readonly ItemWrite[]): boolean {
    return writes.some((write) => mayAct(write, actor.role));
  }

  /** Applies the confirmation rules to writes just made in `manager`'s transaction; true when a report was written or cleared. */
  async afterWrites(manager: EntityManager, actor: Actor, writes: readonly ItemWrite[], nowIso: string): Promise<boolean> {
    // Most writes cannot touch a report whether or not one is pending (an edit of a name, any
    // write in a program without confirmDone): those cost no lookup.
    const relevant = writes.filter((write) => mayAct(write, actor.role));
    if (!relevant.length) return false;
    const repository = manager.getRepository(ItemReport);
    const pending = new Set<number>();
    for (const write of relevant) if (write.pending) pending.add(write.itemId);
    // only updates can have a pending report; look them up in chunks (IN lists stay small)
    const updatedIds = relevant.filter((write) => write.before !== null && write.pending === undefined).map((write) => write.itemId);
    for (let offset = 0; offset < updatedIds.length; offset += 500) {
      const rows = await repository.find({ where: { itemId: In(updatedIds.slice(offset, offset + 500)) }, select: { itemId: true } });
      for (const row of rows) pending.add(row.itemId);
    }
    const inserts: ItemReport[] = [];
    const clears: number[] = [];
    for (const write of relevant) {
      const decision = reportAction({ ...write, role: actor.role, pending: pending.has(write.itemId) });
      if (decision.action === 'clear') clears.push(write.itemId);
      else if (decision.action === 'report') {
        inserts.push({
          itemId: write.itemId,
          reportedStatus: write.afterStatus,
          reportedAt: nowIso,
          reportedBy: actor.name,
          previousStatus: decision.previous.status,
          previousEffectiveOn: decision.previous.statusEffectiveOn,
          previousCompletedOn: decision.previous.completedOn,
        });
      }
    }
    for (let offset = 0; offset < clears.length; offset += 500) await repository.delete({ itemId: In(clears.slice(offset, offset + 500)) });
    for (let offset = 0; offset < inserts.length; offset += 200) await repository.insert(inserts.slice(offset, offset + 200));
    return clears.length > 0 || inserts.length > 0;
  }

  /** Confirms reported completions: they count as done from their completion date. All or nothing. */
  confirm(ids: readonly number[], actor: Actor): Promise<ConfirmationResult> {
    return this.settle(ids, actor, 'confirmed', null);
  }

  /** Returns reported completions with a reason: each item goes back to the state it was reported from. */
  returnItems(ids: readonly number[], reason: unknown, actor: Actor): Promise<ConfirmationResult> {
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (!text) throw new DomainError('reason_required', '差戻しには理由（reason）が必要です');
    if (text.length > REASON_MAX) throw new DomainError('too_long', `理由は${REASON_MAX}文字以内で入力してください`);
    return this.settle(ids, actor, 'returned', text);
  }

  private async settle(ids: readonly number[], actor: Actor, outcome: 'confirmed' | 'returned', reason: string | null): Promise<ConfirmationResult> {
    const unique = [...new Set(ids)];
    if (!unique.length) throw new DomainError('ids_required', '対象の項目（ids）を1件以上指定してください');
    if (unique.length > MAX_CONFIRM_IDS) throw new DomainError('too_many_ids', `一度に指定できるのは${MAX_CONFIRM_IDS}件までです`);
    const nowIso = this.clock.now().toISOString();
    return this.transactions.run(async (manager) => {
      const items: Item[] = [];
      const reports = new Map<number, ItemReport>();
      for (let offset = 0; offset < unique.length; offset += 500) {
        const chunk = unique.slice(offset, offset + 500);
        items.push(...(await manager.getRepository(Item).find({ where: { id: In(chunk) } })));
        for (const report of await manager.getRepository(ItemReport).find({ where: { itemId: In(chunk) } })) reports.set(report.itemId, report);
      }
      if (items.length !== unique.length) {
        const found = new Set(items.map((item) => item.id));
        const missing = unique.filter((id) => !found.has(id));
        if (unique.length === 1) throw notFound('項目', missing[0]);
        throw new DomainError('invalid_id', `存在しない項目が含まれています: ${missing.slice(0, 20).join(', ')}`, 400, { ids: missing });
      }
      const notReported = items.filter((item) => reports.get(item.id)?.reportedStatus !== item.status);
      if (notReported.length) {
        const codes = notReported.map((item) => item.code);
        throw new DomainError(
          'not_reported',
          `報告済（確認待ち）ではない項目が含まれています: ${codes.slice(0, 20).join('、')}${codes.length > 20 ? ` ほか${codes.length - 20}件` : ''}（何も変更していません）`,
          409,
          { codes },
        );
      }
      const history: HistoryInsert[] = [];
      for (const item of items) {
        const report = reports.get(item.id)!;
        // through the one writer, on the version read here: an edit in between stops the whole request
        const planned =
          outcome === 'confirmed'
            ? {
                set: { updatedAt: nowIso },
                // same state, same effective date: the as-of state does not move, the record says who confirmed
                history: { at: nowIso, by: actor.name, fromStatus: item.status, toStatus: item.status, effectiveOn: item.statusEffectiveOn, note: null, changes: confirmationChange('confirmed') },
              }
            : {
                set: { status: report.previousStatus, statusEffectiveOn: report.previousEffectiveOn, completedOn: report.previousCompletedOn, updatedAt: nowIso },
                // effective on the reported date, recorded after the report: for every date on or
                // after it the return is the latest row, so the returned completion counts on no date
                history: { at: nowIso, by: actor.name, fromStatus: item.status, toStatus: report.previousStatus, effectiveOn: item.statusEffectiveOn, note: reason, changes: confirmationChange('returned') },
              };
        const written = await updateItem(manager, { id: item.id, version: item.version, ...planned }, { deferHistory: true });
        if (!written) throw new DomainError('version_conflict', `項目「${item.code}」は他の人が先に更新しました。再読み込みしてからやり直してください（何も変更していません）`, 409);
        if (written.history) history.push(written.history);
      }
      await insertHistory(manager, history);
      for (let offset = 0; offset < unique.length; offset += 500) await manager.getRepository(ItemReport).delete({ itemId: In(unique.slice(offset, offset + 500)) });
      await this.audit.record(actor, outcome === 'confirmed' ? 'completion_confirmed' : 'completion_returned', { count: items.length, codes: items.slice(0, 100).map((item) => item.code), ...(reason ? { reason } : {}) }, manager);
      return {
        action: outcome,
        count: items.length,
        items: items.map((item) => {
          const status = outcome === 'confirmed' ? item.status : reports.get(item.id)!.previousStatus;
          return { id: item.id, code: item.code, status, statusLabel: stateLabel(item.program as ProgramKey, status) };
        }),
      };
    });
  }
}
