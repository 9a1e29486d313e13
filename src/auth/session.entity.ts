import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// A signed-in browser. Kept in the database (not in memory) so every server process sees it;
// only the SHA-256 of the cookie's value is stored, so a copy of the database signs no one in.
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Index('ix_sessions_user')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'last_seen_at', type: 'varchar', length: 30 })
  lastSeenAt!: string;
}
