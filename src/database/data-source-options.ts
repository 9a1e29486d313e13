import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { MIGRATIONS } from './migrations';

// DATABASE_URL → TypeORM options. Schema comes only from migrations (run on start and by `cli migrate`).
/** `entities`: the app's (src/entities.ts); none are needed to run migrations or raw SQL. */
export function buildDataSourceOptions(settings: DatabaseSettings, entities: NonNullable<DataSourceOptions['entities']> = []): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error'] as ('error')[],
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
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
  };
}
