import 'reflect-metadata';
import { Command } from 'commander';
import { registerBackupCommand } from './cli/backup-command';
import { registerBasicCommands } from './cli/basic-commands';
import { registerProgressCommand } from './cli/progress-command';
import { registerReorgCommand } from './cli/reorg-command';
import { registerImportCommand } from './cli/import-command';
import { registerTemplateCommand } from './cli/template-command';
import { registerExportCommand } from './cli/export-command';
import { registerDemoCommand } from './cli/demo-command';
import { registerPlanCommand } from './cli/plan-command';
import { registerProgramCommand } from './cli/program-command';
import { registerVolumesCommands } from './cli/volumes-command';
import { registerRemindCommand } from './cli/remind-command';
import { registerTransferCommand } from './cli/transfer-command';
import { CliIo, EXIT_OK, processIo, runProgram } from './cli/cli-runtime';

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('procedure-tracker')
    .description('procedure-dx-tracker: オンライン化・押印廃止・アナログ規制見直しの進捗管理')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError();
  registerBasicCommands(program, io, setExit);
  registerBackupCommand(program, io, setExit);
  registerProgressCommand(program, io);
  registerReorgCommand(program, io, setExit);
  registerImportCommand(program, io, setExit);
  registerTemplateCommand(program, io);
  registerExportCommand(program, io);
  registerPlanCommand(program, io, setExit);
  registerVolumesCommands(program, io, setExit);
  registerDemoCommand(program, io);
  registerTransferCommand(program, io);
  registerProgramCommand(program, io, setExit);
  registerRemindCommand(program, io, setExit);
  return program;
}

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  return runProgram(program, argv, io, () => exitCode);
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
