import { Command } from 'commander';
import { ConfigError, parseDatabaseUrl } from '../config/app-config';
import { describeDatabase, transferDatabase } from '../transfer/transfer';
import { cliConfig, CliIo, UsageError } from './cli-runtime';
import { formatTable } from './table';

// `transfer --to URL [--from URL]`: the whole database to another one (SQLite → PostgreSQL when a
// city outgrows one file, or back). --from defaults to DATABASE_URL.

function databaseOption(name: string, value: string) {
  try {
    return parseDatabaseUrl(value);
  } catch (error) {
    throw new UsageError(`${name}: ${error instanceof ConfigError ? error.message : String(error)}`);
  }
}

export function registerTransferCommand(program: Command, io: CliIo): void {
  program
    .command('transfer')
    .description('copy the whole database (every table: users, items, history, audit, targets, plans, volumes, …) into an EMPTY database, then verify')
    .requiredOption('--to <url>', 'the target: postgres://user@host:5432/db or sqlite:PATH (migrated first; must hold no data)')
    .option('--from <url>', 'the source (default: DATABASE_URL)')
    .option('--json', 'print JSON')
    .action(async (options: { to: string; from?: string; json?: boolean }) => {
      const config = cliConfig();
      const from = options.from === undefined ? config.database : databaseOption('--from', options.from);
      const to = databaseOption('--to', options.to);
      if (!options.json) io.err(`移行します: ${describeDatabase(from)} → ${describeDatabase(to)}`);
      const report = await transferDatabase({ config, from, to, onTable: options.json ? undefined : (table, rows) => io.err(`  ${table}: ${rows}行`) });
      if (options.json) {
        io.out(JSON.stringify(report));
        return;
      }
      io.out(formatTable(['table', 'source', 'target'], report.tables.map((row) => [row.table, String(row.source), String(row.target)])));
      io.out(`移行しました: ${report.rows}行（${report.tables.length}表）。行数と、基準日 ${report.progressCompared.join('・')} の進捗が両方で一致しました。`);
      io.out(`次は DATABASE_URL を移行先に変えてサーバーを起動してください。`);
    });
}
