import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Role } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { OrganizationService } from '../organization/organization.service';
import { FailedLoginLimiter } from './failed-login-limiter';
import { loginKey } from './login-id';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

export interface SignedInUser {
  id: number;
  login: string;
  name: string;
  role: Role;
  department: string | null;
}

export interface SignInResult {
  user: SignedInUser;
  csrfToken: string;
  mustChangePassword: boolean;
  /** The cookie's value: goes to the browser only. */
  sessionToken: string;
}

/** Why sign-in was refused: the same for an unknown ID, a wrong password and a disabled user. */
const invalidCredentials = () => new DomainError('invalid_credentials', 'ログインIDまたはパスワードが正しくありません', 401);

export class LockedOut extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly scope: 'login' | 'address',
  ) {
    super('locked out');
  }
}

@Injectable()
export class SignInService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly usersService: UsersService,
    private readonly sessions: SessionsService,
    private readonly limiter: FailedLoginLimiter,
    private readonly organization: OrganizationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Makes the dummy hash before the first sign-in, so even the first unknown ID takes one hash. */
  async warmUp(): Promise<void> {
    await dummyPasswordHash(this.config.passwordHashing);
  }

  /**
   * Checks the ID and password and starts a session. An unknown ID is hashed against a dummy, so
   * it takes about as long as a wrong password. A locked ID answers LockedOut before any check.
   */
  async signIn(login: string, password: string, client: string): Promise<SignInResult> {
    const key = loginKey(login).slice(0, 200);
    const locked = await this.limiter.accountRetryAfterSeconds(key);
    if (locked > 0) throw new LockedOut(locked, 'login');
    const user = key ? await this.users.findOne({ where: { loginKey: key } }) : null;
    let matches = false;
    if (user?.passwordHash) matches = await verifyPassword(password, user.passwordHash);
    // no such ID (or no password): the same work, and never a match
    else await verifyPassword(password, await dummyPasswordHash(this.config.passwordHashing));
    if (!user || !matches || user.disabledAt) {
      const blocked = await this.limiter.retryAfterSeconds(client);
      if (blocked > 0) throw new LockedOut(blocked, 'address');
      await this.limiter.recordFailure(client);
      await this.limiter.recordAccountFailure(key);
      throw invalidCredentials();
    }
    await this.limiter.clearAccount(key);
    const started = await this.sessions.start(user.id);
    return { user: await this.view(user), csrfToken: started.csrfToken, mustChangePassword: user.mustChangePassword, sessionToken: started.token };
  }

  async view(user: User): Promise<SignedInUser> {
    const department = user.departmentId === null ? null : (await this.organization.departmentNamesById()).get(user.departmentId) ?? null;
    return { id: user.id, login: user.login, name: user.name, role: user.role, department };
  }

  /**
   * The signed-in user changes their password: the current one must match (a wrong one counts
   * towards the lockout like a failed sign-in), the new one must pass the rules; the user's other
   * sessions end.
   */
  async changePassword(userId: number, current: string, next: string, keepSession: number | undefined): Promise<void> {
    const user = await this.usersService.byId(userId);
    const locked = await this.limiter.accountRetryAfterSeconds(user.loginKey);
    if (locked > 0) throw new LockedOut(locked, 'login');
    if (!user.passwordHash || !(await verifyPassword(current, user.passwordHash))) {
      await this.limiter.recordAccountFailure(user.loginKey);
      throw new DomainError('wrong_password', '現在のパスワードが正しくありません');
    }
    if (current === next) throw new DomainError('weak_password', '新しいパスワードは今のパスワードと違うものにしてください');
    await this.usersService.changeOwnPassword(user, next, keepSession);
  }
}
