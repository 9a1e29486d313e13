import request from 'supertest';
import { DataSource } from 'typeorm';
import { hashToken } from '../src/auth/tokens';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { databaseKinds, freshDatabase, testConfig } from './support/test-app';

// A database from before sign-in: its users get login IDs derived from their names (or user<id>),
// no password, and keep their tokens.
describe.each(databaseKinds())('the sign-in migration on %s', (kind) => {
  it('should give existing users deterministic login IDs and no password, and keep their tokens working', async () => {
    const database = await freshDatabase(kind);
    try {
      const before = new DataSource({ ...buildDataSourceOptions(database.settings), migrations: MIGRATIONS.filter((migration) => migration.name !== 'SignIn1765200000000') });
      await before.initialize();
      await before.runMigrations();
      const users: [string, string][] = [
        ['admin', 'pdt_first'],
        ['市民課 山田', 'pdt_second'],
        ['ADMIN', 'pdt_third'],
        ['Sato.K', 'pdt_fourth'],
      ];
      const placeholder = kind === 'postgres' ? (n: number) => `$${n}` : () => '?';
      for (const [name, token] of users) {
        await before.query(
          `INSERT INTO users (name, role, department_id, token_hash, token_prefix, created_at) VALUES (${[1, 2, 3, 4, 5, 6].map(placeholder).join(', ')})`,
          [name, 'admin', null, hashToken(token), token.slice(0, 10), '2026-11-01T00:00:00.000Z'],
        );
      }
      await before.destroy();

      const app = await createHttpApp({ config: testConfig(database.settings), clock: new FixedClock('2026-11-24T01:00:00Z'), logger: false, loadReference: false });
      try {
        const rows: { name: string; login: string; login_key: string; password_hash: string | null }[] = await app
          .get(DataSource)
          .query('SELECT name, login, login_key, password_hash FROM users ORDER BY id');
        expect(rows.map((row) => [row.name, row.login, row.login_key, row.password_hash])).toEqual([
          ['admin', 'admin', 'admin', null],
          ['市民課 山田', 'user2', 'user2', null],
          // the same ID as user 1 after case folding: user<id> instead
          ['ADMIN', 'user3', 'user3', null],
          ['Sato.K', 'Sato.K', 'sato.k', null],
        ]);
        const me = await request(app.getHttpServer()).get('/api/v1/me').set('Authorization', 'Bearer pdt_fourth').expect(200);
        expect(me.body).toMatchObject({ name: 'Sato.K', login: 'Sato.K' });
        // no password: no sign-in with one
        await request(app.getHttpServer()).post('/api/v1/auth/login').send({ login: 'admin', password: 'anything-long-enough' }).expect(401);
      } finally {
        await app.close();
      }
    } finally {
      await database.drop();
    }
  });
});
