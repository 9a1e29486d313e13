import { Command } from 'commander';
import { MonthlyReportsImportResult, MonthlyReportsService } from '../monthly-reports/monthly-reports.service';
import { CliIo } from './cli-runtime';
import { runSheetCommand, SheetCommandOptions, sheetImportLines } from './import-command';

export function renderMonthlyReportsImport(result: MonthlyReportsImportResult, fileName: string): string {
  const { summary } = result;
  const lines = [
    `月次報告の取り込み: ${fileName}`,
    `行数 ${summary.rows} ／ 報告 新規 ${summary.reports.created}・更新 ${summary.reports.updated}・変更なし ${summary.reports.unchanged} ／ 計画 新規 ${summary.plans.created}・更新 ${summary.plans.updated}・変更なし ${summary.plans.unchanged} ／ エラー ${summary.errors}`,
  ];
  lines.push(...sheetImportLines(result));
  return lines.join('\n');
}

export function registerMonthlyReportsCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('import-reports')
    .description('import monthly reports (sheet 月次報告: 管理番号, 月, 進捗率, コメント, 計画進捗率, マイルストーン): all rows or nothing')
    .argument('<file>', 'the xlsx or CSV file')
    .option('--program <key>', 'the program whose 管理番号 the sheet names', 'reform')
    .option('--dry-run', 'validate and report what would change, without writing')
    .option('--sheet <name>', 'xlsx: the sheet to read (default 月次報告, else the first)')
    .option('--user <name>', 'an existing user the import is made as (default "cli", an admin)')
    .option('--json', 'print the result object')
    .action((fileArg: string, options: SheetCommandOptions & { program: string }) =>
      runSheetCommand(io, setExit, fileArg, options, (context, upload) => context.get(MonthlyReportsService).importFile({ ...upload, program: options.program }), renderMonthlyReportsImport),
    );
}
