import { databaseKinds, useTestApp } from './support/test-app';

describe.each(databaseKinds())('items API on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  it('should answer /health without a token', async () => {
    const response = await t.http().get('/health').expect(200);
    expect(response.body.status).toBe('ok');
  });

  it('should refuse a missing or bad token with 401 and the error shape', async () => {
    const none = await t.http().get('/api/v1/programs/online/items').expect(401);
    expect(none.body).toEqual({ statusCode: 401, code: 'unauthorized', message: expect.any(String) });
    await t.http().get('/api/v1/programs/online/items').set('Authorization', 'Bearer wrong').expect(401);
  });

  it('should list the 27 + 24 national procedures by nationalGroup', async () => {
    const mynumber = await t.http().get('/api/v1/programs/online/items?nationalGroup=mynumber27&pageSize=500').set(auth()).expect(200);
    expect(mynumber.body.total).toBe(27);
    expect(mynumber.body.items).toHaveLength(27);
    expect(mynumber.body.items.every((item: { nationalGroup: string }) => item.nationalGroup === 'mynumber27')).toBe(true);
    const categories = mynumber.body.items.reduce((counts: Record<string, number>, item: { category: string }) => {
      counts[item.category] = (counts[item.category] ?? 0) + 1;
      return counts;
    }, {});
    expect(categories).toEqual({ 児童手当: 10, 保育: 3, 児童扶養手当: 1, 母子: 1, 介護: 11, 被災者支援: 1 });
    const priority = await t.http().get('/api/v1/programs/online/items?nationalGroup=優先24&pageSize=500').set(auth()).expect(200);
    expect(priority.body.total).toBe(24);
    const first = mynumber.body.items[0];
    expect(first).toMatchObject({ program: 'online', status: 'not_started', statusLabel: '未着手', version: 1 });
    expect(first.division).toEqual({ code: expect.any(String), name: expect.any(String) });
    expect(first.department).toEqual({ code: expect.any(String), name: expect.any(String) });
  });

  it('should load the reference data idempotently', async () => {
    const { ReferenceDataService } = await import('../src/reference/reference-data.service');
    const again = await t.app.get(ReferenceDataService).load();
    expect(again).toEqual({ departments: 0, divisions: 0, items: 0, initiatives: 0, targets: 0 });
  });

  it('should page and search with NFKC folding', async () => {
    const page = await t.http().get('/api/v1/programs/online/items?page=2&pageSize=10').set(auth()).expect(200);
    expect(page.body).toMatchObject({ total: 51, page: 2, pageSize: 10 });
    expect(page.body.items).toHaveLength(10);
    const search = await t.http().get(`/api/v1/programs/online/items?q=${encodeURIComponent('ＭＮ－０１')}`).set(auth()).expect(200);
    expect(search.body.items.map((item: { code: string }) => item.code)).toEqual(['MN-01']);
    const byName = await t.http().get(`/api/v1/programs/online/items?q=${encodeURIComponent('妊娠')}`).set(auth()).expect(200);
    expect(byName.body.items.map((item: { name: string }) => item.name)).toEqual(['妊娠の届出']);
  });

  it('should show a status patch in the history, and refuse a stale version with 409', async () => {
    const list = await t.http().get('/api/v1/programs/online/items?q=MN-02').set(auth()).expect(200);
    const item = list.body.items[0];
    const patched = await t
      .http()
      .patch(`/api/v1/items/${item.id}`)
      .set(auth())
      .send({ status: 'オンライン化済', completedOn: '令和7年9月1日', version: item.version })
      .expect(200);
    expect(patched.body).toMatchObject({ status: 'online', completedOn: '2025-09-01', version: item.version + 1 });
    const stale = await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: 'planning', note: '差戻し', version: item.version }).expect(409);
    expect(stale.body.code).toBe('version_conflict');
    const history = await t.http().get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200);
    expect(history.body.entries).toHaveLength(2);
    expect(history.body.entries[0]).toMatchObject({ from: null, to: 'not_started', by: 'system' });
    expect(history.body.entries[1]).toMatchObject({ from: 'not_started', to: 'online', by: 'test-admin', effectiveOn: '2025-09-01' });
  });

  it('should create seal items with their fields and apply the program rules', async () => {
    const created = await t
      .http()
      .post('/api/v1/programs/seal/items')
      .set(auth())
      .send({ code: 'ＳＬ－００１', name: '①住民票の写し等交付申請書（㈱用）', division: '市民課', status: '押印必要', annualVolume: '１，２００', sealKind: '認印' })
      .expect(201);
    expect(created.body).toMatchObject({
      code: 'SL-001',
      name: '①住民票の写し等交付申請書（㈱用）',
      status: 'seal_required',
      annualVolume: 1200,
      sealKind: 'personal',
      division: { name: '市民課' },
    });
    expect(created.body).not.toHaveProperty('nationalGroup');
    const duplicate = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'SL-001', name: 'x', division: '市民課', status: 'seal_required' }).expect(409);
    expect(duplicate.body.code).toBe('code_exists');
    const noBasis = await t
      .http()
      .patch(`/api/v1/items/${created.body.id}`)
      .set(auth())
      .send({ status: 'legally_required', note: '法定', version: created.body.version })
      .expect(400);
    expect(noBasis.body.code).toBe('legal_basis_required');
    const foreign = await t.http().patch(`/api/v1/items/${created.body.id}`).set(auth()).send({ analogType: '目視', version: 1 }).expect(400);
    expect(foreign.body.code).toBe('field_not_in_program');
  });

  it('should answer bad input with a coded 400', async () => {
    const unknownField = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'X', bogus: 1 }).expect(400);
    expect(unknownField.body.code).toBe('unknown_field');
    const missing = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'X' }).expect(400);
    expect(missing.body.code).toBe('validation_failed');
    expect(missing.body.details.map((problem: { field: string }) => problem.field)).toEqual(['name', 'division', 'status']);
    const division = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'X', name: 'x', division: '存在しない課', status: '押印必要' }).expect(400);
    expect(division.body.code).toBe('unknown_division');
    const program = await t.http().get('/api/v1/programs/bogus/items').set(auth()).expect(404);
    expect(program.body.code).toBe('unknown_program');
    const malformed = await t.http().post('/api/v1/programs/seal/items').set(auth()).set('Content-Type', 'application/json').send('{"code":').expect(400);
    expect(malformed.body.code).toBe('malformed_json');
  });

  it('should let editors change only items of their own department, and viewers nothing', async () => {
    const editor = await t.token('editor', '市民安全部');
    const viewer = await t.token('viewer');
    const own = await t.http().post('/api/v1/programs/analog/items').set('Authorization', `Bearer ${editor}`).send({ code: 'AN-1', name: '防災訓練の実地確認', division: '防災安全課', status: '未点検' }).expect(201);
    expect(own.body.department.name).toBe('市民安全部');
    const other = await t.http().post('/api/v1/programs/analog/items').set('Authorization', `Bearer ${editor}`).send({ code: 'AN-2', name: 'x', division: '総務課', status: '未点検' }).expect(403);
    expect(other.body.code).toBe('forbidden');
    const list = await t.http().get('/api/v1/programs/online/items?q=MN-03').set(auth()).expect(200);
    await t.http().patch(`/api/v1/items/${list.body.items[0].id}`).set('Authorization', `Bearer ${editor}`).send({ status: 'planning', version: 1 }).expect(403);
    await t.http().patch(`/api/v1/items/${own.body.id}`).set('Authorization', `Bearer ${viewer}`).send({ status: 'inspected', version: 1 }).expect(403);
    await t.http().get(`/api/v1/items/${own.body.id}`).set('Authorization', `Bearer ${viewer}`).expect(200);
  });

  it('should serve the organization', async () => {
    const response = await t.http().get('/api/v1/organization').set(auth()).expect(200);
    const names = response.body.departments.map((department: { name: string }) => department.name);
    expect(names).toEqual(expect.arrayContaining(['行政管理部', '未来政策部', '福祉こども部', '保険健康部']));
    const all = response.body.departments.flatMap((department: { divisions: { name: string }[] }) => department.divisions.map((division) => division.name));
    expect(all).toEqual(expect.arrayContaining(['行政経営課', 'スマートデジタル戦略室', '子育て支援課']));
  });

  it('should serve the OpenAPI description without a token', async () => {
    const response = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/v1/programs/{program}/items', '/api/v1/items/{id}']));
    expect(response.body.components.securitySchemes).toHaveProperty('bearer');
  });
});
