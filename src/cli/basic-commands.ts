import { Command } from 'commander';
import { UsersService } from '../auth/users.service';
import { ReferenceDataService } from '../reference/reference-data.service';
import { CliIo, runMigrations, withContext } from './cli-runtime';
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

  const user = program.command('user').description('users and their API tokens');
  user
    .command('create')
    .description('create a user and print its token once')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'admin | editor | viewer')
    .option('--department <department>', "department (code or name); required for editors")
    .option('--json', 'print JSON')
    .action(async (options: { name: string; role: string; department?: string; json?: boolean }) => {
      const created = await withContext((context) => context.get(UsersService).create(options));
      if (options.json) io.out(JSON.stringify(created));
      else io.out(`created ${created.role} "${created.name}"${created.department ? ` (${created.department})` : ''}\ntoken (shown once): ${created.token}`);
    });
  user
    .command('list')
    .description('list users (tokens are never shown)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const users = await withContext((context) => context.get(UsersService).list());
      if (options.json) io.out(JSON.stringify({ users }));
      else
        io.out(
          formatTable(
            ['id', 'name', 'role', 'department', 'token', 'created', 'revoked'],
            users.map((row) => [String(row.id), row.name, row.role, row.department ?? '', `${row.tokenPrefix}…`, row.createdAt, row.revokedAt ?? '']),
          ),
        );
    });
  user
    .command('revoke')
    .description('revoke the token of a user (by id or name)')
    .argument('<user>', 'user id or name')
    .option('--json', 'print JSON')
    .action(async (who: string, options: { json?: boolean }) => {
      const revoked = await withContext((context) => context.get(UsersService).revoke(who));
      if (options.json) io.out(JSON.stringify({ revoked }));
      else io.out(`revoked ${revoked} token(s)`);
    });
  void setExit;
}
