import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';

// The few statements every PATCH runs (the token lookup, the item read, the write) below the
// ORM's query runner. PostgreSQL: as named prepared statements, parsed and planned once per pooled
// connection instead of on every request (planning was a third of the server's time per PATCH)
// and sent as a name instead of the SQL text. SQLite: prepared once per connection. Parameters
// are positional ($1… on PostgreSQL, ? on SQLite): the caller writes the SQL for its dialect.

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}
interface SqliteStatement {
  all(...values: unknown[]): Record<string, unknown>[];
  reader: boolean;
  run(...values: unknown[]): { changes: number };
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

const names = new Map<string, string>();
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    // pg keeps one parsed statement per name and connection: the name must follow the text
    name = `hot_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    if (names.size > 500) names.clear();
    names.set(sql, name);
  }
  return name;
}

const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();
function sqliteStatement(database: SqliteDatabase, sql: string): SqliteStatement {
  let cache = sqliteStatements.get(database);
  if (!cache) sqliteStatements.set(database, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size > 500) cache.clear();
    cache.set(sql, (statement = database.prepare(sql)));
  }
  return statement;
}

export interface HotResult {
  rows: Record<string, unknown>[];
  /** Rows a write changed (SQLite: changes; PostgreSQL: the command's row count). */
  affected: number;
}

/** Runs one statement on `manager`'s connection: its transaction's, or (PostgreSQL) a pooled one. */
export async function hotQuery(manager: EntityManager, sql: string, values: unknown[]): Promise<HotResult> {
  const driver = manager.connection.driver as unknown as { databaseConnection?: SqliteDatabase; master?: PgQueryable };
  if (manager.connection.options.type === 'better-sqlite3') {
    const statement = sqliteStatement(driver.databaseConnection!, sql);
    if (statement.reader) return { rows: statement.all(...values), affected: 0 };
    return { rows: [], affected: statement.run(...values).changes };
  }
  const runner = manager.queryRunner;
  const target: PgQueryable = runner && !runner.isReleased && runner.isTransactionActive ? ((await runner.connect()) as PgQueryable) : driver.master!;
  const result = await target.query({ name: statementName(sql), text: sql, values });
  return { rows: result.rows, affected: result.rowCount ?? 0 };
}
