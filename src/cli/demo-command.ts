import { Command, InvalidArgumentError } from 'commander';
import { getProgram } from '../programs/program-definitions';
import { DemoService, DemoSummary } from '../sample-data/demo.service';
import { CliIo, withContext } from './cli-runtime';

export const DEFAULT_DEMO_ITEMS = 1000;

function integerOption(value: string): number {
  const number = Number(value.normalize('NFKC').replace(/,/g, ''));
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('0以上の整数で指定してください');
  return number;
}

export function renderDemo(summary: DemoSummary): string {
  const items = (Object.keys(summary.items) as (keyof DemoSummary['items'])[]).map((program) => `${getProgram(program).label} ${summary.items[program]}件`).join('、');
  return [
    `サンプルの市を入れました（基準日 ${summary.asOf}、名称は【サンプル】で始まり、備考に「デモ用のサンプルデータ」とあります）。`,
    `項目: ${items}（ほかに国の51手続へ状況の変化を付けました）`,
    `変更履歴: ${summary.historyRows}行`,
    `月別計画: ${summary.plans.map((plan) => `${plan.target}（${plan.months}か月・計${plan.totalPlanned}件）`).join('、') || 'なし'}`,
    `件数（オンライン・窓口）: ${summary.volumes.from}〜${summary.volumes.to} の ${summary.volumes.rows}行`,
    '',
    '次は npm start で起動し、http://localhost:3000 を開いてください（初回起動時に表示される管理者トークンでログインします）。',
  ].join('\n');
}

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('fill an EMPTY database with a clearly labelled sample city (refuses a database that holds the city\'s own data)')
    .option('--items <n>', `sample items over the three programs (default ${DEFAULT_DEMO_ITEMS})`, integerOption, DEFAULT_DEMO_ITEMS)
    .option('--seed <n>', 'seed of the generator (same seed, same city)', integerOption)
    .option('--json', 'print the summary as JSON')
    .action(async (options: { items: number; seed?: number; json?: boolean }) => {
      const summary = await withContext((context) => context.get(DemoService).fill({ items: options.items, seed: options.seed }));
      io.out(options.json ? JSON.stringify(summary, null, 2) : renderDemo(summary));
    });
}
