import { Actor } from '../common/actor';
import { HistoryRow, ItemRow, planCreate, planUpdate } from '../items/item-changes';
import { ItemValues } from '../items/item-fields';
import { Item } from '../items/item.entity';
import { isDoneState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { SAMPLE_USER, SampleChange, SampleItem } from './generator';

// Sample items → database rows through the same planning as the API and the importer
// (planCreate / planUpdate), so the sample's rows and history obey every status rule.

export const SAMPLE_ACTOR: Actor = { userId: null, name: SAMPLE_USER, role: 'admin', departmentId: null };

/** A change recorded on the day it takes effect (09:00 in Japan). */
const recordedAt = (date: string) => `${date}T00:00:00.000Z`;

function refuse(code: string, problems: { message: string }[]): never {
  throw new Error(`sample item ${code}: ${problems.map((problem) => problem.message).join('; ')}`);
}

/** Applies changes to `current` in place (row and version), appending their history rows. */
export function applySampleChanges(current: Item, changes: readonly (Omit<SampleChange, 'status'> & { status?: string })[], history: HistoryRow[]): void {
  const program = current.program as ProgramKey;
  for (const change of changes) {
    const values: Partial<ItemValues> = { ...change.fields };
    let effectiveOn: string | undefined;
    if (change.status) {
      values.status = change.status;
      if (isDoneState(program, change.status)) values.completedOn = change.on;
      else effectiveOn = change.on;
    }
    const planned = planUpdate(current, values, undefined, { actor: SAMPLE_ACTOR, today: change.on, nowIso: recordedAt(change.on), effectiveOn });
    if ('problems' in planned) refuse(current.code, planned.problems);
    if (!planned.plan.changed) continue;
    Object.assign(current, planned.plan.set);
    current.version += 1;
    if (planned.plan.history) history.push(planned.plan.history);
  }
}

/** The row a sample item ends as, and its history from creation on. */
export function sampleRows(item: SampleItem, divisionId: number): { row: ItemRow; history: HistoryRow[] } {
  const created = planCreate(item.program, item.initial, divisionId, { actor: SAMPLE_ACTOR, today: item.createdOn, nowIso: recordedAt(item.createdOn) });
  if ('problems' in created) refuse(item.initial.code, created.problems);
  const current = { ...created.row, id: 0 } as Item;
  const history = [created.history];
  applySampleChanges(current, item.changes, history);
  const { id: _id, ...row } = current;
  return { row, history };
}
