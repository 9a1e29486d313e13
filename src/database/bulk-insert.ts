import { EntityManager } from 'typeorm';

// Bulk writes below the query builder, for imports and sample data: on SQLite one prepared
// statement run per row on the transaction's own connection (better-sqlite3 is synchronous, so
// this is the driver's native speed); on PostgreSQL multi-row INSERTs. TypeORM's builder spent
// more time composing parameters than SQLite spent inserting. Generic over the table: the items
// repository (src/items/items.repository.ts) says which columns.

export function insertSql(table: string, columns: readonly (readonly [unknown, string])[], rows: number, placeholder: (index: number) => string): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    tuples.push(`(${columns.map((_, column) => placeholder(row * columns.length + column)).join(', ')})`);
  }
  return `INSERT INTO ${table} (${columns.map(([, name]) => name).join(', ')}) VALUES ${tuples.join(', ')}`;
}

export interface SqliteStatement {
  run(...values: unknown[]): { lastInsertRowid: number | bigint };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/** The transaction's own better-sqlite3 connection, or null on PostgreSQL. */
export function sqliteConnection(manager: EntityManager): SqliteConnection | null {
  if (manager.connection.options.type !== 'better-sqlite3') return null;
  return (manager.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
}
