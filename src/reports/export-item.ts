import { getProgram, isDoneState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import type { ItemPageRow } from './reports.repository';
import type { ExportItem } from '../items/item-sheet';

/**
 * A stored item as its export row. Without a date it is the item as stored. As of a date the
 * state is the one then, with its completion date when that is a done state; the other columns
 * are as they stand now (the history records states, not edits of every column).
 */
export function exportItem(program: ProgramKey, row: ItemPageRow, asOf: string | undefined, divisionLabels: Map<number, string>): ExportItem {
  let completedOn = row.completedOn;
  if (asOf) {
    const currentHolds = row.statusEffectiveOn === null || row.statusEffectiveOn <= asOf;
    completedOn = isDoneState(program, row.state) ? (currentHolds ? row.completedOn : row.stateEffectiveOn) : null;
  }
  const item: ExportItem = {
    code: row.code,
    name: row.name,
    division: divisionLabels.get(row.divisionId) ?? String(row.divisionId),
    status: row.state,
    completedOn,
    dueOn: row.dueOn,
    note: row.note,
  };
  for (const field of getProgram(program).extraFields) item[field.key] = row.fields[field.key] ?? null;
  return item;
}
