import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../common/actor';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The login ID as typed (NFKC, trimmed). */
  @Column({ type: 'varchar', length: 64 })
  login!: string;

  /** The login ID after NFKC and case folding: what sign-in matches and what is unique. */
  @Column({ name: 'login_key', type: 'varchar', length: 64, unique: true })
  loginKey!: string;

  /** scrypt$N$r$p$salt$hash (see passwords.ts); null: no password yet, signs in by token only. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200, nullable: true })
  passwordHash!: string | null;

  /** A temporary password (new user, reset): only a password change is allowed until it is changed. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ name: 'disabled_at', type: 'varchar', length: 30, nullable: true })
  disabledAt!: string | null;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ name: 'department_id', type: 'integer', nullable: true })
  departmentId!: number | null;

  /** SHA-256 of the token; the token itself is shown once and never stored. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true, nullable: true })
  tokenHash!: string | null;

  /** First characters of the token, so an operator can tell tokens apart in `user list`. */
  @Column({ name: 'token_prefix', type: 'varchar', length: 16, nullable: true })
  tokenPrefix!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'revoked_at', type: 'varchar', length: 30, nullable: true })
  revokedAt!: string | null;
}
