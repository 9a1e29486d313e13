import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { TypeOrmLogger } from './typeorm-logger';

// DATABASE_URL → TypeORM options. Schema comes only from migrations (run on start and by `cli migrate`).
/** `entities`: the app's (src/entities.ts); none are needed to run migrations or raw SQL. */
export function buildDataSourceOptions(settings: DatabaseSettings, entities: NonNullable<DataSourceOptions['entities']> = []): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error', 'warn'] as ('error' | 'warn')[],
    logger: new TypeOrmLogger(),
  };
  if (settings.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: settings.url,
      poolSize: settings.poolSize,
      // A non-default schema (tests use one each) must also be the connection's search_path.
      ...(settings.schema ? { schema: settings.schema, extra: { options: `-c search_path=${settings.schema}` } } : {}),
    };
  }
  if (settings.path !== ':memory:') fs.mkdirSync(path.dirname(settings.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.path,
    enableWAL: settings.path !== ':memory:',
    timeout: 10_000,
    // Query builders emit many distinct statements; a larger cache spares re-preparing them.
    statementCacheSize: 1000,
    prepareDatabase: (db: { pragma(sql: string): unknown; prepare(sql: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
      // TypeORM opens transactions with a deferred BEGIN: a transaction that reads, then writes
      // after another process (a CLI import, a backup's audit entry) has committed, fails at once
      // with SQLITE_BUSY (a stale snapshot cannot become a writer; no busy wait helps), and the
      // request answered 500. BEGIN IMMEDIATE takes the write lock first, waiting its turn.
      // Plain reads never open a transaction, so they are not held up.
      const prepare = db.prepare.bind(db);
      db.prepare = (sql: string) => prepare(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE' : sql);
    },
  };
}
