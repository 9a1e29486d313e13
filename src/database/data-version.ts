import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface SqliteConnection {
  inTransaction: boolean;
  prepare(sql: string): { pluck(): { get(): unknown } };
}

// A token that changes whenever any row of the database changes, so a costly read can be
// memoized until then. On SQLite: total_changes() counts this connection's own writes (the app
// shares one connection), PRAGMA data_version moves when another process (a CLI import) commits.
// On PostgreSQL: the transaction snapshot (pg_current_snapshot(): xmin, xmax and the transactions
// in progress), which changes exactly when a transaction ends anywhere in the cluster, i.e. when
// what a query sees changes, whichever server process or CLI committed it. (The WAL position used
// before moves when the commit record is written, a moment before the commit becomes visible: a
// report computed in between was memoized under the new position without the change, and stayed
// so until the next write.) Unrelated commits only cost a recomputation.
// Returns null when a memo must not be used: inside an open SQLite transaction (the shared
// connection would see uncommitted rows), or when the token cannot be read.
@Injectable()
export class DataVersion {
  private statements?: { changes: { get(): unknown }; version: { get(): unknown } };

  constructor(private readonly dataSource: DataSource) {}

  async current(): Promise<string | null> {
    if (this.dataSource.options.type === 'postgres') {
      try {
        const [row] = await this.dataSource.query('SELECT pg_current_snapshot()::text AS snapshot');
        return `snapshot:${row.snapshot}`;
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
