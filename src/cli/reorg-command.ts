import { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { formatWarekiDate } from '../calendar';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { ReorganizationProblem } from '../reorganization/reorganization-plan';
import { ReorganizationResult, ReorganizationService } from '../reorganization/reorganization.service';
import { CliIo, EXIT_REFUSED, UsageError, withContext } from './cli-runtime';
import { formatTable } from './table';

/** The audit trail's "by" for a reorganization run from the terminal: the OS account. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): keep 'unknown'
  }
  return { ...SYSTEM_ACTOR, name: `cli:${user}` };
}

/** The document from FILE: a missing or unreadable file is a usage error, bad JSON is refused. */
export function readReorganizationFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`ファイル「${file}」を読めません（${(error as NodeJS.ErrnoException).code ?? String(error)}）`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DomainError('malformed_json', `ファイル「${file}」の JSON の形式が正しくありません: ${(error as Error).message}`);
  }
}

export function renderReorganization(result: ReorganizationResult): string {
  const { summary } = result;
  const headline = result.applied ? '組織改編を適用しました' : '確認のみ（--dry-run）: 何も変更していません';
  const table = formatTable(
    ['部局の新設', '課の新設', '移管', '名称変更', '統合', '部局の廃止', '移った項目'],
    [[summary.newDepartments, summary.newDivisions, summary.moved, summary.renamed, summary.merged, summary.closedDepartments, summary.itemsMoved].map(String)],
  );
  const changes = result.changes.length ? `\n\n${result.changes.map((line) => `・${line}`).join('\n')}` : '';
  return `${headline}（適用日 ${formatWarekiDate(result.effectiveOn)} (${result.effectiveOn})）\n\n${table}${changes}`;
}

export function renderProblems(problems: ReorganizationProblem[]): string {
  return formatTable(
    ['箇所', 'コード', '内容'],
    problems.map((problem) => [problem.entry, problem.code, problem.message]),
  );
}

export function registerReorgCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('reorg')
    .description('apply a reorganization document (JSON): new departments and divisions, moves, renames, merges, closures')
    .argument('<file>', 'the reorganization document (JSON, see README "Reorganization")')
    .option('--dry-run', 'validate and print the summary; change nothing')
    .option('--json', 'print the JSON of POST /api/v1/reorganizations')
    .action(async (file: string, options: { dryRun?: boolean; json?: boolean }) => {
      const dryRun = Boolean(options.dryRun);
      try {
        const document = readReorganizationFile(file);
        const result = await withContext((context) => context.get(ReorganizationService).apply(document, cliActor(), { dryRun }));
        io.out(options.json ? JSON.stringify(result, null, 2) : renderReorganization(result));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // Refused: the same code, message and entry-level details as the API's 400 body.
        setExit(EXIT_REFUSED);
        const problems = Array.isArray(error.details) ? (error.details as unknown as ReorganizationProblem[]) : [];
        if (options.json) {
          io.out(JSON.stringify({ applied: false, dryRun, code: error.code, message: error.message, ...(problems.length ? { details: problems } : {}) }, null, 2));
        } else {
          io.err(`エラー [${error.code}]: ${error.message}`);
          if (problems.length) io.err(renderProblems(problems));
        }
      }
    });
}
