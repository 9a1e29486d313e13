import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// One failed sign-in (or failed token), counted per client address and per login ID. In the
// database so that every server process counts the same failures and honours the same lockout.
@Entity({ name: 'auth_failures' })
@Index('ix_auth_failures_key', ['scope', 'key', 'at'])
export class AuthFailure {
  @PrimaryGeneratedColumn()
  id!: number;

  /** 'address' or 'login'. */
  @Column({ type: 'varchar', length: 16 })
  scope!: string;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Index('ix_auth_failures_at')
  @Column({ type: 'varchar', length: 30 })
  at!: string;
}
