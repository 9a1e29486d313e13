import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, EntityManager, FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { AuditEntry } from './audit-entry.entity';
import { InstantRange } from './audit-range';

export type AuditAction =
  | 'import'
  | 'export'
  | 'reorganization'
  | 'token_created'
  | 'token_revoked'
  | 'target_created'
  | 'target_updated'
  | 'target_deleted'
  | 'plan_set'
  | 'volumes_import'
  | 'monthly_report'
  | 'monthly_plan_set'
  | 'monthly_reports_import'
  | 'backup'
  | 'attachment_added'
  | 'attachment_downloaded'
  | 'contacts_set'
  | 'reminder_sent'
  | 'reminder_failed'
  | 'reminder_skipped'
  | 'program_created'
  | 'program_updated'
  | 'user_created'
  | 'user_disabled'
  | 'user_updated'
  | 'password_set'
  | 'password_reset'
  | 'password_changed'
  | 'completion_confirmed'
  | 'completion_returned'
  | 'survey_opened'
  | 'survey_answered'
  | 'survey_returned'
  | 'survey_confirmed';

export interface AuditEntryView {
  at: string;
  by: string;
  action: string;
  detail: unknown;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records an action; pass the transaction's manager so the entry commits or rolls back with it. */
  async record(actor: Actor, action: AuditAction, detail: Record<string, unknown>, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditEntry) : this.entries;
    await repository.insert({ at: this.clock.now().toISOString(), by: actor.name, action, detail: JSON.stringify(detail) });
  }

  /** Entries with `at` in [fromInstant, toInstant), oldest first. */
  async list(range: InstantRange = {}, filters: { action?: string; by?: string } = {}): Promise<AuditEntryView[]> {
    const bounds = [
      ...(range.fromInstant ? [MoreThanOrEqual(range.fromInstant)] : []),
      ...(range.toInstant ? [LessThan(range.toInstant)] : []),
    ];
    const where: FindOptionsWhere<AuditEntry> = bounds.length ? { at: bounds.length === 1 ? bounds[0] : And(...bounds) } : {};
    if (filters.action) where.action = filters.action;
    if (filters.by) where.by = filters.by;
    const rows = await this.entries.find({ where, order: { id: 'ASC' } });
    return rows.map((row) => ({ at: row.at, by: row.by, action: row.action, detail: row.detail ? JSON.parse(row.detail) : null }));
  }
}
