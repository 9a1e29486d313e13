import { Command } from 'commander';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeImportTemplate } from '../imports/import-template';
import { OrganizationService } from '../organization/organization.service';
import { getProgram } from '../programs/program-definitions';
import { CliIo, UsageError } from './cli-runtime';
import { defaultSheetCliRuntime, parseProgramArgument, SheetCliRuntime } from './import-command';

export function registerTemplateCommand(program: Command, io: CliIo, runtime: SheetCliRuntime = defaultSheetCliRuntime): void {
  program
    .command('template')
    .description('write the empty import sheet of a program (xlsx with drop-down lists) for a division to fill in')
    .argument('<program>', 'online | seal | analog')
    .requiredOption('--out <file>', 'the xlsx file to write')
    .action(async (programArg: string, options: { out: string }) => {
      const key = parseProgramArgument(programArg);
      const out = resolve(options.out);
      let folder = false;
      try {
        folder = statSync(dirname(out)).isDirectory();
      } catch {
        folder = false;
      }
      if (!folder) throw new UsageError(`書き出し先のフォルダ「${dirname(options.out)}」がありません`);
      const divisions = await runtime.withContext(async (context) => {
        const index = await context.get(OrganizationService).currentDivisions();
        return index.divisions.map((division) => division.name);
      });
      await writeImportTemplate(key, divisions, out);
      io.out(`テンプレートを書き出しました: ${options.out}（シート「${getProgram(key).label}」、所管課の選択肢 ${divisions.length} 件）`);
    });
}
