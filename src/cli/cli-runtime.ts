import { INestApplicationContext } from '@nestjs/common';
import { Command, CommanderError } from 'commander';
import { DataSource } from 'typeorm';
import { createCliContext } from '../bootstrap';
import { DomainError } from '../common/domain-error';
import { isDiskFull, toErrorBody } from '../common/http-exception.filter';
import { AppConfig, loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { ReferenceDataService } from '../reference/reference-data.service';

// Exit codes (CONTRACT.md): 0 done, 1 the input was refused (row errors, unknown user…), 2 usage.
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** All of standard input (for --password-stdin); absent where there is none. */
  readStdin?: () => Promise<string>;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readStdin: readProcessStdin,
};

/** The password piped in (--password-stdin): one line, its line break removed, nothing else changed. */
export async function passwordFromStdin(io: CliIo): Promise<string> {
  if (!io.readStdin) throw new UsageError('--password-stdin: no standard input');
  const text = (await io.readStdin()).replace(/\r?\n$/, '');
  if (!text) throw new UsageError('--password-stdin: standard input was empty');
  if (/[\r\n]/.test(text)) throw new UsageError('--password-stdin: give the password on one line');
  return text;
}

export function cliConfig(): AppConfig {
  return loadConfig(process.env);
}

/** Runs `work` inside an application context (migrated, reference data loaded) and closes it. */
export async function withContext<T>(work: (context: INestApplicationContext) => Promise<T>, options: { loadReference?: boolean } = {}): Promise<T> {
  const context = await createCliContext({ config: cliConfig() });
  try {
    if (options.loadReference !== false) await context.get(ReferenceDataService).load();
    return await work(context);
  } finally {
    await context.close();
  }
}

export async function runMigrations(config: AppConfig = cliConfig()): Promise<string[]> {
  const dataSource = new DataSource(buildDataSourceOptions(config.database));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

const pick = ({ code, message }: { code: string; message: string }) => ({ code, message });

export function describeError(error: unknown): { code: string; message: string; exitCode: number } {
  if (error instanceof UsageError) return { code: 'usage', message: error.message, exitCode: EXIT_USAGE };
  if (error instanceof DomainError) return { code: error.code, message: error.message, exitCode: EXIT_REFUSED };
  if (isDiskFull(error)) return { ...pick(toErrorBody(error)), exitCode: EXIT_REFUSED };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error), exitCode: EXIT_REFUSED };
}

/**
 * Parses `argv` with `program` and maps the outcome to an exit code: help is 0, anything
 * commander refuses is a usage error, a refused input prints `エラー [code]: message`.
 * `exitCode` reads what the command itself set (e.g. 1 for row errors) after a clean run.
 */
export async function runProgram(program: Command, argv: string[], io: CliIo, exitCode: () => number = () => EXIT_OK): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' ? EXIT_OK : EXIT_USAGE;
    }
    const { code, message, exitCode: failure } = describeError(error);
    io.err(`エラー [${code}]: ${message}`);
    return failure;
  }
}
