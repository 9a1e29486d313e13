import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { itemBody, targetBody } from './support/factories';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// Tried as a new user would, across the features: who may do what (API, import, reorganization,
// targets, plans, volumes, audit), what an oversized upload gets, and what the audit log shows.

const SEAL_HEADER = '管理番号,名称,所管課,状況';

/** multer's temp files in the temp directory (32 hex characters, no extension). */
function uploadTempFiles(): Set<string> {
  return new Set(fs.readdirSync(os.tmpdir()).filter((name) => /^[0-9a-f]{32}$/.test(name)));
}

describe.each(databaseKinds())('access across features on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let dir: string;
  let editor: string;
  let viewer: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const admin = () => bearer(t.adminToken);

  function csv(name: string, lines: string[]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    return file;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-access-'));
    // the default upload limit (50 MB), on a listening server: what a browser or curl meets
    t = await startTestApp(kind);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    editor = await t.token('editor', '市民安全部');
    viewer = await t.token('viewer');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse a 60 MB upload with 413 and keep serving', async () => {
    expect(t.config.uploadLimitBytes).toBe(50 * 1024 * 1024);
    const before = uploadTempFiles();
    const big = path.join(dir, 'sixty.csv');
    const row = 'BIG-1,とても大きな様式,市民課,押印必要\r\n';
    fs.writeFileSync(big, `${SEAL_HEADER}\r\n${row.repeat(Math.ceil((60 * 1024 * 1024) / Buffer.byteLength(row)))}`);
    expect(fs.statSync(big).size).toBeGreaterThan(60 * 1024 * 1024);
    const response = await request(base).post('/api/v1/imports/seal').set(admin()).attach('file', big);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ statusCode: 413, code: 'payload_too_large', message: expect.any(String) });
    // the partial upload is gone, and the server goes on answering and importing
    expect([...uploadTempFiles()].filter((name) => !before.has(name))).toEqual([]);
    await request(base).get('/health').expect(200);
    const small = await request(base).post('/api/v1/imports/seal').set(admin()).attach('file', csv('after-413.csv', [SEAL_HEADER, 'AF-1,次の様式,総務課,押印必要'])).expect(200);
    expect(small.body).toMatchObject({ applied: true, summary: { created: 1, errors: 0 } });
  }, 60_000);

  it("should keep an editor to its own department's items in the API and in an import", async () => {
    const own = await request(base)
      .post('/api/v1/programs/seal/items')
      .set(bearer(editor))
      .send({ code: 'AC-OWN', name: '自部局の様式', division: '防災安全課', status: '押印必要' })
      .expect(201);
    const other = (await request(base).get('/api/v1/programs/seal/items?q=AF-1').set(admin()).expect(200)).body.items[0];
    expect(other.department.name).not.toBe('市民安全部');
    expect((await request(base).patch(`/api/v1/items/${other.id}`).set(bearer(editor)).send({ status: '検討中', version: other.version }).expect(403)).body.code).toBe('forbidden');
    await request(base).patch(`/api/v1/items/${own.body.id}`).set(bearer(editor)).send({ status: '検討中', version: own.body.version }).expect(200);

    const mixed = csv('mixed.csv', [SEAL_HEADER, 'AC-NEW,自部局の新しい様式,防災安全課,押印必要', 'AF-1,他部局の既存,総務課,廃止済', 'AC-FOREIGN,他部局の新しい様式,総務課,押印必要']);
    const refused = await request(base).post('/api/v1/imports/seal').set(bearer(editor)).attach('file', mixed).expect(422);
    expect(refused.body.applied).toBe(false);
    const errors = refused.body.errors as { row: number; column: string; code: string }[];
    // row 3 names another department's item (and division), row 4 another department's division
    expect([...new Set(errors.map((error) => error.row))]).toEqual([3, 4]);
    expect(errors.every((error) => error.code === 'forbidden_division' && error.column === '所管課')).toBe(true);
    // all or nothing: the editor's own row was not written either
    expect((await request(base).get('/api/v1/programs/seal/items?q=AC-NEW').set(admin()).expect(200)).body.total).toBe(0);
    const unchanged = await request(base).get(`/api/v1/items/${other.id}`).set(admin()).expect(200);
    expect(unchanged.body).toMatchObject({ status: other.status, version: other.version });
  });

  it("should export an editor its own department by default and any other it names, like the list API", async () => {
    const own = await request(base).get('/api/v1/programs/seal/items.csv').set(bearer(editor)).expect(200);
    expect(own.headers['content-type']).toMatch(/text\/csv/);
    expect(own.text).toContain('AC-OWN');
    // AF-1 belongs to 総務課 (行政管理部): not in the editor's default file
    expect(own.text).not.toContain('AF-1');
    const all = await request(base).get('/api/v1/programs/seal/items.csv').set(admin()).expect(200);
    expect(all.text).toContain('AF-1');
    // Reading is one rule: what the list API shows an editor, an export shows it too.
    const listed = await request(base).get(`/api/v1/programs/seal/items?department=${encodeURIComponent('行政管理部')}`).set(bearer(editor)).expect(200);
    expect(listed.body.items.map((item: { code: string }) => item.code)).toContain('AF-1');
    for (const url of [
      `/api/v1/programs/seal/items.csv?department=${encodeURIComponent('行政管理部')}`,
      `/api/v1/programs/seal/items.xlsx?department=${encodeURIComponent('行政管理部')}`,
      `/api/v1/reports/compliance.xlsx?department=${encodeURIComponent('行政管理部')}`,
    ]) {
      const response = await request(base).get(url).set(bearer(editor));
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
    }
    const division = await request(base).get(`/api/v1/programs/seal/items.csv?division=${encodeURIComponent('総務課')}`).set(bearer(editor)).expect(200);
    expect(division.text).toContain('AF-1');
    await request(base).get('/api/v1/programs/seal/items.csv').expect(401);
  });

  it('should keep viewers read-only everywhere, and admin-only actions to admins', async () => {
    const file = csv('viewer.csv', [SEAL_HEADER, 'VW-1,閲覧者の様式,市民課,押印必要']);
    const writes: [string, (token: string) => request.Test][] = [
      ['create item', (token) => request(base).post('/api/v1/programs/seal/items').set(bearer(token)).send(itemBody('seal', { code: 'VW-2', division: '市民課' }))],
      ['import', (token) => request(base).post('/api/v1/imports/seal').set(bearer(token)).attach('file', file)],
      ['volumes', (token) => request(base).post('/api/v1/volumes').set(bearer(token)).attach('file', file)],
    ];
    for (const [what, send] of writes) {
      const response = await send(viewer);
      expect({ what, status: response.status, code: response.body.code }).toEqual({ what, status: 403, code: 'forbidden' });
    }
    const adminOnly: [string, (token: string) => request.Test][] = [
      ['reorganization', (token) => request(base).post('/api/v1/reorganizations').set(bearer(token)).send({ effectiveOn: '2026-12-01', moves: [] })],
      ['target', (token) => request(base).post('/api/v1/targets').set(bearer(token)).send(targetBody('seal'))],
      ['plan', (token) => request(base).put('/api/v1/targets/seal-abolition/plan').set(bearer(token)).send({ months: [] })],
      ['audit', (token) => request(base).get('/api/v1/audit').set(bearer(token))],
    ];
    for (const [what, send] of adminOnly) {
      for (const token of [editor, viewer]) {
        const response = await send(token);
        expect({ what, status: response.status, code: response.body.code }).toEqual({ what, status: 403, code: 'forbidden' });
      }
      const anonymous = await send('');
      expect({ what, status: anonymous.status }).toEqual({ what, status: 401 });
    }
    expect((await request(base).get('/api/v1/programs/seal/items?q=VW-').set(admin()).expect(200)).body.total).toBe(0);
    // reading is for every role
    for (const url of ['/api/v1/programs/seal/items', '/api/v1/progress', '/api/v1/organization', '/api/v1/targets', '/api/v1/me']) {
      await request(base).get(url).set(bearer(viewer)).expect(200);
    }
  });

  it('should refuse a bad import query without leaving the upload behind', async () => {
    const before = uploadTempFiles();
    const file = csv('query.csv', [SEAL_HEADER, 'QY-1,様式,市民課,押印必要']);
    const unknown = await request(base).post('/api/v1/imports/seal?bogus=1').set(admin()).attach('file', file).expect(400);
    expect(unknown.body.code).toBe('unknown_field');
    const control = await request(base).post('/api/v1/imports/seal?sheet=%1B').set(admin()).attach('file', file).expect(400);
    expect(control.body.code).toBe('invalid_character');
    expect([...uploadTempFiles()].filter((name) => !before.has(name))).toEqual([]);
  });

  it('should show imports, reorganizations and tokens in the audit log with who and when', async () => {
    await request(base).post('/api/v1/imports/seal?dryRun=true').set(admin()).attach('file', csv('dry-audit.csv', [SEAL_HEADER, 'AU-1,様式,市民課,押印必要'])).expect(200);
    const reorganization = await request(base)
      .post('/api/v1/reorganizations')
      .set(admin())
      .send({ effectiveOn: '2026-11-01', note: '監査ログの確認', newDepartments: [{ code: 'D90', name: '監査確認部' }] });
    expect(reorganization.status).toBe(200);
    const audit = await request(base).get('/api/v1/audit').set(admin()).expect(200);
    const entries = audit.body.entries as { at: string; by: string; action: string; detail: Record<string, unknown> }[];
    const find = (action: string, match: Record<string, unknown>) => entries.filter((entry) => entry.action === action && Object.entries(match).every(([key, value]) => entry.detail[key] === value));
    expect(find('token_created', { role: 'editor', department: '市民安全部' })).toHaveLength(1);
    expect(find('import', { file: 'after-413.csv', applied: true })).toEqual([
      { at: '2026-11-24T01:00:00.000Z', atLocal: '2026-11-24T10:00:00+09:00', by: 'test-admin', action: 'import', detail: expect.objectContaining({ program: 'seal', dryRun: false, summary: expect.objectContaining({ created: 1 }) }) },
    ]);
    // a refused import is on record too, under the editor's name
    expect(find('import', { file: 'mixed.csv', applied: false })).toEqual([expect.objectContaining({ by: expect.stringMatching(/^editor-/) })]);
    expect(find('import', { file: 'dry-audit.csv', dryRun: true })).toHaveLength(1);
    expect(find('reorganization', { note: '監査ログの確認' })).toEqual([expect.objectContaining({ by: 'test-admin', at: '2026-11-24T01:00:00.000Z' })]);
    const exports = find('export', { kind: 'items', program: 'seal' });
    expect(exports.map((entry) => entry.by)).toEqual(expect.arrayContaining([expect.stringMatching(/^editor-/), 'test-admin']));
    expect(exports.find((entry) => entry.by.startsWith('editor-'))!.detail).toMatchObject({ format: 'csv', filters: { department: '市民安全部' } });
    // nothing secret in it
    expect(JSON.stringify(entries)).not.toMatch(/pdt_[A-Za-z0-9_-]{20,}/);
  });
});
