import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { parseFields } from '../database/json-fields';
import { Division } from '../organization/division.entity';

export type ItemFields = Record<string, string | number | null>;

// One item model for every program: the common columns, and the program's own fields in `fields`.
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

  /**
   * The program's own fields by key ({ "nationalGroup": "city", "annualVolume": 120 }), as its
   * definition lists them; empty ones are left out. SQLite TEXT (JSON1), PostgreSQL jsonb.
   */
  @Column({ type: 'text', default: '{}', transformer: { to: (value: ItemFields | undefined) => (value === undefined ? undefined : JSON.stringify(value)), from: parseFields } })
  fields!: ItemFields;

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
