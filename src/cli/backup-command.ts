import Database from 'better-sqlite3';
import { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { backupAttachments } from './backup-attachments';
import { cliConfig, CliIo, withContext } from './cli-runtime';

// `backup --out FILE`: SQLite's online backup, taken on a separate read-only connection while the
// server keeps writing. The whole copy is one backup step, i.e. one read transaction: in WAL mode
// it sees one committed state and never blocks the server's writers. Serving the copy
// (DATABASE_URL=sqlite:FILE) is the restore. PostgreSQL has pg_dump for this.

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
  if (fs.existsSync(target) && !options.force) {
    throw new DomainError('backup_exists', `「${target}」は既にあります（上書きするときは --force を付けてください）`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written under a temporary name: an interrupted backup never leaves a half copy under FILE.
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
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

export function registerBackupCommand(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('copy the SQLite database while the server runs (online backup); PostgreSQL: use pg_dump')
    .requiredOption('--out <file>', 'the copy to write')
    .option('--force', 'replace FILE when it exists')
    .option('--json', 'print JSON')
    .action(async (options: { out: string; force?: boolean; json?: boolean }) => {
      const source = refuseUnlessSqlite(cliConfig());
      const result = await withContext(
        async (context) => {
          const copied = await backupSqlite(source, options.out, { force: options.force });
          const attachments = await backupAttachments(cliConfig(), copied.out);
          await context.get(AuditService).record(cliActor(), 'backup', { out: copied.out, bytes: copied.bytes, attachments });
          return { ...copied, attachments };
        },
        { loadReference: false },
      );
      if (options.json) io.out(JSON.stringify(result));
      else io.out(`バックアップしました: ${result.out}（${(result.bytes / 1024 / 1024).toFixed(1)} MB）\n復元: DATABASE_URL=sqlite:${result.out} ATTACHMENTS_DIR=${result.attachments.dir} で起動します`);
    });
}
