import { EntityManager } from 'typeorm';
import { HistoryInsert, insertHistoryRows, insertItemRows } from '../database/bulk-insert';
import type { HistoryRow, ItemRow } from './item-changes';
import { Item } from './item.entity';

// The one writer of items and their history: the API, the importer, the reference seeds, the
// sample city and reorganizations all write through these functions, inside the caller's
// transaction. Rows come planned (item-changes.ts); this file only stores them.

/** Inserts planned items and returns their ids in the order given (SQLite: prepared statements; PostgreSQL: multi-row INSERTs). */
export function insertItems(manager: EntityManager, rows: readonly ItemRow[]): Promise<number[]> {
  return insertItemRows(manager, rows);
}

/** Appends history rows. */
export function insertHistory(manager: EntityManager, rows: readonly HistoryInsert[]): Promise<void> {
  return insertHistoryRows(manager, rows);
}

/** Inserts one planned item and its first history row; returns the new id. */
export async function createItem(manager: EntityManager, row: ItemRow, history: HistoryRow): Promise<number> {
  const [id] = await insertItems(manager, [row]);
  await insertHistory(manager, [{ ...history, itemId: id }]);
  return id;
}

/**
 * Applies a planned update if the item is still at `version` (one conditional UPDATE: of two
 * concurrent writers with the same version exactly one matches), bumps the version and returns
 * the history row to append, or null when the item has changed since (the caller answers 409).
 * `history` is appended at once unless `deferHistory` (the importer batches them).
 */
export async function updateItem(
  manager: EntityManager,
  update: { id: number; version: number; set: Partial<ItemRow>; history: HistoryRow | null },
  options: { deferHistory?: boolean } = {},
): Promise<{ history: HistoryInsert | null } | null> {
  const result = await manager
    .createQueryBuilder()
    .update(Item)
    .set({ ...update.set, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: update.id, version: update.version })
    .execute();
  if (result.affected !== 1) return null;
  const history = update.history ? { ...update.history, itemId: update.id } : null;
  if (history && !options.deferHistory) await insertHistory(manager, [history]);
  return { history };
}

/**
 * Moves every item of one division into another (a reorganization's merge). History rows stay as
 * they are; the version goes up so an edit started before the merge gets 409. Returns how many moved.
 */
export async function moveDivisionItems(manager: EntityManager, fromDivisionId: number, toDivisionId: number, nowIso: string): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(Item)
    .set({ divisionId: toDivisionId, version: () => 'version + 1', updatedAt: nowIso })
    .where('division_id = :merged', { merged: fromDivisionId })
    .execute();
  return result.affected ?? 0;
}

/**
 * Replaces a stored item's row as planned by the sample city (its whole life replayed in memory),
 * keeping its id. Only the demo uses it, on a database it has just checked is untouched.
 */
export async function replaceItem(manager: EntityManager, id: number, row: Partial<ItemRow>): Promise<void> {
  await manager.getRepository(Item).update(id, row);
}
