import { Command } from 'commander';
import { createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { isSupportedDate, parseJapaneseDate } from '../calendar';
import { dateOutOfRange, parseAsOf } from '../common/query-params';
import { CLI_ACTOR } from '../imports/imports.service';
import { getProgram } from '../programs/program-definitions';
import { ExportFormat, EXPORT_FORMATS, PreparedExport, ReportsService } from '../reports/reports.service';
import { CliIo, UsageError } from './cli-runtime';
import { defaultSheetCliRuntime, parseProgramArgument, SheetCliRuntime } from './import-command';

export const COMPLIANCE = 'compliance';

interface ExportOptions {
  format?: string;
  out: string;
  asOf?: string;
  department?: string;
  division?: string;
  status?: string;
  from?: string;
  to?: string;
}

/** --format, else the extension of --out. */
export function exportFormat(format: string | undefined, out: string): ExportFormat {
  const value = (format ?? extname(out).slice(1)).normalize('NFKC').trim().toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new UsageError(format ? `形式「${format}」は使えません（csv または xlsx）` : '--format csv|xlsx を指定してください（--out の拡張子からは決められません）');
}

function periodDate(value: string, name: string): string {
  const date = parseJapaneseDate(value);
  if (!date) throw new UsageError(`${name}「${value}」は日付として読めません（例: 2026-04-01、令和8年4月1日）`);
  if (!isSupportedDate(date)) throw dateOutOfRange(name, value);
  return date;
}

function requireFolder(out: string): void {
  let folder = false;
  try {
    folder = statSync(dirname(out)).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder) throw new UsageError(`書き出し先のフォルダ「${dirname(out)}」がありません`);
}

/** Writes next to the target and renames at the end: a failed export leaves no half file behind. */
async function writeFile(prepared: PreparedExport, out: string): Promise<number> {
  const partial = `${out}.partial`;
  try {
    const { rows } = await prepared.write(createWriteStream(partial));
    await rename(partial, out);
    return rows;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export function registerExportCommand(program: Command, io: CliIo, runtime: SheetCliRuntime = defaultSheetCliRuntime): void {
  program
    .command('export')
    .description("write a program's items (the import layout, CSV or xlsx) or the compliance workbook (xlsx)")
    .argument('<what>', 'online | seal | analog | compliance')
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', 'csv | xlsx (default: from the extension of --out; compliance: xlsx only)')
    .option('--as-of <date>', 'the state as of this date (YYYY-MM-DD or 和暦); default: as the items stand (compliance: today)')
    .option('--department <department>', 'only this department (code or name)')
    .option('--division <division>', 'program export: only this division (code or name)')
    .option('--status <status>', 'program export: only items in this state (key or label)')
    .option('--from <date>', 'compliance: 変更履歴 from this day (default: 1 April of the as-of fiscal year)')
    .option('--to <date>', 'compliance: 変更履歴 up to this day (default: the as-of date)')
    .action(async (what: string, options: ExportOptions) => {
      const compliance = what.normalize('NFKC').trim().toLowerCase() === COMPLIANCE;
      const key = compliance ? null : parseProgramArgument(what);
      const format = exportFormat(options.format, options.out);
      if (compliance && format !== 'xlsx') throw new UsageError('compliance は xlsx だけです（--format xlsx）');
      if (compliance && (options.division || options.status)) throw new UsageError('--division と --status は取組ごとの書き出しだけで使えます');
      if (!compliance && (options.from || options.to)) throw new UsageError('--from と --to は compliance だけで使えます');
      const out = resolve(options.out);
      requireFolder(out);
      const asOf = options.asOf ? parseAsOf(options.asOf) : undefined;
      const from = options.from ? periodDate(options.from, '--from') : undefined;
      const to = options.to ? periodDate(options.to, '--to') : undefined;
      // The operator on the server: an admin (audit "by": cli).
      const rows = await runtime.withContext(async (context) => {
        const reports = context.get(ReportsService);
        const prepared = key
          ? await reports.prepareItems({ program: key, format, asOf, department: options.department, division: options.division, status: options.status }, CLI_ACTOR)
          : await reports.prepareCompliance({ asOf, department: options.department, from, to }, CLI_ACTOR);
        return writeFile(prepared, out);
      });
      const summary = key ? `${getProgram(key).label}（${rows} 件）` : `取組状況報告（取組シート計 ${rows} 件）`;
      io.out(`書き出しました: ${options.out} — ${summary}`);
    });
}
