import { INestApplicationContext } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { createCliContext } from '../bootstrap';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig, DatabaseSettings } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { ProgressService } from '../progress/progress.service';
import { TargetsService } from '../targets/targets.service';
import { countRows, dependencyOrder, Dialect, dialectOf, insertRows, MIGRATIONS_TABLE, quote, readRows, readTables, resetSequences, rowKey, TableInfo } from './table-copy';

// `transfer --to … [--from …]`: a whole database, SQLite ↔ PostgreSQL. Both ends are migrated by
// this code first, so they have the same tables; then every table is copied (read in one snapshot
// of the source, written in one transaction on the target: all of it or nothing), PostgreSQL's
// sequences are moved past the copied ids, and the result is checked twice: rows per table, and
// progress as of today and as of every target's deadline, computed on each side by the real
// progress service.

export interface TransferTableReport {
  table: string;
  source: number;
  target: number;
}

export interface TransferReport {
  from: string;
  to: string;
  tables: TransferTableReport[];
  rows: number;
  sequencesReset: number;
  /** The as-of dates whose progress was compared (today and each target's deadline). */
  progressCompared: string[];
}

export interface TransferOptions {
  config: AppConfig;
  from: DatabaseSettings;
  to: DatabaseSettings;
  clock?: Clock;
  onTable?: (table: string, rows: number) => void;
}

export function describeDatabase(settings: DatabaseSettings): string {
  if (settings.type === 'sqlite') return `sqlite:${settings.path}`;
  // never a password in a report or a log line
  return settings.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function sameDatabase(a: DatabaseSettings, b: DatabaseSettings): boolean {
  if (a.type === 'sqlite' && b.type === 'sqlite') return a.path === b.path;
  if (a.type === 'postgres' && b.type === 'postgres') return a.url === b.url && a.schema === b.schema;
  return false;
}

async function migrationNames(runner: QueryRunner): Promise<string[]> {
  return ((await runner.query(`SELECT name FROM ${quote(MIGRATIONS_TABLE)} ORDER BY name`)) as { name: string }[]).map((row) => row.name);
}

/** Begins a read snapshot: every table is read as of one moment, even while a server writes. */
async function beginSnapshot(runner: QueryRunner, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  else await runner.query('BEGIN');
  // SQLite's snapshot starts at the first read
  await runner.query(`SELECT count(*) FROM ${quote(MIGRATIONS_TABLE)}`);
}

/** Tables the migrations themselves fill (found by migrating a scratch in-memory database). */
async function migrationFilledTables(): Promise<Set<string>> {
  const scratch = new DataSource(buildDataSourceOptions({ type: 'sqlite', path: ':memory:' }));
  await scratch.initialize();
  try {
    await scratch.runMigrations({ transaction: 'each' });
    const runner = scratch.createQueryRunner();
    const filled = new Set<string>();
    for (const table of await readTables(runner, 'sqlite')) if (table.name !== MIGRATIONS_TABLE && (await countRows(runner, table.name)) > 0) filled.add(table.name);
    await runner.release();
    return filled;
  } finally {
    await scratch.destroy();
  }
}

/**
 * The target must hold nothing of its own. The only rows allowed are those a migration inserts,
 * and only when the source has the very same rows; they are replaced by the copy.
 */
async function checkTargetEmpty(source: QueryRunner, sourceDialect: Dialect, target: QueryRunner, targetDialect: Dialect, tables: TableInfo[]): Promise<TableInfo[]> {
  const prefilled: TableInfo[] = [];
  const refused: string[] = [];
  const fromMigrations = await migrationFilledTables();
  for (const table of tables) {
    const rows = await countRows(target, table.name);
    if (rows === 0) continue;
    if (!fromMigrations.has(table.name) || rows > 10_000) {
      refused.push(`${table.name}（${rows}行）`);
      continue;
    }
    const sourceKeys = new Set<string>();
    for await (const batch of readRows(source, sourceDialect, table)) for (const row of batch) sourceKeys.add(rowKey(row, table.columns));
    let foreign = 0;
    for await (const batch of readRows(target, targetDialect, table)) for (const row of batch) if (!sourceKeys.has(rowKey(row, table.columns))) foreign++;
    if (foreign) refused.push(`${table.name}（${rows}行）`);
    else prefilled.push(table);
  }
  if (refused.length) {
    throw new DomainError('transfer_target_not_empty', `移行先は空のデータベースにしてください。データがあります: ${refused.join('、')}`);
  }
  return prefilled;
}

export async function transferDatabase(options: TransferOptions): Promise<TransferReport> {
  if (sameDatabase(options.from, options.to)) throw new DomainError('transfer_same_database', '移行元と移行先が同じデータベースです');
  let sourceContext: INestApplicationContext | undefined;
  let targetContext: INestApplicationContext | undefined;
  let targetBare: DataSource | undefined;
  try {
    // The source's context runs its migrations: its tables are then the ones this code knows. The
    // target is only migrated here (a bare connection): the application, once started on it, fills
    // rows of its own (the built-in program documents), and the copy must find it empty.
    sourceContext = await createCliContext({ config: { ...options.config, database: options.from }, clock: options.clock, logger: ['error'] });
    const sourceData = sourceContext.get(DataSource);
    targetBare = new DataSource(buildDataSourceOptions(options.to));
    await targetBare.initialize();
    await targetBare.runMigrations({ transaction: 'each' });
    const targetData = targetBare;
    const sourceDialect = dialectOf(sourceData);
    const targetDialect = dialectOf(targetData);

    const source = sourceData.createQueryRunner();
    const target = targetData.createQueryRunner();
    const report: TransferReport = { from: describeDatabase(options.from), to: describeDatabase(options.to), tables: [], rows: 0, sequencesReset: 0, progressCompared: [] };
    try {
      await source.connect();
      await target.connect();
      const sourceMigrations = await migrationNames(source);
      const targetMigrations = await migrationNames(target);
      if (sourceMigrations.join() !== targetMigrations.join()) {
        throw new DomainError('transfer_schema_mismatch', `移行元と移行先のマイグレーションが一致しません（移行元 ${sourceMigrations.length}件、移行先 ${targetMigrations.length}件）。同じ版で両方を migrate してください`);
      }
      const tables = dependencyOrder((await readTables(source, sourceDialect)).filter((table) => table.name !== MIGRATIONS_TABLE));
      const targetTables = new Map((await readTables(target, targetDialect)).map((table) => [table.name, table]));
      for (const table of tables) {
        const other = targetTables.get(table.name);
        const missing = other ? table.columns.filter((column) => !other.columns.includes(column)) : ['(table)'];
        if (missing.length) throw new DomainError('transfer_schema_mismatch', `移行先の表「${table.name}」に列がありません: ${missing.join(', ')}`);
      }

      await beginSnapshot(source, sourceDialect);
      try {
        const prefilled = await checkTargetEmpty(source, sourceDialect, target, targetDialect, tables);
        await target.startTransaction();
        try {
          // SQLite checks foreign keys at commit; PostgreSQL gets the tables in dependency order.
          if (targetDialect === 'sqlite') await target.query('PRAGMA defer_foreign_keys = ON');
          for (const table of [...prefilled].reverse()) await target.query(`DELETE FROM ${quote(table.name)}`);
          for (const table of tables) {
            let copied = 0;
            for await (const batch of readRows(source, sourceDialect, table)) {
              await insertRows(target, targetDialect, table, batch);
              copied += batch.length;
            }
            const sourceCount = await countRows(source, table.name);
            const targetCount = await countRows(target, table.name);
            if (sourceCount !== copied || targetCount !== copied) {
              throw new DomainError('transfer_count_mismatch', `表「${table.name}」の行数が一致しません（移行元 ${sourceCount}、複製 ${copied}、移行先 ${targetCount}）`);
            }
            report.tables.push({ table: table.name, source: sourceCount, target: targetCount });
            report.rows += copied;
            options.onTable?.(table.name, copied);
          }
          if (targetDialect === 'postgres') report.sequencesReset = await resetSequences(target, tables);
          await target.commitTransaction();
        } catch (error) {
          await target.rollbackTransaction();
          throw error;
        }
      } finally {
        await source.query(sourceDialect === 'postgres' ? 'ROLLBACK' : 'ROLLBACK');
      }
    } finally {
      await source.release();
      await target.release();
    }

    await targetBare.destroy();
    targetBare = undefined;
    // The figures the city reports, on both sides, through the real service.
    targetContext = await createCliContext({ config: { ...options.config, database: options.to }, clock: options.clock, logger: ['error'] });
    const clock = sourceContext.get<Clock>(CLOCK);
    const deadlines = (await sourceContext.get(TargetsService).list()).map((item) => item.deadline);
    const dates = [...new Set([clock.today(), ...deadlines])].sort();
    const sourceProgress = sourceContext.get(ProgressService);
    const targetProgress = targetContext.get(ProgressService);
    for (const asOf of dates) {
      const before = JSON.stringify(await sourceProgress.computeProgress(asOf));
      const after = JSON.stringify(await targetProgress.computeProgress(asOf));
      if (before !== after) {
        throw new DomainError('transfer_verify_failed', `移行後の進捗が一致しません（基準日 ${asOf}）。移行先を空に戻して、サーバーを止めてからやり直してください`);
      }
      report.progressCompared.push(asOf);
    }
    return report;
  } finally {
    if (targetBare?.isInitialized) await targetBare.destroy();
    await targetContext?.close();
    await sourceContext?.close();
  }
}
