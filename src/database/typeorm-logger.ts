import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

// TypeORM's own console logger writes multi-line coloured text, which breaks LOG_FORMAT=json's
// one object per line; this one hands its messages to the application's logger instead. Query
// parameters are never logged: they carry token and password hashes and people's notes.
export class TypeOrmLogger implements Logger {
  private readonly logger = new NestLogger('TypeORM');

  logQuery(): void {
    // queries are not logged (only errors and warnings)
  }

  logQueryError(error: string | Error, query: string, _parameters?: unknown): void {
    this.logger.error(`query failed: ${error instanceof Error ? error.message : error} (${query.replace(/\s+/g, ' ').slice(0, 500)})`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.replace(/\s+/g, ' ').slice(0, 500)}`);
  }

  logSchemaBuild(): void {
    // schema comes from migrations only
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
