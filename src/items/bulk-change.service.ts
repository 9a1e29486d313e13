import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, forbidden, validationError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { attachmentCountsByItem } from '../attachments/attachments.service';
import { evidenceMissing } from '../attachments/evidence-rule';
import { getProgram, isDoneState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { BulkItemError, MAX_BULK_ITEMS, planBulkChange } from './bulk-change';
import { normalizeItemFields } from './item-fields';
import { HistoryInsert, insertHistory, updateItem } from './items.repository';
import { ItemListFilters, ItemsService, writeOf } from './items.service';
import { ConfirmationsService } from './confirmations.service';

export interface BulkChangeRequest {
  /** The items chosen one by one … */
  ids?: number[];
  /** … or every item matching the list's filters (「すべて選択」). */
  filter?: Omit<ItemListFilters, 'page' | 'pageSize'>;
  status: string;
  completedOn?: string;
  note?: string;
  /** The count the user confirmed; a different count now (someone changed items) stops it. */
  expectedCount?: number;
}

export interface BulkChangeResult {
  program: ProgramKey;
  /** Items chosen. */
  matched: number;
  /** Items changed (one history row each). */
  updated: number;
  /** Items already in that state with that date and note. */
  unchanged: number;
}

@Injectable()
export class BulkChangeService {
  constructor(
    private readonly items: ItemsService,
    private readonly transactions: Transactions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly confirmations: ConfirmationsService,
  ) {}

  async change(program: ProgramKey, request: BulkChangeRequest, actor: Actor): Promise<BulkChangeResult> {
    if (actor.role !== 'admin' && actor.role !== 'editor') throw forbidden('一括変更は管理者と編集者だけができます');
    const raw: Record<string, unknown> = { status: request.status };
    if (request.completedOn) raw.completedOn = request.completedOn;
    // free text as typed; an empty note means "no note given"
    if (request.note !== undefined && request.note !== '') raw.note = request.note;
    const { values, problems } = normalizeItemFields(program, raw, { requireAll: false });
    if (problems.length) throw validationError(problems);

    const ids = await this.chosenIds(program, request);
    if (request.expectedCount !== undefined && request.expectedCount !== ids.length) {
      throw new DomainError(
        'bulk_count_changed',
        `対象の件数が確認したときの${request.expectedCount}件から${ids.length}件に変わりました。一覧を読み込み直してから、もう一度実行してください（何も変更していません）`,
        409,
      );
    }
    const stored = await this.items.findStoredMany(ids);
    const found = new Set(stored.map((row) => row.item.id));
    const errors: BulkItemError[] = ids
      .filter((id) => !found.has(id))
      .map((id) => ({ id, itemCode: '', field: null, code: 'not_found', message: `項目 ${id} が見つかりません` }));
    for (const row of stored) {
      if (row.item.program !== program) {
        errors.push({ id: row.item.id, itemCode: row.item.code, field: null, code: 'wrong_program', message: `${row.item.code}: ${getProgram(program).label}の項目ではありません` });
      }
    }
    const plan = planBulkChange(
      stored.filter((row) => row.item.program === program),
      values,
      { actor, today: this.clock.today(), nowIso: this.clock.now().toISOString() },
    );
    errors.push(...plan.errors);
    if (errors.length) {
      throw new DomainError(
        errors.length === 1 ? errors[0].code : 'bulk_change_refused',
        `${errors.length}件の問題があるため、どの項目も変更していません。${errors
          .slice(0, 3)
          .map((error) => error.message)
          .join('／')}${errors.length > 3 ? ' ほか' : ''}`,
        422,
        { errors },
      );
    }
    // through the items repository, like every item write: each update on the version read (a
    // change made meanwhile stops the whole bulk change), the history rows appended together
    const before = new Map(stored.map((row) => [row.item.id, row.item]));
    await this.transactions.run(async (manager) => {
      await this.assertEvidence(manager, program, stored, plan.updates);
      const history: HistoryInsert[] = [];
      for (const update of plan.updates) {
        const written = await updateItem(manager, { id: update.id, version: update.version, set: update.plan.set, history: update.plan.history }, { deferHistory: true });
        if (!written) {
          throw new DomainError('version_conflict', '一括変更の間に他の人が対象の項目を更新しました。読み込み直してからやり直してください（何も変更していません）', 409);
        }
        if (written.history) history.push(written.history);
      }
      await insertHistory(manager, history);
      // an editor's bulk completion in a program with confirmDone is reported, like a PATCH
      await this.confirmations.afterWrites(manager, actor, plan.updates.map((update) => writeOf(before.get(update.id)!, update.plan.set)), this.clock.now().toISOString());
    });
    return { program, matched: ids.length, updated: plan.updates.length, unchanged: plan.unchanged };
  }

  /** A program with evidenceForDone: every item the change moves into a done state needs a file first (as PATCH and import). */
  private async assertEvidence(
    manager: Parameters<typeof attachmentCountsByItem>[0],
    program: ProgramKey,
    stored: Awaited<ReturnType<ItemsService['findStoredMany']>>,
    updates: ReturnType<typeof planBulkChange>['updates'],
  ): Promise<void> {
    if (!getProgram(program).evidenceForDone) return;
    const before = new Map(stored.map((row) => [row.item.id, row.item]));
    const entering = updates.filter((update) => {
      const status = update.plan.set.status;
      const previous = before.get(update.id)?.status ?? '';
      return status !== undefined && isDoneState(program, status) && !isDoneState(program, previous);
    });
    if (!entering.length) return;
    const counts = await attachmentCountsByItem(manager, entering.map((update) => update.id));
    const errors: BulkItemError[] = entering
      .filter((update) => evidenceMissing({ evidenceRequired: true, entersDoneState: true, attachmentCount: counts.get(update.id) ?? 0 }))
      .map((update) => {
        const code = before.get(update.id)?.code ?? String(update.id);
        return { id: update.id, itemCode: code, field: null, code: 'evidence_required', message: `${code}: 完了にするには根拠資料を先に添付してください` };
      });
    if (errors.length) {
      throw new DomainError(
        errors.length === 1 ? 'evidence_required' : 'bulk_change_refused',
        `${errors.length}件に根拠資料が添付されていないため、どの項目も変更していません。${errors.slice(0, 3).map((error) => error.message).join('／')}${errors.length > 3 ? ' ほか' : ''}`,
        422,
        { errors },
      );
    }
  }

  private async chosenIds(program: ProgramKey, request: BulkChangeRequest): Promise<number[]> {
    if ((request.ids === undefined) === (request.filter === undefined)) {
      throw new DomainError('bulk_selection_required', '変更する項目を ids（項目の番号の一覧）か filter（一覧の絞り込み条件）のどちらか一方で指定してください');
    }
    let ids: number[];
    if (request.ids) {
      ids = [...new Set(request.ids)];
    } else {
      const page = await this.items.list(program, { ...request.filter, page: 1, pageSize: MAX_BULK_ITEMS + 1 });
      ids = page.items.map((item) => item.id);
    }
    if (!ids.length) throw new DomainError('bulk_nothing_selected', '変更する項目が選ばれていません');
    if (ids.length > MAX_BULK_ITEMS) {
      throw new DomainError('bulk_too_many', `一度に変更できるのは${MAX_BULK_ITEMS}件までです。条件で絞り込むか、シートの取り込みを使ってください`);
    }
    return ids;
  }
}
