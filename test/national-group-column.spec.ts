import request from 'supertest';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/auth/users.service';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { NationalGroupColumn1765950000000 } from '../src/database/migrations/1765950000000-NationalGroupColumn';
import { openPreviousSchema } from './support/previous-schema';
import { databaseKinds, freshDatabase, TestDatabase, testConfig } from './support/test-app';

// Migration 1765950000000 on a database made by the previous schema: on PostgreSQL 国の区分 becomes
// the generated column items.national_group (filled for the rows already there, following every
// later write) and the progress index is rebuilt on it; SQLite is left as it was. The 国の区分
// filter answers the same either way, before and after an edit of the field.

describe.each(databaseKinds())('national group column migration on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('should fill the column from the stored fields, keep it in step with edits, and put the progress index on it', async () => {
    const { dataSource: old, param: p, divisionId, migrationsRun } = await openPreviousSchema(kind, database, NationalGroupColumn1765950000000);
    expect(migrationsRun).toBe(MIGRATIONS.length - 1);
    const stamp = '2026-11-01T00:00:00.000Z';
    const insert = `INSERT INTO items (program, code, name, status, division_id, search_text, created_at, updated_at, fields) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(p).join(', ')})`;
    await old.query(insert, ['online', 'C-1', '転入届', 'planning', divisionId, 'c-1 転入届', stamp, stamp, JSON.stringify({ nationalGroup: 'mynumber27', category: 'くらし' })]);
    await old.query(insert, ['online', 'C-2', '転出届', 'planning', divisionId, 'c-2 転出届', stamp, stamp, JSON.stringify({ nationalGroup: 'city' })]);
    await old.query(insert, ['seal', 'S-1', '届出書', 'legally_required', divisionId, 's-1 届出書', stamp, stamp, JSON.stringify({ sealKind: 'registered' })]);
    await old.destroy();

    const app = await createHttpApp({ config: testConfig(database.settings), clock: new FixedClock('2026-11-24T01:00:00Z'), logger: false });
    try {
      const dataSource = app.get(DataSource);
      if (kind === 'postgres') {
        const rows: { code: string; national_group: string | null }[] = await dataSource.query("SELECT code, national_group FROM items WHERE code IN ('C-1', 'C-2', 'S-1') ORDER BY code");
        expect(rows).toEqual([
          { code: 'C-1', national_group: 'mynumber27' },
          { code: 'C-2', national_group: 'city' },
          { code: 'S-1', national_group: null },
        ]);
        const [index] = await dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_items_progress' AND schemaname = current_schema()`);
        expect(index.indexdef).toContain('(program, national_group, division_id, status, status_effective_on, due_on)');
      } else {
        const columns: { name: string }[] = await dataSource.query('PRAGMA table_info(items)');
        expect(columns.map((column) => column.name)).not.toContain('national_group');
        const [index] = await dataSource.query(`SELECT sql FROM sqlite_master WHERE name = 'ix_items_progress'`);
        expect(index.sql).toContain(`json_extract(fields, '$.nationalGroup')`);
      }

      const { token } = await app.get(UsersService).createWithToken({ name: 'migration-admin', role: 'admin' });
      const auth = { Authorization: `Bearer ${token}` };
      const codes = async (group: string) =>
        (await request(app.getHttpServer()).get(`/api/v1/programs/online/items?nationalGroup=${group}&q=C-`).set(auth).expect(200)).body.items.map((item: { code: string }) => item.code);
      expect(await codes('mynumber27')).toEqual(['C-1']);
      expect(await codes('city')).toEqual(['C-2']);

      const [{ id, version }] = await dataSource.query(`SELECT id, version FROM items WHERE code = 'C-2'`);
      await request(app.getHttpServer()).patch(`/api/v1/items/${id}`).set(auth).send({ nationalGroup: 'mynumber27', version }).expect(200);
      expect(await codes('mynumber27')).toEqual(['C-1', 'C-2']);
      expect(await codes('city')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('should give the progress index its JSON expression back when undone', async () => {
    const current = new DataSource({ ...buildDataSourceOptions(database.settings), migrations: MIGRATIONS });
    await current.initialize();
    try {
      await current.undoLastMigration({ transaction: 'each' });
      if (kind === 'postgres') {
        const [index] = await current.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_items_progress' AND schemaname = current_schema()`);
        expect(index.indexdef).toContain(`(fields ->> 'nationalGroup'::text)`);
      }
      const columns: string[] =
        kind === 'postgres'
          ? (await current.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items'`)).map((row: { column_name: string }) => row.column_name)
          : (await current.query('PRAGMA table_info(items)')).map((row: { name: string }) => row.name);
      expect(columns).toContain('fields');
      expect(columns).not.toContain('national_group');
    } finally {
      await current.destroy();
    }
  });
});
