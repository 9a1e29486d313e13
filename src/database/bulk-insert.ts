import { EntityManager } from 'typeorm';
import type { HistoryRow, ItemRow } from '../items/item-changes';

// Bulk writes for imports and sample data, below the query builder: on SQLite one prepared
// statement run per row on the transaction's own connection (better-sqlite3 is synchronous, so
// this is the driver's native speed); on PostgreSQL multi-row INSERTs. TypeORM's builder spent
// more time composing parameters than SQLite spent inserting.

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

export function insertSql(table: string, columns: readonly (readonly [unknown, string])[], rows: number, placeholder: (index: number) => string): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    tuples.push(`(${columns.map((_, column) => placeholder(row * columns.length + column)).join(', ')})`);
  }
  return `INSERT INTO ${table} (${columns.map(([, name]) => name).join(', ')}) VALUES ${tuples.join(', ')}`;
}

interface SqliteStatement {
  run(...values: unknown[]): { lastInsertRowid: number | bigint };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

function sqliteConnection(manager: EntityManager): SqliteConnection | null {
  if (manager.connection.options.type !== 'better-sqlite3') return null;
  return (manager.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
}

// PostgreSQL allows 65,535 parameters per statement.
const PG_ITEM_BATCH = 1000;
const PG_HISTORY_BATCH = 4000;

/** Inserts item rows and returns their new ids, in the order given. Call inside a transaction; only src/items/items.repository.ts does. */
export async function insertItemRows(manager: EntityManager, rows: readonly ItemRow[]): Promise<number[]> {
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

export async function insertHistoryRows(manager: EntityManager, rows: readonly HistoryInsert[]): Promise<void> {
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
