import { ItemsService } from '../src/items/items.service';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// Bad input gets a clear no: a 4xx with a stable code and a Japanese message, in the error shape
// of CONTRACT.md, never a stack trace, and the server keeps serving.

const JSON_LIMIT_BYTES = 8 * 1024;

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

describe.each(databaseKinds())('input limits on %s', (kind) => {
  let t: TestApp;
  const bodies: ErrorBody[] = [];
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const seal = { code: 'LIM-1', name: '申請書', division: '市民課', status: 'seal_required' };

  /** Sends, checks status and code, and keeps the body for the stack-trace check at the end. */
  async function refused(call: ReturnType<ReturnType<TestApp['http']>['get']>, status: number, code: string): Promise<ErrorBody> {
    const response = await call;
    expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
    expect(Object.keys(response.body).every((key) => ['statusCode', 'code', 'message', 'details'].includes(key))).toBe(true);
    bodies.push(response.body);
    return response.body;
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { jsonLimit: `${JSON_LIMIT_BYTES}b` } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should refuse unknown fields, on create and on update', async () => {
    const created = await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, role: 'admin', isAdmin: true }), 400, 'unknown_field');
    expect(created.details).toEqual({ fields: ['role', 'isAdmin'] });
    expect(created.message).toContain('使えない項目');
    const item = (await t.http().get('/api/v1/programs/online/items?q=MN-20').set(auth()).expect(200)).body.items[0];
    await refused(t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ version: item.version, id: 999 }), 400, 'unknown_field');
    await refused(t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ version: item.version, sealKind: '認印' }), 400, 'field_not_in_program');
    // a JSON array is not an object of fields
    await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send([seal]), 400, 'unknown_field');
    const unchanged = await t.http().get(`/api/v1/items/${item.id}`).set(auth()).expect(200);
    expect(unchanged.body.version).toBe(item.version);
  });

  it('should answer malformed JSON with malformed_json', async () => {
    for (const text of ['{"code":', "{'code':'x'}", '{"code":"x",}', '"just a string"', 'null', '{"code":"x"}}']) {
      const body = await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).set('Content-Type', 'application/json').send(text), 400, 'malformed_json');
      expect(body.message).toBe('JSON の形式が正しくありません');
    }
    await refused(
      t.http().post('/api/v1/programs/seal/items').set(auth()).set('Content-Type', 'application/json; charset=utf-16').send('{}'),
      400,
      'malformed_json',
    );
  });

  it('should refuse over-long text fields with too_long, naming the field and the limit', async () => {
    const name = await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, name: 'あ'.repeat(501) }), 400, 'too_long');
    expect(name.message).toBe('nameは500文字以内で入力してください');
    expect(name.details).toEqual({ fields: [{ field: 'name', maxLength: 500 }] });
    const both = await refused(
      t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, code: 'C'.repeat(65), note: 'x'.repeat(2001) }),
      400,
      'too_long',
    );
    expect(both.details).toEqual({ fields: [{ field: 'code', maxLength: 64 }, { field: 'note', maxLength: 2000 }] });
    // exactly at the limit is fine
    await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, code: 'LIM-500', name: 'あ'.repeat(500) }).expect(201);
    // wrong types are a validation error, not a crash
    const types = await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: { $gt: '' }, name: ['x'], division: 5, status: true }), 400, 'validation_failed');
    expect((types.details as { fields: { field: string }[] }).fields.map((problem) => problem.field)).toEqual(['code', 'name', 'division', 'status']);
  });

  it('should answer a body over the JSON limit with 413 payload_too_large and keep serving', async () => {
    const body = await refused(
      t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, note: 'x'.repeat(JSON_LIMIT_BYTES) }),
      413,
      'payload_too_large',
    );
    expect(body.message).toContain('大きすぎます');
    // the limit counts bytes: 3,000 kana are 9,000 bytes of UTF-8
    await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, note: 'あ'.repeat(3000) }), 413, 'payload_too_large');
    await t.http().get('/health').expect(200);
    const created = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, code: 'LIM-2' }).expect(201);
    expect(created.body.code).toBe('LIM-2');
  });

  it('should refuse control characters (NUL, escape sequences) in bodies and queries', async () => {
    const nul = await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, code: 'LIM-NUL', name: 'a\u0000b' }), 400, 'invalid_character');
    expect(nul.details).toEqual({ field: 'name', codePoint: 'U+0000' });
    expect(nul.message).toContain('name');
    await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, code: 'LIM\u00002' }), 400, 'invalid_character');
    await refused(t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, note: '\u001b[31m赤\u001b[0m' }), 400, 'invalid_character');
    await refused(t.http().get('/api/v1/programs/seal/items?q=%00').set(auth()), 400, 'invalid_character');
    await refused(t.http().get('/api/v1/progress?asOf=2026-11-24%00').set(auth()), 400, 'invalid_character');
    // line breaks and tabs are ordinary text
    const multiline = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...seal, code: 'LIM-3', note: '一行目\r\n\t二行目' }).expect(201);
    expect(multiline.body.note).toBe('一行目\r\n\t二行目');
    const none = await t.http().get('/api/v1/programs/seal/items?q=LIM-NUL').set(auth()).expect(200);
    expect(none.body.total).toBe(0);
  });

  it('should answer ids that name no row with invalid_id, whatever their size', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999', '2147483648']) {
      await refused(t.http().get(`/api/v1/items/${id}`).set(auth()), 400, 'invalid_id');
    }
    await refused(t.http().patch('/api/v1/items/99999999999999999999').set(auth()).send({ version: 1 }), 400, 'invalid_id');
    await refused(t.http().get('/api/v1/items/2147483647').set(auth()), 404, 'not_found');
  });

  it('should hide the cause of an internal error', async () => {
    const service = t.app.get(ItemsService);
    const spy = jest.spyOn(service, 'historyOf').mockRejectedValue(new Error('connection to /var/lib/secret at db.internal:5432 lost'));
    try {
      const body = await refused(t.http().get('/api/v1/items/1/history').set(auth()), 500, 'internal_error');
      expect(body).toEqual({ statusCode: 500, code: 'internal_error', message: 'サーバー内部でエラーが発生しました' });
    } finally {
      spy.mockRestore();
    }
    await t.http().get('/api/v1/items/1/history').set(auth()).expect(200);
  });

  it('should answer unknown routes and methods in the error shape', async () => {
    await refused(t.http().get('/api/v1/nothing-here'), 404, 'not_found');
    await refused(t.http().delete('/api/v1/items/1').set(auth()), 404, 'not_found');
  });

  it('should never put a stack trace or a file path in an error body', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|\/work\/|Error:|stack/);
    }
  });
});
