import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

// Append-only: every creation, status change and edit of an item, with who and from when it holds.
@Entity({ name: 'status_history' })
export class StatusHistory {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'item_id', type: 'integer' })
  itemId!: number;

  @Column({ type: 'varchar', length: 30 })
  at!: string;

  @Column({ name: 'by_user', type: 'varchar', length: 100 })
  by!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 32, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 32 })
  toStatus!: string;

  /** null = holds from the start (an item created in a state that is not done). */
  @Column({ name: 'effective_on', type: 'varchar', length: 10, nullable: true })
  effectiveOn!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** JSON of the fields an edit changed: { field: [before, after] }. */
  @Column({ type: 'text', nullable: true })
  changes!: string | null;
}
