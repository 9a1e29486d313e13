import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as path from 'node:path';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, Role, ROLES, SYSTEM_ACTOR } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { hotQuery } from '../database/hot-query';
import { OrganizationService } from '../organization/organization.service';
import { displayLogin, loginKey, validateNewLogin } from './login-id';
import { generateTemporaryPassword, hashPassword, loadCommonPasswords, passwordProblem } from './passwords';
import { SessionsService } from './sessions.service';
import { generateToken, hashesEqual, hashToken, tokenPrefix } from './tokens';
import { User } from './user.entity';

export interface UserView {
  id: number;
  login: string;
  name: string;
  role: Role;
  department: string | null;
  /** 'set', 'temporary' (must be changed at the next sign-in) or 'none' (token only). */
  password: 'set' | 'temporary' | 'none';
  tokenPrefix: string | null;
  createdAt: string;
  revokedAt: string | null;
  disabledAt: string | null;
}

export interface CreatedUser {
  id: number;
  login: string;
  name: string;
  role: Role;
  department: string | null;
  /** Shown once: set when the user was created without a password of its own. */
  temporaryPassword?: string;
  /** Shown once: set when a token was asked for. */
  token?: string;
}

export interface CreateUserInput {
  name: string;
  role: string;
  department?: string | null;
  /** The login ID; when absent (tests, the first admin) one is derived from the name. */
  login?: string;
  /** A password chosen by the operator; undefined: a temporary one is made; null: none (token only). */
  password?: string | null;
  /** Also issue an API token. */
  token?: boolean;
}

export const FIRST_ADMIN_LOGIN = 'admin';

@Injectable()
export class UsersService {
  private commonPasswords: Set<string> | null = null;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly organization: OrganizationService,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private common(): Set<string> {
    this.commonPasswords ??= loadCommonPasswords(path.join(this.config.projectRoot, 'src', 'auth', 'common-passwords.txt'));
    return this.commonPasswords;
  }

  /** Refuses a password that breaks the rules (length, common, contains the login ID). */
  checkPassword(password: string, login?: string): void {
    if (typeof password !== 'string') throw new DomainError('weak_password', 'パスワードを入力してください');
    const problem = passwordProblem(password, this.common(), login);
    if (problem) throw new DomainError(problem.code, problem.message);
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.config.passwordHashing);
  }

  private async freeLogin(name: string): Promise<string> {
    const fromName = displayLogin(name);
    const base = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/.test(fromName) ? fromName : 'user';
    for (let n = 1; ; n++) {
      const candidate = n === 1 && base !== 'user' ? base : `${base}${n}`;
      if (!(await this.users.exists({ where: { loginKey: loginKey(candidate) } }))) return candidate;
    }
  }

  async create(input: CreateUserInput, actor: Actor = SYSTEM_ACTOR): Promise<CreatedUser> {
    const name = (input.name ?? '').trim();
    if (!name) throw new DomainError('invalid_user', '利用者名を入力してください');
    if (!ROLES.includes(input.role as Role)) {
      throw new DomainError('invalid_role', `役割「${input.role}」は使えません（admin / editor / viewer）`);
    }
    const role = input.role as Role;
    const login = input.login === undefined ? await this.freeLogin(name) : validateNewLogin(input.login);
    if (await this.users.exists({ where: { loginKey: loginKey(login) } })) {
      throw new DomainError('login_taken', `ログインID「${login}」は既に使われています`, 409);
    }
    let departmentId: number | null = null;
    let departmentName: string | null = null;
    if (input.department) {
      const department = await this.organization.resolveDepartment(input.department, this.clock.today());
      departmentId = department.id;
      departmentName = department.name;
    }
    if (role === 'editor' && departmentId === null) {
      throw new DomainError('department_required', '編集者（editor）には所属の部局（--department）が必要です');
    }
    if (typeof input.password === 'string') this.checkPassword(input.password, login);
    const temporaryPassword = input.password === undefined ? generateTemporaryPassword() : undefined;
    const password = typeof input.password === 'string' ? input.password : temporaryPassword;
    const token = input.token ? generateToken() : undefined;
    const saved = await this.users.save(
      this.users.create({
        name,
        login,
        loginKey: loginKey(login),
        role,
        departmentId,
        passwordHash: password ? await this.hash(password) : null,
        mustChangePassword: temporaryPassword !== undefined,
        disabledAt: null,
        tokenHash: token ? hashToken(token) : null,
        tokenPrefix: token ? tokenPrefix(token) : null,
        createdAt: this.clock.now().toISOString(),
        revokedAt: null,
      }),
    );
    await this.audit.record(actor, 'user_created', { userId: saved.id, login, name, role, department: departmentName });
    if (token) await this.audit.record(actor, 'token_created', { userId: saved.id, login, name, role, department: departmentName, tokenPrefix: saved.tokenPrefix });
    return {
      id: saved.id,
      login,
      name,
      role,
      department: departmentName,
      ...(temporaryPassword ? { temporaryPassword } : {}),
      ...(token ? { token } : {}),
    };
  }

  /** A user for scripts: an API token (shown once) and, unless one is given, no password. */
  async createWithToken(input: Omit<CreateUserInput, 'token'>, actor: Actor = SYSTEM_ACTOR): Promise<CreatedUser & { token: string }> {
    return (await this.create({ password: null, ...input, token: true }, actor)) as CreatedUser & { token: string };
  }

  async list(): Promise<UserView[]> {
    const users = await this.users.find({ order: { id: 'ASC' } });
    const departments = await this.organization.departmentNamesById();
    return users.map((user) => ({
      id: user.id,
      login: user.login,
      name: user.name,
      role: user.role,
      department: user.departmentId ? departments.get(user.departmentId) ?? null : null,
      password: !user.passwordHash ? 'none' : user.mustChangePassword ? 'temporary' : 'set',
      tokenPrefix: user.tokenHash && !user.revokedAt ? user.tokenPrefix : null,
      createdAt: user.createdAt,
      revokedAt: user.revokedAt,
      disabledAt: user.disabledAt,
    }));
  }

  /** The user with this login ID (after NFKC and case folding). */
  async byLogin(login: string): Promise<User> {
    const user = await this.users.findOne({ where: { loginKey: loginKey(login) } });
    if (!user) throw new DomainError('not_found', `ログインID「${displayLogin(login)}」の利用者はいません`, 404);
    return user;
  }

  async byId(id: number): Promise<User> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw new DomainError('not_found', `利用者が見つかりません: ${id}`, 404);
    return user;
  }

  /**
   * One user named by id, login ID or name. A name shared by several users is refused: which
   * one was meant is for the operator to say (by login ID).
   */
  async resolve(who: string): Promise<User> {
    const text = String(who ?? '').trim();
    if (/^\d+$/.test(text)) {
      const byId = await this.users.findOne({ where: { id: Number(text) } });
      if (byId) return byId;
    }
    const byLogin = await this.users.findOne({ where: { loginKey: loginKey(text) } });
    if (byLogin) return byLogin;
    const byName = await this.users.find({ where: { name: text }, order: { id: 'ASC' } });
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) {
      throw new DomainError(
        'ambiguous_user',
        `「${text}」という名前の利用者が${byName.length}人います。ログインIDで指定してください: ${byName.map((user) => user.login).join(', ')}`,
        409,
      );
    }
    throw new DomainError('not_found', `利用者が見つかりません: ${text}`, 404);
  }

  /** Changes the role and/or the department (an editor needs one). */
  async update(user: User, input: { role?: string; department?: string | null }, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    const role = (input.role ?? user.role) as Role;
    if (!ROLES.includes(role)) throw new DomainError('invalid_role', `役割「${input.role}」は使えません（admin / editor / viewer）`);
    let departmentId = user.departmentId;
    let departmentName: string | null | undefined;
    if (input.department !== undefined) {
      if (input.department === null || input.department.trim() === '') {
        departmentId = null;
        departmentName = null;
      } else {
        const department = await this.organization.resolveDepartment(input.department, this.clock.today());
        departmentId = department.id;
        departmentName = department.name;
      }
    }
    if (role === 'editor' && departmentId === null) {
      throw new DomainError('department_required', '編集者（editor）には所属の部局が必要です');
    }
    await this.users.update({ id: user.id }, { role, departmentId });
    await this.audit.record(actor, 'user_updated', { userId: user.id, login: user.login, role, ...(departmentName !== undefined ? { department: departmentName } : {}) });
  }

  /** Sets a password chosen by an operator (no change needed at sign-in); ends the user's sessions. */
  async setPassword(user: User, password: string, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    this.checkPassword(password, user.login);
    await this.users.update({ id: user.id }, { passwordHash: await this.hash(password), mustChangePassword: false });
    await this.sessions.endAllOf(user.id);
    await this.audit.record(actor, 'password_set', { userId: user.id, login: user.login });
  }

  /** A new temporary password (shown once, to be changed at the next sign-in); ends the user's sessions. */
  async resetPassword(user: User, actor: Actor = SYSTEM_ACTOR): Promise<string> {
    const temporary = generateTemporaryPassword();
    await this.users.update({ id: user.id }, { passwordHash: await this.hash(temporary), mustChangePassword: true });
    await this.sessions.endAllOf(user.id);
    await this.audit.record(actor, 'password_reset', { userId: user.id, login: user.login });
    return temporary;
  }

  /** A password change by the user: the new one is checked, the other sessions end. */
  async changeOwnPassword(user: User, password: string, keepSession: number | undefined): Promise<void> {
    this.checkPassword(password, user.login);
    await this.users.update({ id: user.id }, { passwordHash: await this.hash(password), mustChangePassword: false });
    await this.sessions.endAllOf(user.id, keepSession);
    await this.audit.record(actorOf(user), 'password_changed', {
      userId: user.id,
      login: user.login,
    });
  }

  /** Disables sign-in and the token; ends every session. */
  async disable(user: User, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    if (user.disabledAt) return;
    await this.users.update({ id: user.id }, { disabledAt: this.clock.now().toISOString() });
    await this.sessions.endAllOf(user.id);
    await this.audit.record(actor, 'user_disabled', { userId: user.id, login: user.login, name: user.name });
  }

  /** A new API token for scripts (replaces the old one), shown once. */
  async issueToken(user: User, actor: Actor = SYSTEM_ACTOR): Promise<{ login: string; token: string }> {
    if (user.disabledAt) throw new DomainError('user_disabled', `ログインID「${user.login}」は無効にされています`, 409);
    const token = generateToken();
    await this.users.update({ id: user.id }, { tokenHash: hashToken(token), tokenPrefix: tokenPrefix(token), revokedAt: null });
    await this.audit.record(actor, 'token_created', { userId: user.id, login: user.login, name: user.name, role: user.role, tokenPrefix: tokenPrefix(token) });
    return { login: user.login, token };
  }

  /** Revokes the API token of one user (by id, login ID or an unambiguous name). Returns how many were revoked. */
  async revoke(who: string, actor: Actor = SYSTEM_ACTOR): Promise<number> {
    const user = await this.resolve(who);
    if (!user.tokenHash || user.revokedAt) throw new DomainError('not_found', `有効なトークンがありません: ${user.login}`, 404);
    await this.users.update({ id: user.id }, { revokedAt: this.clock.now().toISOString() });
    await this.audit.record(actor, 'token_revoked', { userId: user.id, login: user.login, name: user.name, tokenPrefix: user.tokenPrefix });
    return 1;
  }

  async count(): Promise<number> {
    return this.users.count();
  }

  /**
   * On the very first start: the administrator `admin` with a temporary password, which the
   * caller shows once. Null when there are users already (or another process just made it).
   */
  async ensureFirstAdmin(): Promise<CreatedUser | null> {
    if ((await this.count()) > 0) return null;
    try {
      return await this.create({ name: '管理者', login: FIRST_ADMIN_LOGIN, role: 'admin' });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'login_taken') return null;
      if ((await this.count()) > 0) return null;
      throw error;
    }
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!token) return null;
    const hash = hashToken(token);
    // Every request with a token runs this: plain SQL, not the ORM's findOne (whose query building
    // was a tenth of a PATCH's CPU time in the benchmark's profile), prepared once (hot-query.ts).
    const placeholder = this.users.manager.connection.options.type === 'postgres' ? '$1' : '?';
    const [user] = (
      await hotQuery(this.users.manager, `SELECT id, name, login, role, department_id, token_hash, revoked_at, disabled_at FROM users WHERE token_hash = ${placeholder}`, [hash])
    ).rows as {
      id: number | string;
      name: string;
      login: string;
      role: Role;
      department_id: number | string | null;
      token_hash: string | null;
      revoked_at: string | null;
      disabled_at: string | null;
    }[];
    if (!user || user.revoked_at || user.disabled_at || !user.token_hash || !hashesEqual(user.token_hash, hash)) return null;
    return { userId: Number(user.id), name: user.name, role: user.role, departmentId: user.department_id === null ? null : Number(user.department_id), login: user.login };
  }
}

export function actorOf(user: User): Actor {
  return { userId: user.id, name: user.name, role: user.role, departmentId: user.departmentId, login: user.login };
}
