import request from 'supertest';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/auth/users.service';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { ItemFieldsJson1765110000000 } from '../src/database/migrations/1765110000000-ItemFieldsJson';
import { openPreviousSchema } from './support/previous-schema';
import { databaseKinds, freshDatabase, TestDatabase, testConfig } from './support/test-app';

// Migration 1765110000000 on a database made by the previous schema: the program fields move
// from their columns into items.fields, and the app reads them as before.

describe.each(databaseKinds())('item fields migration on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('should move every stored program field into the JSON column and keep the items API unchanged', async () => {
    const { dataSource: old, param: p, divisionId } = await openPreviousSchema(kind, database, ItemFieldsJson1765110000000);
    const columns = 'program, code, name, status, division_id, search_text, created_at, updated_at';
    const values = (count: number) => Array.from({ length: count }, (_, index) => p(index + 1)).join(', ');
    const stamp = '2026-11-01T00:00:00.000Z';
    await old.query(
      `INSERT INTO items (${columns}, national_group, category, annual_volume, channel) VALUES (${values(12)})`,
      ['online', 'C-1', '転入届', 'planning', divisionId, 'c-1 転入届', stamp, stamp, 'mynumber27', 'くらし', 1200, '窓口'],
    );
    await old.query(
      `INSERT INTO items (${columns}, annual_volume, basis_level, legal_basis, seal_kind) VALUES (${values(12)})`,
      ['seal', 'S-1', '届出書①', 'legally_required', divisionId, 's-1 届出書①', stamp, stamp, 0, 'law', '地方自治法第２条', 'registered'],
    );
    await old.query(`INSERT INTO items (${columns}) VALUES (${values(8)})`, ['analog', 'A-1', '規定', 'not_inspected', divisionId, 'a-1 規定', stamp, stamp]);
    await old.destroy();

    const app = await createHttpApp({ config: testConfig(database.settings), clock: new FixedClock('2026-11-24T01:00:00Z'), logger: false });
    try {
      const rows: { code: string; fields: unknown }[] = await app.get(DataSource).query("SELECT code, fields FROM items WHERE code IN ('A-1', 'C-1', 'S-1') ORDER BY code");
      const parsed = Object.fromEntries(rows.map((row) => [row.code, typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields]));
      expect(parsed).toEqual({
        'A-1': {},
        'C-1': { nationalGroup: 'mynumber27', category: 'くらし', annualVolume: 1200, channel: '窓口' },
        'S-1': { annualVolume: 0, basisLevel: 'law', legalBasis: '地方自治法第２条', sealKind: 'registered' },
      });
      const { token } = await app.get(UsersService).createWithToken({ name: 'migration-admin', role: 'admin' });
      const auth = { Authorization: `Bearer ${token}` };
      const seal = await request(app.getHttpServer()).get('/api/v1/programs/seal/items?q=S-1').set(auth).expect(200);
      expect(seal.body.items[0]).toMatchObject({ code: 'S-1', annualVolume: 0, basisLevel: 'law', legalBasis: '地方自治法第２条', sealKind: 'registered', replacement: null });
      const online = await request(app.getHttpServer()).get('/api/v1/programs/online/items?nationalGroup=mynumber27&q=C-').set(auth).expect(200);
      expect(online.body.items.map((item: { code: string }) => item.code)).toEqual(['C-1']);
      expect(online.body.items[0]).toMatchObject({ category: 'くらし', annualVolume: 1200, channel: '窓口' });
    } finally {
      await app.close();
    }
  });
});
