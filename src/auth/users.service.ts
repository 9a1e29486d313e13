import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { OrganizationService } from '../organization/organization.service';
import { generateToken, hashesEqual, hashToken, tokenPrefix } from './tokens';
import { Role, ROLES, User } from './user.entity';

export interface UserView {
  id: number;
  name: string;
  role: Role;
  department: string | null;
  tokenPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedUser {
  id: number;
  name: string;
  role: Role;
  department: string | null;
  token: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly organization: OrganizationService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(input: { name: string; role: string; department?: string | null }, actor: Actor = SYSTEM_ACTOR): Promise<CreatedUser> {
    const name = (input.name ?? '').trim();
    if (!name) throw new DomainError('invalid_user', '利用者名を入力してください');
    if (!ROLES.includes(input.role as Role)) {
      throw new DomainError('invalid_role', `役割「${input.role}」は使えません（admin / editor / viewer）`);
    }
    const role = input.role as Role;
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
    const token = generateToken();
    const saved = await this.users.save(
      this.users.create({
        name,
        role,
        departmentId,
        tokenHash: hashToken(token),
        tokenPrefix: tokenPrefix(token),
        createdAt: this.clock.now().toISOString(),
        revokedAt: null,
      }),
    );
    await this.audit.record(actor, 'token_created', { userId: saved.id, name, role, department: departmentName, tokenPrefix: saved.tokenPrefix });
    return { id: saved.id, name, role, department: departmentName, token };
  }

  async list(): Promise<UserView[]> {
    const users = await this.users.find({ order: { id: 'ASC' } });
    const departments = await this.organization.departmentNamesById();
    return users.map((user) => ({
      id: user.id,
      name: user.name,
      role: user.role,
      department: user.departmentId ? departments.get(user.departmentId) ?? null : null,
      tokenPrefix: user.tokenPrefix,
      createdAt: user.createdAt,
      revokedAt: user.revokedAt,
    }));
  }

  /** Revokes by id or by name (every active token of that name). Returns how many were revoked. */
  async revoke(idOrName: string, actor: Actor = SYSTEM_ACTOR): Promise<number> {
    const byId = /^\d+$/.test(idOrName) ? await this.users.find({ where: { id: Number(idOrName), revokedAt: IsNull() } }) : [];
    const targets = byId.length ? byId : await this.users.find({ where: { name: idOrName, revokedAt: IsNull() } });
    if (!targets.length) throw new DomainError('not_found', `有効な利用者が見つかりません: ${idOrName}`, 404);
    const now = this.clock.now().toISOString();
    for (const user of targets) {
      await this.users.update({ id: user.id }, { revokedAt: now });
      await this.audit.record(actor, 'token_revoked', { userId: user.id, name: user.name, tokenPrefix: user.tokenPrefix });
    }
    return targets.length;
  }

  async count(): Promise<number> {
    return this.users.count();
  }

  /** On the very first start: an admin, whose token the caller prints once. */
  async ensureFirstAdmin(): Promise<CreatedUser | null> {
    if ((await this.count()) > 0) return null;
    return this.create({ name: 'admin', role: 'admin' });
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!token) return null;
    const hash = hashToken(token);
    // Every request runs this: plain SQL, not the ORM's findOne (whose query building was a tenth
    // of a PATCH's CPU time in the benchmark's profile).
    const placeholder = this.users.manager.connection.options.type === 'postgres' ? '$1' : '?';
    const [user] = (await this.users.manager.query(`SELECT id, name, role, department_id, token_hash, revoked_at FROM users WHERE token_hash = ${placeholder}`, [hash])) as {
      id: number | string;
      name: string;
      role: Role;
      department_id: number | string | null;
      token_hash: string;
      revoked_at: string | null;
    }[];
    if (!user || user.revoked_at || !hashesEqual(user.token_hash, hash)) return null;
    return { userId: Number(user.id), name: user.name, role: user.role, departmentId: user.department_id === null ? null : Number(user.department_id) };
  }
}
