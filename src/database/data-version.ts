import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface SqliteConnection {
  inTransaction: boolean;
  prepare(sql: string): { pluck(): { get(): unknown } };
}

// A token that changes whenever any row of the database changes, so a costly read can be
// memoized until then. On SQLite: total_changes() counts this connection's own writes (the app
// shares one connection), PRAGMA data_version moves when another process (a CLI import) commits.
// On PostgreSQL: the WAL position, which every commit anywhere in the cluster moves (other
// servers' and the CLI's included; unrelated writes only cost a recomputation).
// Returns null when a memo must not be used: inside an open SQLite transaction (the shared
// connection would see uncommitted rows), or when the position cannot be read (a standby).
@Injectable()
export class DataVersion {
  private statements?: { changes: { get(): unknown }; version: { get(): unknown } };

  constructor(private readonly dataSource: DataSource) {}

  async current(): Promise<string | null> {
    if (this.dataSource.options.type === 'postgres') {
      try {
        const [row] = await this.dataSource.query('SELECT pg_current_wal_lsn()::text AS lsn');
        return `wal:${row.lsn}`;
      } catch {
        return null;
      }
    }
    if (this.dataSource.options.type !== 'better-sqlite3') return null;
    const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    if (!connection || connection.inTransaction) return null;
    this.statements ??= {
      changes: connection.prepare('SELECT total_changes()').pluck(),
      version: connection.prepare('PRAGMA data_version').pluck(),
    };
    return `${String(this.statements.changes.get())}:${String(this.statements.version.get())}`;
  }
}

/** Keeps the last few results of a read, each valid while the data version it was read at holds. */
export class VersionedMemo<T> {
  private readonly entries = new Map<string, { version: string; value: T }>();

  constructor(private readonly capacity = 16) {}

  async get(key: string, version: string | null, compute: () => Promise<T>): Promise<T> {
    if (version === null) return compute();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = await compute();
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
