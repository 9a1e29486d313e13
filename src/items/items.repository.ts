import { EntityManager } from 'typeorm';
import { insertSql, sqliteConnection } from '../database/bulk-insert';
import type { HistoryRow, ItemRow } from './item-changes';
import { Item } from './item.entity';

// The one writer of items and their history: the API, the importer, the reference seeds, the
// sample city and reorganizations all write through these functions, inside the caller's
// transaction. Rows come planned (item-changes.ts); this file only stores them.

// The items table's columns as the bulk writes list them (the row shape is ItemRow; program
// fields travel in `fields`, one JSON value).
export const ITEM_COLUMNS: readonly (readonly [keyof ItemRow, string])[] = [
  ['program', 'program'],
  ['code', 'code'],
  ['name', 'name'],
  ['status', 'status'],
  ['statusEffectiveOn', 'status_effective_on'],
  ['divisionId', 'division_id'],
  ['dueOn', 'due_on'],
  ['completedOn', 'completed_on'],
  ['note', 'note'],
  ['fields', 'fields'],
  ['searchText', 'search_text'],
  ['version', 'version'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
];

export type HistoryInsert = HistoryRow & { itemId: number };

export const HISTORY_COLUMNS: readonly (readonly [keyof HistoryInsert, string])[] = [
  ['itemId', 'item_id'],
  ['at', 'at'],
  ['by', 'by_user'],
  ['fromStatus', 'from_status'],
  ['toStatus', 'to_status'],
  ['effectiveOn', 'effective_on'],
  ['note', 'note'],
  ['changes', 'changes'],
];

export const itemValues = (row: ItemRow): unknown[] => ITEM_COLUMNS.map(([key]) => (key === 'fields' ? JSON.stringify(row.fields ?? {}) : (row[key] ?? null)));
export const historyValues = (row: HistoryInsert): unknown[] => HISTORY_COLUMNS.map(([key]) => row[key] ?? null);

// PostgreSQL allows 65,535 parameters per statement.
const PG_ITEM_BATCH = 1000;
const PG_HISTORY_BATCH = 4000;

async function insertItemRows(manager: EntityManager, rows: readonly ItemRow[]): Promise<number[]> {
  const sqlite = sqliteConnection(manager);
  if (sqlite) {
    const statement = sqlite.prepare(insertSql('items', ITEM_COLUMNS, 1, () => '?'));
    return rows.map((row) => Number(statement.run(...itemValues(row)).lastInsertRowid));
  }
  const ids: number[] = [];
  for (let offset = 0; offset < rows.length; offset += PG_ITEM_BATCH) {
    const batch = rows.slice(offset, offset + PG_ITEM_BATCH);
    const sql = `${insertSql('items', ITEM_COLUMNS, batch.length, (index) => `$${index + 1}`)} RETURNING id, code`;
    const returned: { id: number | string; code: string }[] = await manager.query(sql, batch.flatMap(itemValues));
    // RETURNING's order is not promised: map back by the code, unique within the batch's program
    const idByCode = new Map(returned.map((row) => [row.code, Number(row.id)]));
    for (const row of batch) ids.push(idByCode.get(row.code)!);
  }
  return ids;
}

async function insertHistoryRows(manager: EntityManager, rows: readonly HistoryInsert[]): Promise<void> {
  const sqlite = sqliteConnection(manager);
  if (sqlite) {
    const statement = sqlite.prepare(insertSql('status_history', HISTORY_COLUMNS, 1, () => '?'));
    for (const row of rows) statement.run(...historyValues(row));
    return;
  }
  for (let offset = 0; offset < rows.length; offset += PG_HISTORY_BATCH) {
    const batch = rows.slice(offset, offset + PG_HISTORY_BATCH);
    await manager.query(
      insertSql('status_history', HISTORY_COLUMNS, batch.length, (index) => `$${index + 1}`),
      batch.flatMap(historyValues),
    );
  }
}

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
