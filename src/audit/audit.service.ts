import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, EntityManager, Repository } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { AuditEntry } from './audit-entry.entity';

export type AuditAction =
  | 'import'
  | 'export'
  | 'reorganization'
  | 'token_created'
  | 'token_revoked'
  | 'target_created'
  | 'plan_set'
  | 'volumes_import'
  | 'backup';

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

  async list(from?: string, to?: string): Promise<{ at: string; by: string; action: string; detail: unknown }[]> {
    const where = from || to ? { at: Between(from ?? '0000', `${to ?? '9999'}\uffff`) } : {};
    const rows = await this.entries.find({ where, order: { id: 'ASC' } });
    return rows.map((row) => ({ at: row.at, by: row.by, action: row.action, detail: row.detail ? JSON.parse(row.detail) : null }));
  }
}
