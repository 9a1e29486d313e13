import { createItem } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

// A target limited to items whose program column has a given value (scope.fields, one choice per
// column), on a built-in program: what the target form of the page sends and reads back. The form
// builds its selects from GET /api/v1/programs, and an edit sends the whole scope.

describe.each(databaseKinds())('field-scoped targets of a built-in program on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const sealTarget = async (id: string) =>
    ((await t.http().get('/api/v1/progress').set(auth()).expect(200)).body.targets as { id: string; total: number; done: number; scope: unknown }[]).find((target) => target.id === id);

  beforeAll(async () => {
    const forms: [string, string, string, string][] = [
      ['FS-1', '総務課', '条例', '廃止済'],
      ['FS-2', '総務課', '条例', '押印必要'],
      ['FS-3', '市民課', '条例', '押印必要'],
      ['FS-4', '総務課', '規則', '廃止済'],
      ['FS-5', '総務課', '', '押印必要'],
    ];
    for (const [code, division, basisLevel, status] of forms) {
      await createItem(t, 'seal', { code, name: `${code} の様式`, division, status, basisLevel: basisLevel || undefined, completedOn: status === '廃止済' ? '2026-10-01' : undefined });
    }
  });

  it('offers the program’s choice columns with their choices (what the form builds its selects from)', async () => {
    const program = await t.http().get('/api/v1/programs/seal').set(auth()).expect(200);
    const basis = program.body.fields.find((field: { key: string }) => field.key === 'basisLevel');
    expect(basis).toMatchObject({ header: '根拠区分', kind: 'choice' });
    expect(basis.choices).toContainEqual({ key: 'ordinance', label: '条例' });
  });

  it('counts only the items with the chosen value, and round-trips the scope through an edit', async () => {
    const created = await t.http()
      .post('/api/v1/targets')
      .set(auth())
      .send({ id: 'seal-ordinance', program: 'seal', label: '条例に基づく押印の廃止', deadline: '令和8年度末', scope: { fields: { basisLevel: '条例' } } })
      .expect(201);
    expect(created.body.scope).toEqual({ fields: { basisLevel: 'ordinance' } });
    expect(await sealTarget('seal-ordinance')).toMatchObject({ total: 3, done: 1, scope: { fields: { basisLevel: 'ordinance' } } });

    // the form sends the whole scope: another value, with a department beside it
    const edited = await t.http()
      .put('/api/v1/targets/seal-ordinance')
      .set(auth())
      .send({ label: '条例・規則に基づく押印の廃止', deadline: '令和8年度末', scope: { department: 'D01', fields: { basisLevel: 'rule' } } })
      .expect(200);
    expect(edited.body.scope).toEqual({ department: 'D01', fields: { basisLevel: 'rule' } });
    expect((await t.http().get('/api/v1/targets/seal-ordinance').set(auth()).expect(200)).body.scope).toEqual({ department: 'D01', fields: { basisLevel: 'rule' } });
    expect(await sealTarget('seal-ordinance')).toMatchObject({ total: 1, done: 1 });

    // 「（指定しない）」 everywhere: the scope without fields is the whole program in that department
    const cleared = await t.http().put('/api/v1/targets/seal-ordinance').set(auth()).send({ scope: { department: 'D01' } }).expect(200);
    expect(cleared.body.scope).toEqual({ department: 'D01' });
    expect(await sealTarget('seal-ordinance')).toMatchObject({ total: 4, done: 2 });
  });

  it('refuses a value the column does not have and a column that is not a choice, naming each, and changes nothing', async () => {
    const bad = await t.http()
      .put('/api/v1/targets/seal-ordinance')
      .set(auth())
      .send({ scope: { fields: { basisLevel: '慣行', legalBasis: '地方自治法' } } })
      .expect(400);
    expect(bad.body.details.map((problem: { field: string; code: string; value: string }) => `${problem.field} ${problem.code} ${problem.value}`)).toEqual([
      'scope.fields.basisLevel invalid_choice 慣行',
      'scope.fields.legalBasis invalid_scope 地方自治法',
    ]);
    expect(bad.body.message).toContain('根拠区分「慣行」は使えません');
    // 国の区分 belongs to オンライン化 only (the form hides it for other programs)
    const group = await t.http().put('/api/v1/targets/seal-ordinance').set(auth()).send({ scope: { nationalGroup: 'mynumber27' } }).expect(400);
    expect(group.body.details[0]).toMatchObject({ field: 'scope.nationalGroup', code: 'invalid_choice' });
    expect((await t.http().get('/api/v1/targets/seal-ordinance').set(auth()).expect(200)).body.scope).toEqual({ department: 'D01' });
  });
});
