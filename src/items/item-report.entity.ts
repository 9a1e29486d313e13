import { Column, Entity, PrimaryColumn } from 'typeorm';

// A completion reported by an editor in a program with confirmDone, awaiting an administrator
// (報告済). The row goes when the report is confirmed (確認済) or returned (差戻し); `previous_*`
// is the state a return puts the item back in.
@Entity({ name: 'item_reports' })
export class ItemReport {
  @PrimaryColumn({ name: 'item_id', type: 'integer' })
  itemId!: number;

  @Column({ name: 'reported_status', type: 'varchar', length: 32 })
  reportedStatus!: string;

  @Column({ name: 'reported_at', type: 'varchar', length: 30 })
  reportedAt!: string;

  @Column({ name: 'reported_by', type: 'varchar', length: 100 })
  reportedBy!: string;

  @Column({ name: 'previous_status', type: 'varchar', length: 32 })
  previousStatus!: string;

  @Column({ name: 'previous_effective_on', type: 'varchar', length: 10, nullable: true })
  previousEffectiveOn!: string | null;

  @Column({ name: 'previous_completed_on', type: 'varchar', length: 10, nullable: true })
  previousCompletedOn!: string | null;
}
