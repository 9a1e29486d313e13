import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'audit_entries' })
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 30 })
  at!: string;

  @Column({ name: 'by_user', type: 'varchar', length: 100 })
  by!: string;

  @Column({ type: 'varchar', length: 50 })
  action!: string;

  /** JSON with what was done (file name, counts, target user…); never a token. */
  @Column({ type: 'text', nullable: true })
  detail!: string | null;
}
