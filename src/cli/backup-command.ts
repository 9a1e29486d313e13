import Database from 'better-sqlite3';
import { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { Clock, CLOCK } from '../common/clock';
import { AttachmentsBackup, backupAttachments } from './backup-attachments';
import { cliConfig, CliIo, EXIT_REFUSED, UsageError, withContext } from './cli-runtime';
import { formatTable } from './table';

// `backup --out FILE`: SQLite's online backup, taken on a separate read-only connection while the
// server keeps writing. The whole copy is one backup step, i.e. one read transaction: in WAL mode
// it sees one committed state and never blocks the server's writers. Serving the copy
// (DATABASE_URL=sqlite:FILE) is the restore. PostgreSQL has pg_dump for this.
// `backup --out-dir DIR --keep N` is the nightly form (deploy/procedure-tracker-backup.service):
// a time-stamped file, then only the newest N of those kept. `backup --verify FILE` checks a copy.
// Copies hold every user's token hash and the whole audit trail: written 0600, owner only.

const BACKUP_MODE = 0o600;
/** The names `--out-dir` writes, and the only files `--keep` ever deletes. */
const STAMPED_NAME = /^tracker-\d{8}T\d{6}\.\d{3}Z\.sqlite$/;

export interface BackupResult {
  database: string;
  out: string;
  bytes: number;
  pages: number;
}

export interface BackupOptions {
  force?: boolean;
}

/** Copies `source` (a live SQLite database) to `out`, checks the copy, and only then gives it its name. */
export async function backupSqlite(source: string, out: string, options: BackupOptions = {}): Promise<BackupResult> {
  const target = path.resolve(out);
  if (!fs.existsSync(source)) throw new DomainError('database_not_found', `データベースファイル「${source}」がありません`);
  if (samePath(source, target)) throw new DomainError('backup_same_file', 'バックアップ先にデータベースそのものは指定できません');
  const existing = fs.lstatSync(target, { throwIfNoEntry: false });
  if (existing && !options.force) {
    throw new DomainError('backup_exists', `「${target}」は既にあります（上書きするときは --force を付けてください）`);
  }
  // --force replaces an earlier copy, never a device, a directory, a pipe or what a link points to.
  if (existing && !existing.isFile()) {
    throw new DomainError('backup_not_regular_file', `「${target}」は通常のファイルではないため上書きできません（--force でも置き換えるのは通常のファイルだけです）`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written under a temporary name: an interrupted backup never leaves a half copy under FILE.
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  // Created owner-only before SQLite writes a byte into it (the umask could leave it world-readable).
  fs.closeSync(fs.openSync(partial, 'wx', BACKUP_MODE));
  const reader = new Database(source, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    // Without a busy timeout a reader can fail at once while the server checkpoints.
    reader.pragma('busy_timeout = 10000');
    // The largest step there is: the whole copy in one step, so a concurrent write cannot restart it.
    const result = await reader.backup(partial, { progress: () => 0x7fffffff });
    pages = result.totalPages;
    const copy = new Database(partial, { fileMustExist: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new DomainError('backup_corrupt', `バックアップの検査で問題が見つかりました: ${String(check)}`);
      // A single self-contained file: no -wal beside it to forget when it is moved.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.chmodSync(partial, BACKUP_MODE);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${partial}${suffix}`, { force: true });
    throw error;
  } finally {
    reader.close();
  }
  return { database: source, out: target, bytes: fs.statSync(target).size, pages };
}

/** `tracker-20261129T023000.123Z.sqlite`: sorts by time, says when (UTC) the copy was taken. */
export function stampedName(at: Date): string {
  return `tracker-${at.toISOString().replace(/[-:]/g, '')}.sqlite`;
}

export interface DirectoryBackupResult extends BackupResult {
  kept: string[];
  removed: string[];
}

/** The nightly form: a new stamped copy in `dir`, then the newest `keep` stamped copies kept. */
export async function backupToDirectory(source: string, dir: string, keep: number, at: Date): Promise<DirectoryBackupResult> {
  if (!Number.isInteger(keep) || keep < 1) throw new DomainError('invalid_keep', `--keep は 1 以上の整数で指定してください（値「${keep}」）`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const result = await backupSqlite(source, path.join(dir, stampedName(at)));
  const stamped = fs
    .readdirSync(dir)
    .filter((name) => STAMPED_NAME.test(name) && fs.lstatSync(path.join(dir, name)).isFile())
    .sort();
  const removed = stamped.slice(0, Math.max(0, stamped.length - keep));
  for (const name of removed) {
    fs.rmSync(path.join(dir, name));
    // the evidence files copied beside it (backupAttachments) go with it
    fs.rmSync(path.join(dir, `${name}.attachments`), { recursive: true, force: true });
  }
  return { ...result, kept: stamped.slice(removed.length).map((name) => path.join(dir, name)), removed: removed.map((name) => path.join(dir, name)) };
}

export interface VerifyResult {
  file: string;
  ok: boolean;
  integrity: string[];
  foreignKeyProblems: number;
  tables: Record<string, number>;
}

/**
 * Checks a backup without touching it: opened read-only (a copy in journal mode DELETE needs no
 * -wal or -shm beside it), integrity_check and foreign_key_check, and the rows of every table.
 */
export function verifyBackup(file: string): VerifyResult {
  const target = path.resolve(file);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) throw new DomainError('backup_not_found', `バックアップファイル「${target}」がありません`);
  let db: Database.Database;
  try {
    db = new Database(target, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { file: target, ok: false, integrity: [error instanceof Error ? error.message : String(error)], foreignKeyProblems: 0, tables: {} };
  }
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
    const tables: Record<string, number> = {};
    for (const name of names) tables[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
    const ok = integrity.length === 1 && integrity[0] === 'ok' && foreignKeyProblems === 0 && 'schema_migrations' in tables;
    return { file: target, ok, integrity, foreignKeyProblems, tables };
  } catch (error) {
    // "file is not a database", "database disk image is malformed"
    return { file: target, ok: false, integrity: [error instanceof Error ? error.message : String(error)], foreignKeyProblems: 0, tables: {} };
  } finally {
    db.close();
  }
}

function samePath(a: string, b: string): boolean {
  const real = (file: string) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  return real(a) === real(b);
}

/** The audit trail's "by" for a backup from the terminal: the OS account. */
function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return { ...SYSTEM_ACTOR, name: `cli:${user}` };
}

export function refuseUnlessSqlite(config: AppConfig): string {
  if (config.database.type !== 'sqlite') {
    throw new DomainError(
      'backup_not_sqlite',
      'backup は SQLite 専用です。PostgreSQL は pg_dump で取得してください（例: pg_dump -Fc -f tracker.dump "$DATABASE_URL"、復元は pg_restore -d <接続先> tracker.dump）',
    );
  }
  if (config.database.path === ':memory:') throw new DomainError('backup_not_sqlite', 'メモリ上のデータベースはバックアップできません');
  return config.database.path;
}

export function registerBackupCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('backup')
    .description('copy the SQLite database while the server runs (online backup); PostgreSQL: use pg_dump')
    .option('--out <file>', 'the copy to write')
    .option('--out-dir <dir>', 'write a time-stamped copy into DIR (the nightly form)')
    .option('--keep <n>', 'with --out-dir: keep only the newest N stamped copies')
    .option('--force', 'replace FILE when it exists (a regular file only)')
    .option('--verify <file>', 'check a backup: integrity and rows per table (exit 1 when broken)')
    .option('--json', 'print JSON')
    .action(async (options: { out?: string; outDir?: string; keep?: string; force?: boolean; verify?: string; json?: boolean }) => {
      const forms = [options.out, options.outDir, options.verify].filter((value) => value !== undefined).length;
      if (forms !== 1) throw new UsageError('backup: give one of --out FILE, --out-dir DIR or --verify FILE');
      if (options.keep !== undefined && options.outDir === undefined) throw new UsageError('backup: --keep goes with --out-dir');
      if (options.verify !== undefined) {
        const checked = verifyBackup(options.verify);
        if (options.json) io.out(JSON.stringify(checked));
        else {
          io.out(`${checked.ok ? '正常です' : '問題があります'}: ${checked.file}`);
          if (!checked.ok) io.out(`integrity_check: ${checked.integrity.join('; ')}${checked.foreignKeyProblems ? `; foreign_key_check: ${checked.foreignKeyProblems} 件` : ''}`);
          if (Object.keys(checked.tables).length) io.out(formatTable(['table', 'rows'], Object.entries(checked.tables).map(([name, rows]) => [name, String(rows)])));
        }
        if (!checked.ok) setExit(EXIT_REFUSED);
        return;
      }
      const keep = options.keep === undefined ? undefined : Number(options.keep);
      if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new UsageError(`--keep must be an integer ≥ 1 (got ${options.keep})`);
      const source = refuseUnlessSqlite(cliConfig());
      const result = await withContext<BackupResult & { removed?: string[]; attachments: AttachmentsBackup }>(
        async (context) => {
          const copied = options.outDir !== undefined
            ? await backupToDirectory(source, path.resolve(options.outDir), keep ?? Number.MAX_SAFE_INTEGER, context.get<Clock>(CLOCK).now())
            : await backupSqlite(source, options.out!, { force: options.force });
          // the evidence files live beside the database: copied to <copy>.attachments/
          const attachments = await backupAttachments(cliConfig(), copied.out);
          await context.get(AuditService).record(cliActor(), 'backup', { out: copied.out, bytes: copied.bytes, attachments });
          return { ...copied, attachments };
        },
        { loadReference: false },
      );
      if (options.json) io.out(JSON.stringify(result));
      else {
        io.out(`バックアップしました: ${result.out}（${(result.bytes / 1024 / 1024).toFixed(1)} MB）\n復元: DATABASE_URL=sqlite:${result.out} ATTACHMENTS_DIR=${result.attachments.dir} で起動します`);
        if (result.removed?.length) io.out(`古いバックアップを削除しました: ${result.removed.length} 件`);
      }
    });
}
