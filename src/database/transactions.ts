import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

// TypeORM runs every SQLite query on one shared connection, so two async transactions would
// interleave inside one BEGIN…COMMIT. Write transactions on SQLite therefore take turns here;
// PostgreSQL gets a pooled connection per transaction and needs no queue.
@Injectable()
export class Transactions {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.dataSource.transaction(work);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await this.dataSource.transaction(work);
    } finally {
      release();
    }
  }
}
