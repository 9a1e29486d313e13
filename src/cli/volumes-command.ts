import { Command } from 'commander';
import { TakeUpReport, VolumeImportResult, VolumesService } from '../volumes/volumes.service';
import { CliIo, withContext } from './cli-runtime';
import { runSheetCommand, SheetCommandOptions, sheetImportLines } from './import-command';
import { formatTable } from './table';

export function renderVolumeImport(result: VolumeImportResult, fileName: string): string {
  const { summary } = result;
  const lines = [
    `件数（オンライン・窓口）の取り込み: ${fileName}`,
    `行数 ${summary.rows} ／ 新規 ${summary.created} ／ 更新 ${summary.updated} ／ 変更なし ${summary.unchanged} ／ エラー ${summary.errors}`,
  ];
  lines.push(...sheetImportLines(result));
  return lines.join('\n');
}

export function renderTakeUp(report: TakeUpReport): string {
  const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);
  const items = formatTable(
    ['管理番号', '手続', '状況', 'オンライン', '窓口', '利用率'],
    report.items.map((item) => [item.code, item.name, item.statusLabel, String(item.online), String(item.offline), percent(item.takeUp)]),
  );
  const groups = formatTable(
    ['区分', '手続数', 'オンライン', '窓口', '利用率'],
    [...report.groups.map((group) => [group.label, String(group.procedures), String(group.online), String(group.offline), percent(group.takeUp)]), [
      '合計',
      String(report.items.length),
      String(report.total.online),
      String(report.total.offline),
      percent(report.total.takeUp),
    ]],
  );
  return `オンライン利用率 ${report.fromLabel}〜${report.toLabel}（${report.from}〜${report.to}、低い順）\n\n${items}\n\n${groups}`;
}

export function registerVolumesCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('import-volumes')
    .description('import channel volumes (sheet 件数: 管理番号, 月, オンライン件数, 窓口件数): all rows or nothing')
    .argument('<file>', 'the xlsx or CSV file')
    .option('--dry-run', 'validate and report what would change, without writing')
    .option('--sheet <name>', 'xlsx: the sheet to read (default 件数, else the first)')
    .option('--user <name>', 'an existing user the import is made as (default "cli", an admin)')
    .option('--json', 'print the result object')
    .action((fileArg: string, options: SheetCommandOptions) =>
      runSheetCommand(io, setExit, fileArg, options, (context, upload) => context.get(VolumesService).importFile(upload), renderVolumeImport),
    );
  program
    .command('take-up')
    .description('digital take-up per online procedure (worst first), per national group and in total')
    .option('--from <month>', 'first month (2026-04, 令和8年4月); default 11 months before --to')
    .option('--to <month>', 'last month; default the current month')
    .option('--national-group <group>', 'mynumber27 | priority24 | city')
    .option('--status <state>', 'only procedures in this state now, e.g. online')
    .option('--json', 'print the JSON of GET /api/v1/take-up')
    .action(async (options: { from?: string; to?: string; nationalGroup?: string; status?: string; json?: boolean }) => {
      const report = await withContext((context) => context.get(VolumesService).takeUp(options));
      io.out(options.json ? JSON.stringify(report, null, 2) : renderTakeUp(report));
    });
}
