import { Command } from 'commander';
import { DomainError } from '../common/domain-error';
import { ProgramProblem } from '../programs/program-document';
import { ProgramChangeResult, ProgramListEntry, ProgramsService } from '../programs/programs.service';
import { CliIo, EXIT_REFUSED, withContext } from './cli-runtime';
import { cliActor, readReorganizationFile, renderProblems } from './reorg-command';
import { formatTable } from './table';

// program add|update|list: a program is a JSON document (CONTRACT.md "Programs as data").

export function renderProgramChange(result: ProgramChangeResult): string {
  const { program } = result;
  const verb = result.created ? '追加' : '更新';
  const headline = result.applied ? `取組「${program.label}」（${program.key}）を${verb}しました` : `確認のみ（--dry-run）: 取組「${program.label}」（${program.key}）は${verb}できます。何も変更していません`;
  return `${headline}\n状況 ${program.states.length} 件、列 ${program.fields.length} 件（共通の列を含む）`;
}

export function renderProgramList(programs: readonly ProgramListEntry[]): string {
  return formatTable(
    ['キー', '名称', '対象', '状況', '独自の列', '組込み'],
    programs.map((program) => [
      program.key,
      program.label,
      program.itemNoun,
      program.states.map((state) => state.label).join('・'),
      program.fields.slice(7).map((field) => field.header).join('・'),
      program.builtin ? 'はい' : '',
    ]),
  );
}

export function registerProgramCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program.command('program').description('program definitions (JSON documents): add, update, list');
  const change = (name: 'add' | 'update', description: string) =>
    command
      .command(name)
      .description(description)
      .argument('<file>', 'the program document (JSON, see CONTRACT.md "Programs as data")')
      .option('--dry-run', 'validate and report; change nothing')
      .option('--json', `print the JSON of ${name === 'add' ? 'POST /api/v1/programs' : 'PUT /api/v1/programs/<key>'}`)
      .action(async (file: string, options: { dryRun?: boolean; json?: boolean }) => {
        const dryRun = Boolean(options.dryRun);
        try {
          const document = readReorganizationFile(file);
          const result = await withContext((context) => {
            const programs = context.get(ProgramsService);
            const key = typeof document === 'object' && document !== null ? String((document as Record<string, unknown>).key ?? '') : '';
            return name === 'add' ? programs.add(document, cliActor(), { dryRun }) : programs.update(key, document, cliActor(), { dryRun });
          });
          io.out(options.json ? JSON.stringify(result, null, 2) : renderProgramChange(result));
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          setExit(EXIT_REFUSED);
          const problems = Array.isArray(error.details) ? (error.details as unknown as ProgramProblem[]) : [];
          if (options.json) {
            io.out(JSON.stringify({ applied: false, dryRun, code: error.code, message: error.message, ...(problems.length ? { details: problems } : {}) }, null, 2));
          } else {
            io.err(`エラー [${error.code}]: ${error.message}`);
            if (problems.length) io.err(renderProblems(problems));
          }
        }
      });
  change('add', 'add a program from its JSON document');
  change('update', 'update a program from its JSON document (adds and relabels only; nothing used may go)');
  command
    .command('list')
    .description('the programs, built-in and added')
    .option('--json', 'print JSON ({ programs: [...] } as GET /api/v1/programs, with builtin)')
    .action(async (options: { json?: boolean }) => {
      const programs = await withContext((context) => context.get(ProgramsService).list());
      io.out(options.json ? JSON.stringify({ programs }, null, 2) : renderProgramList(programs));
    });
}
