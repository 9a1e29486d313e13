import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A day's scheduled reminder run, claimed by the process that sends it. */
@Entity({ name: 'reminder_runs' })
export class ReminderRun {
  @PrimaryColumn({ name: 'run_on', type: 'varchar', length: 10 })
  runOn!: string;

  @Column({ name: 'claimed_at', type: 'varchar', length: 30 })
  claimedAt!: string;

  @Column({ name: 'claimed_by', type: 'varchar', length: 100 })
  claimedBy!: string;
}
