import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Actor } from '../common/actor';
import { parseAsOf } from '../common/query-params';
import { ImportProgressEvent, ImportResult, ImportRowError, ImportWarning, PlanAction } from '../imports/import.types';
import { ImportsService } from '../imports/imports.service';
import { allPrograms, getProgram, isProgramKey, programKeyList } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { CliIo, EXIT_REFUSED, UsageError, withContext } from './cli-runtime';

/** What the import and template commands need from outside; tests pass their own. */
export interface SheetCliRuntime {
  withContext<T>(work: (context: INestApplicationContext) => Promise<T>): Promise<T>;
  /** Where a progress bar may go (stderr): only when it is a terminal. */
  progressStream: NodeJS.WritableStream & { isTTY?: boolean };
}

export const defaultSheetCliRuntime: SheetCliRuntime = {
  withContext: (work) => withContext(work),
  progressStream: process.stderr,
};

/** Files with more data rows than this get a progress bar (on a terminal). */
export const PROGRESS_BAR_MIN_ROWS = 5000;

export function parseProgramArgument(value: string): ProgramKey {
  const folded = value.normalize('NFKC').trim().toLowerCase();
  if (isProgramKey(folded)) return folded;
  // The Japanese label is accepted too: 押印廃止 → seal.
  const byLabel = allPrograms().find((definition) => definition.label === value.normalize('NFKC').trim());
  if (byLabel) return byLabel.key;
  throw new UsageError(`取組「${value}」はありません（${programKeyList()}）`);
}

export function requireFile(path: string): string {
  const absolute = resolve(path);
  let isFile = false;
  try {
    isFile = statSync(absolute).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw new UsageError(`ファイル「${path}」が見つかりません`);
  return absolute;
}

const ACTION_LABELS: Record<PlanAction, string> = { create: '新規', update: '更新', unchanged: '変更なし' };

/** What every sheet import's report says after its counts: the outcome, warnings, row errors. */
export function sheetImportLines(
  result: { dryRun: boolean; summary: { errors: number }; errors: ImportRowError[]; errorsOmitted?: number; warnings: ImportWarning[] },
  appliedText = '取り込みました。',
): string[] {
  const lines: string[] = [];
  if (result.summary.errors > 0) lines.push('エラーがあるため何も書き込んでいません。ファイルを直してもう一度取り込んでください。');
  else if (result.dryRun) lines.push('試行（--dry-run）のため書き込んでいません。');
  else lines.push(appliedText);
  for (const warning of result.warnings) {
    const column = warning.column ? ` 列「${warning.column}」` : '';
    lines.push(`警告 行${warning.row}${column}: ${warning.message} [${warning.code}]`);
  }
  for (const error of result.errors) {
    lines.push(`行${error.row} 列「${error.column}」 値「${error.value}」: ${error.message} [${error.code}]`);
  }
  if (result.errorsOmitted) lines.push(`ほか ${result.errorsOmitted} 件のエラーは表示を省略しました。`);
  return lines;
}

/** The readable Japanese report of an import (the CLI without --json). */
export function renderImportResult(result: ImportResult, fileName: string): string {
  const { summary } = result;
  const lines = [
    `${getProgram(result.program).label}（${result.program}）の取り込み: ${fileName}`,
    `行数 ${summary.rows} ／ 新規 ${summary.created} ／ 更新 ${summary.updated} ／ 変更なし ${summary.unchanged} ／ エラー ${summary.errors}`,
  ];
  lines.push(...sheetImportLines(result));
  for (const entry of result.plan ?? []) {
    lines.push(`行${entry.row} ${entry.code} ${ACTION_LABELS[entry.action]}`);
  }
  return lines.join('\n');
}

/** The options every sheet import command takes besides its own. */
export interface SheetCommandOptions {
  dryRun?: boolean;
  sheet?: string;
  user?: string;
  json?: boolean;
}

/** What a sheet import command hands its service: the file, the actor (--user), the flags. */
export interface SheetCommandUpload {
  path: string;
  fileName: string;
  actor: Actor;
  dryRun: boolean;
  sheetName?: string;
}

/** A sheet import command's action: the import as the --user, its report (--json or Japanese), exit 1 on row errors. */
export async function runSheetCommand<R extends { summary: { errors: number } }>(
  io: CliIo,
  setExit: (code: number) => void,
  fileArg: string,
  options: SheetCommandOptions,
  run: (context: INestApplicationContext, upload: SheetCommandUpload) => Promise<R>,
  render: (result: R, fileName: string) => string,
): Promise<void> {
  const path = requireFile(fileArg);
  const fileName = basename(fileArg);
  const result = await withContext(async (context) => {
    const actor = await context.get(ImportsService).cliActor(options.user);
    return run(context, { path, fileName, actor, dryRun: options.dryRun === true, sheetName: options.sheet });
  });
  io.out(options.json ? JSON.stringify(result, null, 2) : render(result, fileName));
  if (result.summary.errors > 0) setExit(EXIT_REFUSED);
}

/** A bar on stderr for large files: rows read while parsing, then rows written. */
class ImportProgressBar {
  private bar: SingleBar | null = null;
  private phase: ImportProgressEvent['phase'] | null = null;
  private large = false;

  constructor(private readonly stream: SheetCliRuntime['progressStream']) {}

  update(event: ImportProgressEvent): void {
    if (!this.stream.isTTY) return;
    if (event.phase === 'read' && event.done > PROGRESS_BAR_MIN_ROWS) this.large = true;
    if (!this.large) return;
    if (this.phase !== event.phase) {
      this.stop();
      this.phase = event.phase;
      const format = event.phase === 'read' ? '読み込み中 {value} 行' : '書き込み中 [{bar}] {percentage}% {value}/{total} 行';
      this.bar = new SingleBar({ stream: this.stream as NodeJS.WritableStream, format, hideCursor: true, clearOnComplete: false });
      this.bar.start(event.total ?? 0, event.done);
      return;
    }
    this.bar?.update(event.done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** --map No.=管理番号 様式名=名称 → { "No.": "管理番号", "様式名": "名称" } (split at the last =). */
export function mappingFromArguments(pairs: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--map は 見出し=列 の形で指定してください（「${pair}」）`);
    mapping[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return mapping;
}

export function registerImportCommand(program: Command, io: CliIo, setExit: (code: number) => void, runtime: SheetCliRuntime = defaultSheetCliRuntime): void {
  program
    .command('import')
    .description('import a sheet (xlsx or CSV: UTF-8 or Shift_JIS) into a program: all rows or nothing')
    .argument('<program>', 'online | seal | analog')
    .argument('<file>', 'the xlsx or CSV file')
    .option('--dry-run', 'validate and report what would change, without writing')
    .option('--sheet <name>', 'xlsx: the sheet to read (default: the one named after the program, else the first)')
    .option('--as-of <date>', 'default completion date for done rows without 完了日 (default today)')
    .option('--json', 'print the result object of CONTRACT.md')
    .option('--plan', 'add the per-row plan (create / update / unchanged)')
    .option('--user <name>', 'an existing user the import is made as (history "who"; default "cli")')
    .option('--map <header=column...>', "the sheet's own headers → the program's columns, e.g. --map No.=管理番号 様式名=名称")
    .option('--assign-codes', 'rows without 管理番号 (or a sheet without the column) get new codes')
    .action(async (programArg: string, fileArg: string, options: { dryRun?: boolean; sheet?: string; asOf?: string; json?: boolean; plan?: boolean; user?: string; map?: string[]; assignCodes?: boolean }) => {
      const key = parseProgramArgument(programArg);
      const path = requireFile(fileArg);
      const asOf = options.asOf ? parseAsOf(options.asOf) : undefined;
      const headerMapping = options.map ? mappingFromArguments(options.map) : undefined;
      const bar = new ImportProgressBar(runtime.progressStream);
      let result: ImportResult;
      try {
        result = await runtime.withContext(async (context) => {
          const imports = context.get(ImportsService);
          const actor = await imports.cliActor(options.user);
          return imports.importFile({
            program: key,
            path,
            fileName: basename(fileArg),
            actor,
            dryRun: options.dryRun === true,
            asOf,
            sheetName: options.sheet,
            withPlan: options.plan === true,
            onProgress: (event) => bar.update(event),
            headerMapping,
            assignCodes: options.assignCodes === true,
          });
        });
      } finally {
        bar.stop();
      }
      io.out(options.json ? JSON.stringify(result, null, 2) : renderImportResult(result, basename(fileArg)));
      if (result.summary.errors > 0) setExit(EXIT_REFUSED);
    });
}
