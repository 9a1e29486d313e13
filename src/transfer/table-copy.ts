import { DataSource, QueryRunner } from 'typeorm';

// Copies every table of one migrated database into another, generically: the tables, columns,
// keys and foreign keys are read from the source's catalogue, so a table a later migration adds
// is carried without anyone listing it here. Both sides must be on the same migrations.

export type Dialect = 'sqlite' | 'postgres';

export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Tables this one refers to (other than itself). */
  references: string[];
}

export const MIGRATIONS_TABLE = 'schema_migrations';

export function dialectOf(dataSource: DataSource): Dialect {
  if (dataSource.options.type === 'postgres') return 'postgres';
  if (dataSource.options.type === 'better-sqlite3') return 'sqlite';
  throw new Error(`unsupported database type ${dataSource.options.type}`);
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables of a migrated database (SQLite's own and the migrations table left out). */
export async function readTables(runner: QueryRunner, dialect: Dialect): Promise<TableInfo[]> {
  if (dialect === 'sqlite') {
    const names = (await runner.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) as { name: string }[];
    const tables: TableInfo[] = [];
    for (const { name } of names) {
      const columns = (await runner.query(`PRAGMA table_info(${quote(name)})`)) as { name: string; pk: number }[];
      const keys = (await runner.query(`PRAGMA foreign_key_list(${quote(name)})`)) as { table: string }[];
      tables.push({
        name,
        columns: columns.map((column) => column.name),
        primaryKey: columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name),
        references: [...new Set(keys.map((key) => key.table).filter((table) => table !== name))],
      });
    }
    return tables;
  }
  // Generated columns (items.national_group) are the database's to compute, never copied.
  const columns = (await runner.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_generated = 'NEVER' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
      ORDER BY table_name, ordinal_position`,
  )) as { table_name: string; column_name: string }[];
  const keys = (await runner.query(
    `SELECT c.conrelid::regclass::text AS table_name, c.contype, c.confrelid::regclass::text AS referenced, array_to_string(array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') AS columns
       FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
      WHERE s.nspname = current_schema() AND c.contype IN ('p', 'f')`,
  )) as { table_name: string; contype: string; referenced: string | null; columns: string }[];
  const unqualified = (name: string) => name.replace(/^.*\./, '').replace(/^"(.*)"$/, '$1');
  const byName = new Map<string, TableInfo>();
  for (const row of columns) {
    const table = byName.get(row.table_name) ?? { name: row.table_name, columns: [], primaryKey: [], references: [] };
    table.columns.push(row.column_name);
    byName.set(row.table_name, table);
  }
  for (const key of keys) {
    const table = byName.get(unqualified(key.table_name));
    if (!table) continue;
    if (key.contype === 'p') table.primaryKey = key.columns.split(',');
    else if (key.referenced && unqualified(key.referenced) !== table.name && !table.references.includes(unqualified(key.referenced))) table.references.push(unqualified(key.referenced));
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Referenced tables before the tables that refer to them. */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TableInfo) => {
    if (state.get(table.name) === 'done') return;
    if (state.get(table.name) === 'visiting') throw new Error(`foreign keys form a cycle through ${table.name}`);
    state.set(table.name, 'visiting');
    for (const name of table.references) {
      const referenced = byName.get(name);
      if (referenced) visit(referenced);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/** A value as read from one driver, in a form the other driver binds and stores the same way. */
export function portable(value: unknown, target: Dialect): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return target === 'sqlite' ? (value ? 1 : 0) : value;
  if (value instanceof Date) return target === 'sqlite' ? value.toISOString().replace('T', ' ').replace('Z', '') : value;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'bigint') return target === 'sqlite' ? value : value.toString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** Rows of a table in key order, a batch at a time (keyset pagination on a one-column key). */
export async function* readRows(runner: QueryRunner, dialect: Dialect, table: TableInfo, batch = 2000): AsyncGenerator<Record<string, unknown>[]> {
  const columns = table.columns.map(quote).join(', ');
  const placeholder = dialect === 'postgres' ? '$1' : '?';
  if (table.primaryKey.length === 1) {
    const key = quote(table.primaryKey[0]);
    let last: unknown = undefined;
    for (;;) {
      const rows = (await runner.query(
        `SELECT ${columns} FROM ${quote(table.name)}${last === undefined ? '' : ` WHERE ${key} > ${placeholder}`} ORDER BY ${key} LIMIT ${batch}`,
        last === undefined ? [] : [last],
      )) as Record<string, unknown>[];
      if (!rows.length) return;
      yield rows;
      last = rows[rows.length - 1][table.primaryKey[0]];
      if (rows.length < batch) return;
    }
  }
  const order = (table.primaryKey.length ? table.primaryKey : table.columns).map(quote).join(', ');
  for (let offset = 0; ; offset += batch) {
    const rows = (await runner.query(`SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${order} LIMIT ${batch} OFFSET ${offset}`)) as Record<string, unknown>[];
    if (!rows.length) return;
    yield rows;
    if (rows.length < batch) return;
  }
}

/** Inserts rows with multi-row INSERTs, within the bind-parameter limits of both databases. */
export async function insertRows(runner: QueryRunner, dialect: Dialect, table: TableInfo, rows: Record<string, unknown>[]): Promise<void> {
  const perStatement = Math.max(1, Math.min(500, Math.floor(30_000 / table.columns.length)));
  const columns = table.columns.map(quote).join(', ');
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = table.columns.map((column) => {
        values.push(portable(row[column], dialect));
        return dialect === 'postgres' ? `$${values.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await runner.query(`INSERT INTO ${quote(table.name)} (${columns}) VALUES ${tuples.join(', ')}`, values);
  }
}

export async function countRows(runner: QueryRunner, table: string): Promise<number> {
  const [row] = (await runner.query(`SELECT count(*) AS n FROM ${quote(table)}`)) as { n: number | string }[];
  return Number(row.n);
}

/** PostgreSQL: move every serial / identity sequence past the ids that were copied in. */
export async function resetSequences(runner: QueryRunner, tables: TableInfo[]): Promise<number> {
  let reset = 0;
  for (const table of tables) {
    for (const column of table.columns) {
      const [row] = (await runner.query('SELECT pg_get_serial_sequence($1, $2) AS sequence', [quote(table.name), column])) as { sequence: string | null }[];
      if (!row?.sequence) continue;
      await runner.query(`SELECT setval($1, COALESCE((SELECT max(${quote(column)}) FROM ${quote(table.name)}), 1), (SELECT max(${quote(column)}) FROM ${quote(table.name)}) IS NOT NULL)`, [row.sequence]);
      reset++;
    }
  }
  return reset;
}

/** JSON with its object keys sorted: PostgreSQL's jsonb keeps keys in an order of its own. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A cell as comparable text: a JSON document (an object from pg, text from SQLite) in one spelling. */
function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return canonicalJson(value);
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return canonicalJson(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return String(value);
}

/** A row as comparable text, the same whichever driver read it. */
export function rowKey(row: Record<string, unknown>, columns: string[]): string {
  return JSON.stringify(columns.map((column) => comparable(row[column])));
}
