import type { MigrationInterface } from 'typeorm';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { MIGRATIONS } from '../../src/database/migrations';
import type { DatabaseKind, TestDatabase } from './test-app';

export interface PreviousSchema {
  /** Connected at the schema as it stood before the migration under test; destroy it before starting the app. */
  dataSource: DataSource;
  /** The driver's placeholder for the nth parameter (`?` on SQLite, `$n` on PostgreSQL). */
  param: (index: number) => string;
  /** The one division (総務課, in 行政管理部) the test's raw rows belong to. */
  divisionId: number;
  /** How many migrations ran (every one before the migration under test). */
  migrationsRun: number;
}

/**
 * A database made by the previous schema, as a city upgrading would have it: every migration up to
 * (not including) `migration`, plus one department and division written with plain SQL, so a test
 * can insert rows in the old shape and then start the app, which runs the migration.
 */
export async function openPreviousSchema(kind: DatabaseKind, database: TestDatabase, migration: new () => MigrationInterface): Promise<PreviousSchema> {
  const before = MIGRATIONS.slice(0, (MIGRATIONS as readonly unknown[]).indexOf(migration));
  const dataSource = new DataSource({ ...buildDataSourceOptions(database.settings), migrations: before });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const param = kind === 'sqlite' ? () => '?' : (index: number) => `$${index}`;
  await dataSource.query(`INSERT INTO departments (code, name) VALUES (${param(1)}, ${param(2)})`, ['D01', '行政管理部']);
  const [{ id: departmentId }] = await dataSource.query(`SELECT id FROM departments WHERE code = 'D01'`);
  await dataSource.query(`INSERT INTO divisions (code, name, match_name, department_id) VALUES (${param(1)}, ${param(2)}, ${param(3)}, ${param(4)})`, ['D01-01', '総務課', '総務課', departmentId]);
  const [{ id: divisionId }] = await dataSource.query(`SELECT id FROM divisions WHERE code = 'D01-01'`);
  return { dataSource, param, divisionId, migrationsRun: before.length };
}
