import { EntityManager } from 'typeorm';
import { insertSql, sqliteConnection } from '../database/bulk-insert';
import { hotQuery } from '../database/hot-query';
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

const HISTORY_INSERT_ONE = insertSql('status_history', HISTORY_COLUMNS, 1, () => '?');

async function insertHistoryRows(manager: EntityManager, rows: readonly HistoryInsert[]): Promise<void> {
  const sqlite = sqliteConnection(manager);
  if (sqlite) {
    const statement = sqlite.prepare(HISTORY_INSERT_ONE);
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
  if (!(await updateAtVersion(manager, update))) return null;
  const history = update.history ? { ...update.history, itemId: update.id } : null;
  if (history && !options.deferHistory) await insertHistory(manager, [history]);
  return { history };
}

const COLUMN_OF = new Map<string, string>(ITEM_COLUMNS.map(([key, column]) => [key, column]));

/** The SET list and its values for a planned update (`fields` as JSON text, like the inserts). */
function setClause(set: Partial<ItemRow>, placeholder: (index: number) => string): { assignments: string[]; values: unknown[] } {
  const assignments: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(set)) {
    if (value === undefined) continue;
    const column = COLUMN_OF.get(key);
    if (!column || key === 'version' || key === 'program') throw new Error(`items: ${key} cannot be updated here`);
    values.push(key === 'fields' ? JSON.stringify(value ?? {}) : value);
    assignments.push(`${column} = ${placeholder(values.length)}`);
  }
  assignments.push('version = version + 1');
  return { assignments, values };
}

/**
 * The version-checked UPDATE every item change goes through: of two concurrent writers with the
 * same version exactly one matches. Bumps the version; true when the item was still at `version`.
 */
async function updateAtVersion(manager: EntityManager, update: { id: number; version: number; set: Partial<ItemRow> }): Promise<boolean> {
  const placeholder = sqliteConnection(manager) ? () => '?' : (index: number) => `$${index}`;
  const { assignments, values } = setClause(update.set, placeholder);
  const parameters = [...values, update.id, update.version];
  const sql = `UPDATE items SET ${assignments.join(', ')} WHERE id = ${placeholder(parameters.length - 1)} AND version = ${placeholder(parameters.length)}`;
  return (await hotQuery(manager, sql, parameters)).affected === 1;
}

/**
 * A PATCH's write: `updateItem` and its history row, then the item read back by `readBack`
 * (a SELECT of item rows `FROM <source> i …`, see item-view.ts), as few round trips as the
 * database allows. Returns the raw row read back, or null when the item is no longer at `version`
 * (nothing written; the caller answers 409).
 *
 * PostgreSQL: one statement (UPDATE … RETURNING, the history INSERT and the read back as CTEs),
 * atomic by itself, so it needs no transaction of its own; the read back sees the row as
 * updated. SQLite: three prepared statements on the transaction's connection (the caller's
 * transaction: SQLite has no data-modifying CTEs).
 */
export async function updateItemReadBack(
  manager: EntityManager,
  update: { id: number; version: number; set: Partial<ItemRow>; history: HistoryRow },
  readBack: (source: string) => string,
): Promise<Record<string, unknown> | null> {
  const history: HistoryInsert = { ...update.history, itemId: update.id };
  if (sqliteConnection(manager)) {
    if (!(await updateAtVersion(manager, update))) return null;
    await hotQuery(manager, HISTORY_INSERT_ONE, historyValues(history));
    return (await hotQuery(manager, `${readBack('items')} WHERE i.id = ?`, [update.id])).rows[0] ?? null;
  }
  const { assignments, values } = setClause(update.set, (index) => `$${index}`);
  const parameters: unknown[] = [...values, update.id, update.version];
  const where = `id = $${values.length + 1} AND version = $${values.length + 2}`;
  const historyList = HISTORY_COLUMNS.filter(([key]) => key !== 'itemId');
  const historySelect = historyList.map(([key]) => `$${parameters.push(history[key] ?? null)}`).join(', ');
  const sql = `WITH u AS (UPDATE items SET ${assignments.join(', ')} WHERE ${where} RETURNING *),
    h AS (INSERT INTO status_history (item_id, ${historyList.map(([, column]) => column).join(', ')}) SELECT u.id, ${historySelect} FROM u)
    ${readBack('u')}`;
  const { rows } = await hotQuery(manager, sql, parameters);
  return rows[0] ?? null;
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
