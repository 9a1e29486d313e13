import { Column, Entity, PrimaryColumn } from 'typeorm';

// A program definition as stored: the JSON document (CONTRACT.md "Programs as data") as text.
@Entity({ name: 'programs' })
export class ProgramRecord {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  key!: string;

  /** Insertion order: programs without an `order` in their document are listed in this order. */
  @Column({ type: 'integer' })
  position!: number;

  /** The validated document, JSON. */
  @Column({ type: 'text' })
  document!: string;

  /** Shipped in seeds/programs/ (kept in step with the file on start) rather than added by a user. */
  @Column({ type: 'boolean', default: false })
  builtin!: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;
}
