import { Command } from 'commander';
import { PlanImportResult, PlansService, PlanView } from '../plans/plans.service';
import { CliIo, withContext } from './cli-runtime';
import { runSheetCommand, SheetCommandOptions, sheetImportLines } from './import-command';
import { formatTable } from './table';

export function renderPlanImport(result: PlanImportResult, fileName: string): string {
  const { summary } = result;
  const lines = [
    `目標「${result.target}」の月別計画の取り込み: ${fileName}`,
    `行数 ${summary.rows} ／ 月数 ${summary.months} ／ 計画件数の合計 ${summary.totalPlanned} ／ エラー ${summary.errors}`,
  ];
  lines.push(...sheetImportLines(result, '計画を置き換えました。'));
  return lines.join('\n');
}

export function renderPlan(plan: PlanView): string {
  if (!plan.months.length) return `目標「${plan.label}」（${plan.target}）には月別計画がありません。`;
  let cumulative = 0;
  const rows = plan.months.map((entry) => {
    cumulative += entry.planned;
    return [entry.month, entry.monthLabel, String(entry.planned), String(cumulative)];
  });
  return `目標「${plan.label}」（${plan.target}） 期限 ${plan.deadlineLabel}\n${formatTable(['月', '和暦', '計画件数', '累計'], rows)}`;
}

export function registerPlanCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const plan = program.command('plan').description('monthly plans of the targets (月別業務計画)');
  plan
    .command('import')
    .description('replace a target\'s monthly plan with a sheet of 月 and 計画件数 (xlsx or CSV): all rows or nothing')
    .argument('<target>', 'target id, e.g. seal-abolition')
    .argument('<file>', 'the xlsx or CSV file')
    .option('--dry-run', 'validate and report, without writing')
    .option('--sheet <name>', 'xlsx: the sheet to read (default 計画, else the first)')
    .option('--user <name>', 'an existing admin the change is recorded as (default "cli")')
    .option('--json', 'print the result object')
    .action((target: string, fileArg: string, options: SheetCommandOptions) =>
      runSheetCommand(io, setExit, fileArg, options, (context, upload) => context.get(PlansService).importSheet(target, upload.path, upload), renderPlanImport),
    );
  plan
    .command('show')
    .description("print a target's monthly plan")
    .argument('<target>', 'target id')
    .option('--json', 'print the JSON of GET /api/v1/targets/<id>/plan')
    .action(async (target: string, options: { json?: boolean }) => {
      const view = await withContext((context) => context.get(PlansService).get(target));
      io.out(options.json ? JSON.stringify(view, null, 2) : renderPlan(view));
    });
}
