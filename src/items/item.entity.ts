import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Division } from '../organization/division.entity';

// One item model for all three programs; each program uses the extra columns its definition names.
@Entity({ name: 'items' })
@Index('uq_items_program_code', ['program', 'code'], { unique: true })
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  program!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 500 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  /** Date from which the current status holds; null = from the start (see CONTRACT.md "Progress"). */
  @Column({ name: 'status_effective_on', type: 'varchar', length: 10, nullable: true })
  statusEffectiveOn!: string | null;

  @Column({ name: 'division_id', type: 'integer' })
  divisionId!: number;

  @ManyToOne(() => Division, { nullable: false })
  @JoinColumn({ name: 'division_id' })
  division?: Division;

  @Column({ name: 'due_on', type: 'varchar', length: 10, nullable: true })
  dueOn!: string | null;

  @Column({ name: 'completed_on', type: 'varchar', length: 10, nullable: true })
  completedOn!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'national_group', type: 'varchar', length: 16, nullable: true })
  nationalGroup!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category!: string | null;

  @Column({ name: 'annual_volume', type: 'integer', nullable: true })
  annualVolume!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  channel!: string | null;

  @Column({ name: 'basis_level', type: 'varchar', length: 32, nullable: true })
  basisLevel!: string | null;

  @Column({ name: 'legal_basis', type: 'varchar', length: 500, nullable: true })
  legalBasis!: string | null;

  @Column({ name: 'seal_kind', type: 'varchar', length: 32, nullable: true })
  sealKind!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  replacement!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  article!: string | null;

  @Column({ name: 'analog_type', type: 'varchar', length: 32, nullable: true })
  analogType!: string | null;

  /** NFKC-folded, lower-cased "code name": what `q` searches. */
  @Column({ name: 'search_text', type: 'varchar', length: 600 })
  searchText!: string;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;
}
