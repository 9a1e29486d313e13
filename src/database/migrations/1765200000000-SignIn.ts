import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

// Sign-in with an ID and password: users get a login ID, a password hash, a must-change flag and a
// disabled time; API tokens become optional (a browser user needs none). Sessions and failed
// sign-ins live in tables so that several server processes share them.
//
// Existing users get a login ID derived deterministically (the rule is copied here, not imported,
// so this migration gives the same IDs whatever later code does): the name itself when it is a
// valid ID not already taken (case-insensitively, in id order), else user<id>. They get no
// password: they keep working with their tokens until an administrator sets one.

const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

export function migrationLogins(users: { id: number; name: string }[]): Map<number, string> {
  const taken = new Set<string>();
  const result = new Map<number, string>();
  for (const user of [...users].sort((a, b) => a.id - b.id)) {
    const fromName = user.name.normalize('NFKC').trim();
    let login = LOGIN_PATTERN.test(fromName) && !taken.has(fromName.toLowerCase()) ? fromName : `user${user.id}`;
    for (let n = 2; taken.has(login.toLowerCase()); n++) login = `user${user.id}-${n}`;
    taken.add(login.toLowerCase());
    result.set(user.id, login);
  }
  return result;
}

export class SignIn1765200000000 implements MigrationInterface {
  name = 'SignIn1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'login', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'login_key', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'password_hash', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'must_change_password', type: 'boolean', default: false }),
      new TableColumn({ name: 'disabled_at', type: 'varchar', length: '30', isNullable: true }),
    ]);
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const users: { id: number | string; name: string }[] = await queryRunner.query('SELECT id, name FROM users');
    const logins = migrationLogins(users.map((user) => ({ id: Number(user.id), name: user.name })));
    for (const [id, login] of logins) {
      await queryRunner.query(
        postgres
          ? 'UPDATE users SET login = $1, login_key = $2 WHERE id = $3'
          : 'UPDATE users SET login = ?, login_key = ? WHERE id = ?',
        [login, login.toLowerCase(), id],
      );
    }
    if (postgres) {
      // ALTER in place: TypeORM's changeColumn would drop and re-add the columns here
      await queryRunner.query('ALTER TABLE users ALTER COLUMN login SET NOT NULL, ALTER COLUMN login_key SET NOT NULL');
      await queryRunner.query('ALTER TABLE users ALTER COLUMN token_hash DROP NOT NULL, ALTER COLUMN token_prefix DROP NOT NULL');
    } else {
      // SQLite cannot alter a column: TypeORM rebuilds the table once for all four
      const table = await queryRunner.getTable('users');
      const column = (name: string) => table!.findColumnByName(name)!;
      await queryRunner.changeColumns('users', [
        { oldColumn: column('login'), newColumn: new TableColumn({ name: 'login', type: 'varchar', length: '64', isNullable: false }) },
        { oldColumn: column('login_key'), newColumn: new TableColumn({ name: 'login_key', type: 'varchar', length: '64', isNullable: false }) },
        { oldColumn: column('token_hash'), newColumn: new TableColumn({ name: 'token_hash', type: 'varchar', length: '64', isNullable: true }) },
        { oldColumn: column('token_prefix'), newColumn: new TableColumn({ name: 'token_prefix', type: 'varchar', length: '16', isNullable: true }) },
      ]);
    }
    await queryRunner.createIndex('users', new TableIndex({ name: 'uq_users_login_key', columnNames: ['login_key'], isUnique: true }));

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'integer' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'last_seen_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_sessions_token_hash', columnNames: ['token_hash'] }],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_failures',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'scope', type: 'varchar', length: '16' },
          { name: 'key', type: 'varchar', length: '200' },
          { name: 'at', type: 'varchar', length: '30' },
        ],
        indices: [
          { name: 'ix_auth_failures_key', columnNames: ['scope', 'key', 'at'] },
          { name: 'ix_auth_failures_at', columnNames: ['at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_failures');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropIndex('users', 'uq_users_login_key');
    for (const name of ['disabled_at', 'must_change_password', 'password_hash', 'login_key', 'login']) await queryRunner.dropColumn('users', name);
  }
}
