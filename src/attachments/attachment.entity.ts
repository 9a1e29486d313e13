import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// One row per file attached to an item. The bytes live outside the database under ATTACHMENTS_DIR,
// named by their SHA-256, so the same file attached twice is stored once.
@Entity({ name: 'attachments' })
@Index('ix_attachments_item', ['itemId'])
export class Attachment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'item_id', type: 'integer' })
  itemId!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The name as uploaded (downloads keep it). */
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'integer' })
  size!: number;

  /** The MIME type found in the bytes (never the one the client sent). */
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 100 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'varchar', length: 30 })
  uploadedAt!: string;
}
