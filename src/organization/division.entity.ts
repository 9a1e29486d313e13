import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from './department.entity';

@Entity({ name: 'divisions' })
export class Division {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  /** Current name; past names and departments are in division_periods. */
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** NFKC + space-folded name, what sheets and the API match against. */
  @Column({ name: 'match_name', type: 'varchar', length: 100 })
  matchName!: string;

  @Column({ name: 'department_id', type: 'integer' })
  departmentId!: number;

  @ManyToOne(() => Department, { nullable: false })
  @JoinColumn({ name: 'department_id' })
  department?: Department;

  @Column({ name: 'valid_from', type: 'varchar', length: 10, nullable: true })
  validFrom!: string | null;

  @Column({ name: 'valid_to', type: 'varchar', length: 10, nullable: true })
  validTo!: string | null;

  /** Reminder mail addresses, a JSON array (null: none set yet; see division-contacts.ts). */
  @Column({ name: 'contact_emails', type: 'text', nullable: true })
  contactEmails!: string | null;
}

/** Which department a division belonged to, under which name, over which dates. */
@Entity({ name: 'division_periods' })
export class DivisionPeriod {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'division_id', type: 'integer' })
  divisionId!: number;

  @Column({ name: 'department_id', type: 'integer' })
  departmentId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'valid_from', type: 'varchar', length: 10, nullable: true })
  validFrom!: string | null;

  @Column({ name: 'valid_to', type: 'varchar', length: 10, nullable: true })
  validTo!: string | null;
}
