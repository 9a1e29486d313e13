import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'departments' })
export class Department {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** First day the department exists; null = since before the tracker's records. */
  @Column({ name: 'valid_from', type: 'varchar', length: 10, nullable: true })
  validFrom!: string | null;

  /** Last day (inclusive) the department exists; null = still in force. */
  @Column({ name: 'valid_to', type: 'varchar', length: 10, nullable: true })
  validTo!: string | null;
}
