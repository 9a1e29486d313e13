import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'targets' })
export class Target {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  program!: string;

  @Column({ type: 'varchar', length: 200 })
  label!: string;

  @Column({ type: 'varchar', length: 10 })
  deadline!: string;

  /** JSON: { nationalGroup?, department?, codes? }; empty = the whole program. */
  @Column({ type: 'text', nullable: true })
  scope!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
