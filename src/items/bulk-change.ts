import { ChangeContext, planUpdate, UpdatePlan } from './item-changes';
import { ItemValues } from './item-fields';
import { ItemWithOrganization } from './item-view';
import { canEditDivision } from './access-rules';

// A bulk change (「一括変更」): one state, completion date and note applied to many items with
// exactly the rules of a single PATCH. Planned here without I/O; the service writes every planned
// row in one transaction, or nothing when any item is refused.

/** At most this many items per bulk change: a larger change is an import, not a click. */
export const MAX_BULK_ITEMS = 5000;

export interface BulkItemError {
  id: number;
  /** 管理番号 of the item. */
  itemCode: string;
  field: string | null;
  code: string;
  message: string;
}

export interface PlannedBulkUpdate {
  id: number;
  version: number;
  plan: UpdatePlan;
}

export interface BulkPlan {
  updates: PlannedBulkUpdate[];
  unchanged: number;
  errors: BulkItemError[];
}

/** Plans `values` (status, completedOn, note, already normalized) for each stored item. */
export function planBulkChange(stored: readonly ItemWithOrganization[], values: Partial<ItemValues>, context: ChangeContext): BulkPlan {
  const result: BulkPlan = { updates: [], unchanged: 0, errors: [] };
  for (const row of stored) {
    const { item } = row;
    if (!canEditDivision(context.actor, row.departmentId)) {
      result.errors.push({
        id: item.id,
        itemCode: item.code,
        field: null,
        code: 'forbidden',
        message: `${item.code}: 所管課「${row.divisionName}」は所属部局の課ではないため変更できません`,
      });
      continue;
    }
    // A note equal to the stored one is no change of its own (PATCH compares the same way).
    const planned = planUpdate(item, values, undefined, context);
    if ('problems' in planned) {
      for (const problem of planned.problems) {
        result.errors.push({ id: item.id, itemCode: item.code, field: problem.field, code: problem.code, message: `${item.code}: ${problem.message}` });
      }
      continue;
    }
    if (!planned.plan.changed) result.unchanged++;
    else result.updates.push({ id: item.id, version: item.version, plan: planned.plan });
  }
  return result;
}
