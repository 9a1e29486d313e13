// Program fields live in one JSON column, items.fields (SQLite TEXT with JSON1, PostgreSQL jsonb).
// This is the one place that knows how to read one field in SQL; the expression must match the
// expression indexes of migration 1765110000000 character for character, or the index is unused.
// On PostgreSQL 国の区分 is read from items.national_group, a stored generated column equal to
// fields ->> 'nationalGroup' (migration 1765950000000), which the progress index is built on.

export type SqlDialect = 'sqlite' | 'postgres';

/** The SQL expression of field `key` of the `fields` column of table alias `alias` (text, or NULL). */
export function fieldSql(alias: string, key: string, dialect: SqlDialect): string {
  if (!/^[a-z][A-Za-z0-9]*$/.test(key)) throw new Error(`not a field key: ${key}`);
  if (dialect === 'postgres' && key === 'nationalGroup') return alias ? `${alias}.national_group` : 'national_group';
  const column = alias ? `${alias}.fields` : 'fields';
  return dialect === 'sqlite' ? `json_extract(${column}, '$.${key}')` : `(${column} ->> '${key}')`;
}

export function dialectOf(options: { type: string }): SqlDialect {
  return options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** A stored `fields` value (SQLite returns the JSON text, PostgreSQL the parsed object). */
export function parseFields(value: unknown): Record<string, string | number | null> {
  if (value === null || value === undefined || value === '') return {};
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, string | number | null>;
}
