import { Command } from 'commander';
import { formatWarekiDate } from '../calendar';
import { Clock, CLOCK } from '../common/clock';
import { parseAsOf } from '../common/query-params';
import { getProgram } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { PROJECTION_REASON_LABELS, VERDICT_LABELS } from '../progress/progress-math';
import { ProgressReport, ProgressService } from '../progress/progress.service';
import { CliIo, withContext } from './cli-runtime';
import { formatTable } from './table';

export function renderProgress(report: ProgressReport): string {
  const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);
  const targets = formatTable(
    ['目標', '期限', '全件', '完了', '対象外', '残り', '進捗', '期限超過', '月ペース', '必要ペース', '完了見込み', '判定'],
    report.targets.map((target) => [
      target.label,
      target.deadlineLabel,
      String(target.total),
      String(target.done),
      String(target.excluded),
      String(target.remaining),
      percent(target.percent),
      String(target.overdue),
      target.pacePerMonth.toFixed(1),
      target.neededPerMonth === null ? '—' : target.neededPerMonth.toFixed(1),
      target.projectedCompletion ? formatWarekiDate(target.projectedCompletion, 'short') : target.projectionReason ? PROJECTION_REASON_LABELS[target.projectionReason] : '—',
      `${VERDICT_LABELS[target.verdict]} (${target.verdict})`,
    ]),
  );
  const departments = formatTable(
    ['部局', '取組', '全件', '完了', '対象外', '進捗'],
    report.departments.map((row) => [row.department, getProgram(row.program).label, String(row.total), String(row.done), String(row.excluded), percent(row.percent)]),
  );
  // one set of terms everywhere (the dashboard, the workbook, this table)
  const terms = '全件 = 登録された項目すべて、対象外 = 分母から除く項目、対象（分母）= 全件 − 対象外、残り = 対象 − 完了、進捗 = 完了 ÷ 対象';
  return `基準日 ${formatWarekiDate(report.asOf)} (${report.asOf})\n\n${targets}\n\n部局別\n${departments}\n\n${terms}`;
}

export function registerProgressCommand(program: Command, io: CliIo): void {
  program
    .command('progress')
    .description('progress against each target as of a date (default today)')
    .option('--as-of <date>', 'YYYY-MM-DD or 和暦 (R8.11.24, 令和8年11月24日)')
    .option('--json', 'print the JSON of GET /api/v1/progress')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      const report = await withContext(async (context) => {
        const asOf = options.asOf ? parseAsOf(options.asOf) : context.get<Clock>(CLOCK).today();
        return context.get(ProgressService).progress(asOf);
      });
      io.out(options.json ? JSON.stringify(report, null, 2) : renderProgress(report));
    });
}
