import { Command } from 'commander';
import { UsersService } from '../auth/users.service';
import { ReferenceDataService } from '../reference/reference-data.service';
import { zonedTimestamp } from '../common/clock';
import { cliConfig, CliIo, passwordFromStdin, runMigrations, UsageError, withContext } from './cli-runtime';
import { formatTable } from './table';

export function registerBasicCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const applied = await runMigrations();
      if (options.json) io.out(JSON.stringify({ applied }));
      else io.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    });

  program
    .command('seed')
    .description('load the reference data in seeds/ (idempotent; never overwrites what the city changed)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const result = await withContext((context) => context.get(ReferenceDataService).load(), { loadReference: false });
      if (options.json) io.out(JSON.stringify(result));
      else io.out(`added ${result.departments} departments, ${result.divisions} divisions, ${result.items} procedures, ${result.targets} targets`);
    });

  const user = program.command('user').description('users: login IDs, passwords and API tokens');
  user
    .command('create')
    .description('create a user; prints a temporary password (to be changed at the first sign-in) and an API token, each once')
    .requiredOption('--name <name>', 'display name, e.g. 山田花子')
    .option('--login <login>', 'login ID (letters, digits, . _ @ -), unique ignoring case; default: the name when it is one, else user<N>')
    .requiredOption('--role <role>', 'admin | editor | viewer')
    .option('--department <department>', 'department (code or name); required for editors')
    .option('--password-stdin', 'read the password from standard input instead of making a temporary one')
    .option('--no-token', 'issue no API token (the user signs in with the password only)')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; login?: string; role: string; department?: string; passwordStdin?: boolean; token: boolean; json?: boolean }) => {
      const password = options.passwordStdin ? await passwordFromStdin(io) : undefined;
      // The contract's `user create` prints a token once (scripts rely on it); --no-token leaves it out.
      const created = await withContext((context) =>
        context
          .get(UsersService)
          .create({ name: options.name, login: options.login, role: options.role, department: options.department, password, token: options.token }),
      );
      if (options.json) io.out(JSON.stringify(created));
      else {
        const lines = [`created ${created.role} "${created.name}" login ${created.login}${created.department ? ` (${created.department})` : ''}`];
        if (created.temporaryPassword) lines.push(`temporary password (shown once; to be changed at the first sign-in): ${created.temporaryPassword}`);
        if (created.token) lines.push(`API token (shown once): ${created.token}`);
        io.out(lines.join('\n'));
      }
    });
  user
    .command('set-password')
    .description("set a user's password (read from standard input); ends the user's sessions")
    .argument('<login>', 'login ID')
    .option('--password-stdin', 'read the password from standard input (required)')
    .option('--json', 'print JSON')
    .action(async (login: string, options: { passwordStdin?: boolean; json?: boolean }) => {
      if (!options.passwordStdin) throw new UsageError('set-password reads the password from standard input: add --password-stdin');
      const password = await passwordFromStdin(io);
      const done = await withContext(async (context) => {
        const users = context.get(UsersService);
        const target = await users.byLogin(login);
        await users.setPassword(target, password);
        return { login: target.login };
      });
      if (options.json) io.out(JSON.stringify({ passwordSet: done.login }));
      else io.out(`password set for ${done.login}`);
    });
  user
    .command('disable')
    .description('disable a user: no sign-in, no token, sessions ended')
    .argument('<login>', 'login ID')
    .option('--json', 'print JSON')
    .action(async (login: string, options: { json?: boolean }) => {
      const done = await withContext(async (context) => {
        const users = context.get(UsersService);
        const target = await users.byLogin(login);
        await users.disable(target);
        return target.login;
      });
      if (options.json) io.out(JSON.stringify({ disabled: done }));
      else io.out(`disabled ${done}`);
    });
  user
    .command('token')
    .description('issue a new API token for scripts (replaces the old one), printed once')
    .argument('<login>', 'login ID')
    .option('--json', 'print JSON')
    .action(async (login: string, options: { json?: boolean }) => {
      const issued = await withContext(async (context) => {
        const users = context.get(UsersService);
        return users.issueToken(await users.byLogin(login));
      });
      if (options.json) io.out(JSON.stringify(issued));
      else io.out(`token for ${issued.login} (shown once): ${issued.token}`);
    });
  user
    .command('list')
    .description('list users (passwords and tokens are never shown); times in TRACKER_TIME_ZONE')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const timeZone = cliConfig().timeZone;
      const local = (at: string | null) => (at ? zonedTimestamp(at, timeZone) : null);
      const users = (await withContext((context) => context.get(UsersService).list())).map((row) => ({
        ...row,
        createdAt: local(row.createdAt)!,
        revokedAt: local(row.revokedAt),
        disabledAt: local(row.disabledAt),
      }));
      if (options.json) io.out(JSON.stringify({ timeZone, users }));
      else {
        const shown = (at: string | null) => (at ? at.slice(0, 16).replace('T', ' ') : '');
        io.out(
          formatTable(
            ['id', 'login', 'name', 'role', 'department', 'password', 'token', `created (${timeZone})`, 'disabled'],
            users.map((row) => [
              String(row.id),
              row.login,
              row.name,
              row.role,
              row.department ?? '',
              row.password,
              row.tokenPrefix ? `${row.tokenPrefix}…` : row.revokedAt ? `revoked ${shown(row.revokedAt)}` : '',
              shown(row.createdAt),
              shown(row.disabledAt),
            ]),
          ),
        );
      }
    });
  user
    .command('revoke')
    .description("revoke a user's API token (by login ID, id, or a name only one user has)")
    .argument('<user>', 'login ID, id or name')
    .option('--json', 'print JSON')
    .action(async (who: string, options: { json?: boolean }) => {
      const revoked = await withContext((context) => context.get(UsersService).revoke(who));
      if (options.json) io.out(JSON.stringify({ revoked }));
      else io.out(`revoked ${revoked} token(s)`);
    });
  void setExit;
}
