import { Command } from 'commander';
import { formatWarekiDate } from '../calendar';
import { SYSTEM_ACTOR } from '../common/actor';
import { parseAsOf } from '../common/query-params';
import { ReminderRunResult, RemindersService } from '../reminders/reminders.service';
import { CliIo, EXIT_REFUSED, withContext } from './cli-runtime';
import { formatTable } from './table';

export function renderReminders(result: ReminderRunResult): string {
  const lines = [`基準日 ${formatWarekiDate(result.asOf)} (${result.asOf})${result.dryRun ? '　※試行（送信していません）' : ''}`];
  const rows = [
    ...result.sent.map((entry) => [entry.division, entry.divisionName, result.dryRun ? '送信予定' : '送信済', String(entry.overdue), String(entry.requests), entry.to.join(' ')]),
    ...result.failed.map((entry) => [entry.division, entry.divisionName, `失敗（${entry.attempts}回）`, String(entry.overdue), String(entry.requests), entry.to.join(' ')]),
    ...result.noContacts.map((entry) => [entry.division, entry.divisionName, '連絡先未設定', String(entry.overdue), String(entry.requests), '']),
  ];
  lines.push(rows.length ? formatTable(['課コード', '課', '結果', '期限超過', '照会', '宛先'], rows) : '知らせることのある課はありません');
  for (const entry of result.failed) lines.push(`送信できませんでした: ${entry.division} ${entry.divisionName}: ${entry.errors[entry.errors.length - 1]}`);
  return lines.join('\n');
}

export function registerRemindCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('remind')
    .description('mail each division its overdue items (SMTP_URL, MAIL_FROM); exit 1 when a mail could not be sent')
    .option('--dry-run', 'list who would be sent what, send nothing')
    .option('--as-of <date>', 'YYYY-MM-DD or 和暦 (default today)')
    .option('--json', 'print JSON')
    .action(async (options: { dryRun?: boolean; asOf?: string; json?: boolean }) => {
      const asOf = options.asOf ? parseAsOf(options.asOf) : undefined;
      const result = await withContext((context) =>
        context.get(RemindersService).run({ asOf, dryRun: options.dryRun, actor: { ...SYSTEM_ACTOR, name: 'cli' } }),
      );
      io.out(options.json ? JSON.stringify(result, null, 2) : renderReminders(result));
      if (result.failed.length) {
        io.err(`エラー [reminder_failed]: 次の課へのメールを送れませんでした（監査ログに記録済み）: ${result.failed.map((entry) => `${entry.division} ${entry.divisionName}`).join('、')}`);
        setExit(EXIT_REFUSED);
      }
    });
}
