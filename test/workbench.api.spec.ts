import * as ExcelJS from 'exceljs';
import { binary } from './support/responses';
import { createItem } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

// The routes the browser workbench adds: bulk change, the overdue list by department, a
// division's own sheet and the empty template.

describe.each(databaseKinds())('workbench API on %s', (kind) => {
  const t = useTestApp(kind);
  let editorToken: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const asEditor = () => ({ Authorization: `Bearer ${editorToken}` });

  beforeAll(async () => {
    editorToken = await t.token('editor', '行政管理部');
    // six seal forms of 総務課 (行政管理部), two of 市民課 (市民安全部)
    for (let n = 1; n <= 6; n++) {
      await createItem(t, 'seal', { code: `B0${n}`, dueOn: n <= 2 ? '2026-10-31' : undefined });
    }
    for (const code of ['C01', 'C02']) {
      await createItem(t, 'seal', { code, division: '市民課', dueOn: '2026-09-30' });
    }
  });

  const items = async (q: string) => (await t.http().get(`/api/v1/programs/seal/items?q=${q}&pageSize=100`).set(auth()).expect(200)).body.items as { id: number; code: string; status: string; completedOn: string | null; note: string | null; version: number }[];
  const historyOf = async (id: number) => (await t.http().get(`/api/v1/items/${id}/history`).set(auth()).expect(200)).body.entries as { to: string; note: string | null }[];

  it('should change the chosen items in one go, one history row each, with the PATCH rules', async () => {
    const [first, second] = await items('B01').then(async (one) => [...one, ...(await items('B02'))]);
    const response = await t
      .http()
      .post('/api/v1/programs/seal/items/bulk')
      .set(asEditor())
      .send({ ids: [first.id, second.id], status: '廃止済', completedOn: '令和8年11月1日', note: '電子申請に切替', expectedCount: 2 })
      .expect(200);
    expect(response.body).toEqual({ program: 'seal', matched: 2, updated: 2, unchanged: 0 });
    for (const item of await items('B0')) {
      if (item.code === 'B01' || item.code === 'B02') {
        expect(item).toMatchObject({ status: 'abolished', completedOn: '2026-11-01', note: '電子申請に切替', version: 2 });
        const history = await historyOf(item.id);
        expect(history).toHaveLength(2);
        expect(history[1]).toMatchObject({ to: 'abolished', note: '電子申請に切替' });
      } else {
        expect(item.version).toBe(1);
      }
    }
    // the same change again changes nothing and writes no history
    const again = await t.http().post('/api/v1/programs/seal/items/bulk').set(asEditor()).send({ ids: [first.id], status: 'abolished', completedOn: '2026-11-01', note: '電子申請に切替' }).expect(200);
    expect(again.body).toMatchObject({ matched: 1, updated: 0, unchanged: 1 });
    expect(await historyOf(first.id)).toHaveLength(2);
  });

  it('should change every item a list filter matches, not only one page', async () => {
    const response = await t
      .http()
      .post('/api/v1/programs/seal/items/bulk')
      .set(auth())
      .send({ filter: { q: 'B0', status: '押印必要' }, status: '検討中', expectedCount: 4 })
      .expect(200);
    expect(response.body).toMatchObject({ matched: 4, updated: 4 });
    expect((await items('B0')).map((item) => item.status)).toEqual(['abolished', 'abolished', 'reviewing', 'reviewing', 'reviewing', 'reviewing']);
    // a count that moved since the user confirmed it stops the change
    const moved = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ filter: { q: 'B0' }, status: '押印必要', expectedCount: 5 }).expect(409);
    expect(moved.body.code).toBe('bulk_count_changed');
  });

  it('should refuse all of it, naming each item, when one item breaks a rule or is not the editor’s', async () => {
    const own = await items('B03');
    const foreign = await items('C01');
    const refused = await t.http().post('/api/v1/programs/seal/items/bulk').set(asEditor()).send({ ids: [own[0].id, foreign[0].id], status: '廃止済' }).expect(422);
    expect(refused.body.code).toBe('forbidden');
    expect(refused.body.details.errors).toEqual([expect.objectContaining({ id: foreign[0].id, itemCode: 'C01', code: 'forbidden' })]);
    expect((await items('B03'))[0].status).toBe('reviewing');
    // 法令上存続 needs a note (備考) and 根拠法令 for every item: nothing changes without them
    const noNote = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ ids: [own[0].id, foreign[0].id], status: '法令上存続' }).expect(422);
    expect([...new Set(noNote.body.details.errors.map((error: { itemCode: string }) => error.itemCode))].sort()).toEqual(['B03', 'C01']);
    expect(noNote.body.message).toContain('どの項目も変更していません');
    // a future completion date is refused as in PATCH
    const future = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ ids: [own[0].id], status: '廃止済', completedOn: '2026-12-01' }).expect(422);
    expect(future.body.details.errors[0]).toMatchObject({ itemCode: 'B03', field: 'completedOn' });
    expect((await items('C01'))[0].version).toBe(1);
    // a viewer may not, and neither ids nor filter is a usage error
    const viewer = await t.token('viewer');
    await t.http().post('/api/v1/programs/seal/items/bulk').set({ Authorization: `Bearer ${viewer}` }).send({ ids: [own[0].id], status: '廃止済' }).expect(403);
    const neither = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ status: '廃止済' }).expect(400);
    expect(neither.body.code).toBe('bulk_selection_required');
    const badStatus = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ ids: [own[0].id], status: '済' }).expect(400);
    expect(badStatus.body.code).toBe('invalid_status');
  });

  it('should take an as-of date written 令和7年度末, as deadlines are', async () => {
    const response = await t.http().get(`/api/v1/progress?asOf=${encodeURIComponent('令和7年度末')}`).set(auth()).expect(200);
    expect(response.body.asOf).toBe('2026-03-31');
  });

  it('should filter the overdue list by department and division', async () => {
    const all = await t.http().get('/api/v1/progress/overdue?program=seal').set(auth()).expect(200);
    expect(all.body.items.map((item: { code: string }) => item.code).sort()).toEqual(['C01', 'C02']);
    const citizens = await t.http().get(`/api/v1/progress/overdue?program=seal&department=${encodeURIComponent('市民安全部')}`).set(auth()).expect(200);
    expect(citizens.body.items.map((item: { code: string }) => item.code).sort()).toEqual(['C01', 'C02']);
    expect(citizens.body.items.every((item: { department: { name: string } }) => item.department.name === '市民安全部')).toBe(true);
    const admin = await t.http().get('/api/v1/progress/overdue?program=seal&department=D01').set(auth()).expect(200);
    expect(admin.body.total).toBe(0);
    const division = await t.http().get(`/api/v1/progress/overdue?division=${encodeURIComponent('市民課')}&program=seal`).set(auth()).expect(200);
    expect(division.body.total).toBe(2);
    const unknown = await t.http().get('/api/v1/progress/overdue?department=XX').set(auth()).expect(400);
    expect(unknown.body.code).toBe('unknown_department');
  });

  it("should give a division its own sheet with drop-downs, which imports back unchanged", async () => {
    const response = await t.http().get(`/api/v1/programs/seal/sheet.xlsx?division=${encodeURIComponent('総務課')}`).set(asEditor()).buffer(true).parse(binary).expect(200);
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('押印廃止_総務課.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('押印廃止')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('管理番号');
    const codes: string[] = [];
    for (let row = 3; row <= sheet.rowCount; row++) {
      const value = sheet.getRow(row).getCell(1).value;
      if (value) codes.push(String(value));
    }
    expect(codes).toEqual(['B01', 'B02', 'B03', 'B04', 'B05', 'B06']);
    // 状況 offers the program's states from the hidden sheet 選択肢
    expect(workbook.getWorksheet('選択肢')!.state).toBe('hidden');
    const statusColumn = (sheet.getRow(2).values as unknown[]).indexOf('状況');
    const validation = sheet.getRow(3).getCell(statusColumn).dataValidation;
    expect(validation).toMatchObject({ type: 'list' });
    // uploaded again as it is: every row unchanged, nothing written
    const back = await t.http().post('/api/v1/imports/seal?dryRun=false').set(asEditor()).attach('file', response.body as Buffer, '押印廃止_総務課.xlsx').expect(200);
    expect(back.body.summary).toEqual({ rows: 6, created: 0, updated: 0, unchanged: 6, errors: 0 });
    // an editor gets only the divisions of the own department
    const other = await t.http().get(`/api/v1/programs/seal/sheet.xlsx?division=${encodeURIComponent('市民課')}`).set(asEditor()).expect(403);
    expect(other.body.code).toBe('forbidden_division');
    await t.http().get(`/api/v1/programs/seal/sheet.xlsx?division=${encodeURIComponent('市民課')}`).set(auth()).expect(200);
    const missing = await t.http().get('/api/v1/programs/seal/sheet.xlsx').set(auth()).expect(400);
    expect(missing.body.code).toBe('missing_parameter');
  });

  it('should give the empty template for every program', async () => {
    const response = await t.http().get('/api/v1/programs/analog/template.xlsx').set(asEditor()).buffer(true).parse(binary).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('アナログ規制見直し');
    expect(sheet.getRow(2).getCell(1).value).toBe('管理番号');
    expect(sheet.getRow(3).getCell(1).value).toBeNull();
    await t.http().get('/api/v1/programs/nothing/template.xlsx').set(auth()).expect(404);
  });

  describe('a sheet with the clerk’s own headers', () => {
    const upload = (csv: string, query: string) =>
      t.http().post(`/api/v1/imports/seal?${query}`).set(asEditor()).attach('file', Buffer.from(`\uFEFF${csv}`, 'utf8'), 'own-headers.csv');
    const foreign = ['No.,様式名,担当課,状況,廃止日', 'M01,許可申請書,総務課,廃止済,2026-10-01', 'M02,届出書,総務課,押印必要,'].join('\r\n');
    const mapping = encodeURIComponent(JSON.stringify({ 'No.': '管理番号', 様式名: 'name', 担当課: '所管課', 廃止日: '完了日' }));

    it('should say which headers it found when the header row is not found', async () => {
      const response = await upload(foreign, 'dryRun=true').expect(422);
      expect(response.body.code).toBe('header_not_found');
      expect(response.body.message).toContain('No.・様式名・担当課・状況・廃止日');
      expect(response.body.details.foundHeaders).toEqual(['No.', '様式名', '担当課', '状況', '廃止日']);
    });

    it('should import it with a mapping, and refuse a mapping to a column the program lacks', async () => {
      const checked = await upload(foreign, `dryRun=true&mapping=${mapping}`).expect(200);
      expect(checked.body.summary).toMatchObject({ rows: 2, created: 2, errors: 0 });
      await upload(foreign, `dryRun=false&mapping=${mapping}`).expect(200);
      const [item] = await items('M01');
      expect(item).toMatchObject({ code: 'M01', status: 'abolished', completedOn: '2026-10-01' });
      const bad = await upload(foreign, `dryRun=true&mapping=${encodeURIComponent(JSON.stringify({ 'No.': '番号' }))}`).expect(400);
      expect(bad.body.code).toBe('invalid_mapping');
      const clash = await upload(foreign, `dryRun=true&mapping=${encodeURIComponent(JSON.stringify({ 状況: '名称' }))}`).expect(400);
      expect(clash.body.code).toBe('invalid_mapping');
    });

    it('should give codes to a sheet without 管理番号 on request, and the export carries them', async () => {
      const noCodes = ['様式名,担当課,状況', '番号なし様式1,総務課,押印必要', '番号なし様式2,総務課,押印必要'].join('\r\n');
      const nameMapping = encodeURIComponent(JSON.stringify({ 様式名: '名称', 担当課: '所管課' }));
      const refused = await upload(noCodes, `dryRun=true&mapping=${nameMapping}`).expect(422);
      expect(refused.body.code).toBe('header_not_found');
      const checked = await upload(noCodes, `dryRun=true&assignCodes=true&mapping=${nameMapping}`).expect(200);
      expect(checked.body.summary).toMatchObject({ created: 2, errors: 0 });
      await upload(noCodes, `dryRun=false&assignCodes=true&mapping=${nameMapping}`).expect(200);
      expect((await items('SEAL-A')).map((item) => item.code)).toEqual(['SEAL-A00001', 'SEAL-A00002']);
      // the next ones continue after the highest
      await upload(noCodes, `dryRun=false&assignCodes=true&mapping=${nameMapping}`).expect(200);
      expect((await items('SEAL-A')).map((item) => item.code)).toEqual(['SEAL-A00001', 'SEAL-A00002', 'SEAL-A00003', 'SEAL-A00004']);
      const exported = await t.http().get('/api/v1/programs/seal/items.csv?q=SEAL-A').set(auth()).buffer(true).parse(binary).expect(200);
      const text = (exported.body as Buffer).toString('utf8');
      expect(text).toContain('SEAL-A00004');
      const back = await t.http().post('/api/v1/imports/seal?dryRun=true').set(auth()).attach('file', exported.body as Buffer, 'back.csv').expect(200);
      expect(back.body.summary).toMatchObject({ rows: 4, unchanged: 4, created: 0, updated: 0 });
    });
  });

  describe('the reform office', () => {
    it('should create a target with a 和暦 deadline and edit its label, deadline and scope', async () => {
      await t.http().post('/api/v1/targets').set(auth()).send({ id: 'seal-d01', program: 'seal', label: '押印廃止（行政管理部）', deadline: '令和8年度末', scope: { department: '行政管理部' } }).expect(201);
      const edited = await t.http().put('/api/v1/targets/seal-d01').set(auth()).send({ label: '押印廃止（行政管理部・前倒し）', deadline: '2026-12-31' }).expect(200);
      expect(edited.body).toMatchObject({ id: 'seal-d01', program: 'seal', label: '押印廃止（行政管理部・前倒し）', deadline: '2026-12-31', scope: { department: 'D01' } });
      const scoped = await t.http().put('/api/v1/targets/seal-d01').set(auth()).send({ scope: {} }).expect(200);
      expect(scoped.body.scope).toEqual({});
      const bad = await t.http().put('/api/v1/targets/seal-d01').set(auth()).send({ deadline: 'いつか' }).expect(400);
      expect(bad.body.code).toBe('invalid_date');
      const fixed = await t.http().put('/api/v1/targets/seal-d01').set(auth()).send({ program: 'online' }).expect(400);
      expect(fixed.body.code).toBe('target_key_fixed');
      await t.http().put('/api/v1/targets/seal-d01').set(asEditor()).send({ label: 'x' }).expect(403);
      await t.http().put('/api/v1/targets/nothing').set(auth()).send({ label: 'x' }).expect(404);
    });

    it('should take a target’s monthly plan as a sheet upload: checked first, then saved', async () => {
      const sheet = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
      const good = sheet(['月,計画件数', '令和8年10月,2', '2026-11,1', 'R8.12,3']);
      const checked = await t.http().post('/api/v1/targets/seal-d01/plan/sheet?dryRun=true').set(auth()).attach('file', good, '計画.csv').expect(200);
      expect(checked.body).toMatchObject({ target: 'seal-d01', applied: false, dryRun: true, summary: { months: 3, totalPlanned: 6, errors: 0 } });
      expect((await t.http().get('/api/v1/targets/seal-d01/plan').set(auth()).expect(200)).body.months).toEqual([]);
      await t.http().post('/api/v1/targets/seal-d01/plan/sheet').set(auth()).attach('file', good, '計画.csv').expect(200);
      const plan = await t.http().get('/api/v1/targets/seal-d01/plan').set(auth()).expect(200);
      expect(plan.body.months.map((month: { month: string; planned: number }) => [month.month, month.planned])).toEqual([
        ['2026-10', 2],
        ['2026-11', 1],
        ['2026-12', 3],
      ]);
      const bad = await t.http().post('/api/v1/targets/seal-d01/plan/sheet').set(auth()).attach('file', sheet(['月,計画件数', '令和8年13月,2']), 'bad.csv').expect(422);
      expect(bad.body.errors[0]).toMatchObject({ row: 2, column: '月', value: '令和8年13月' });
      expect((await t.http().get('/api/v1/targets/seal-d01/plan').set(auth()).expect(200)).body.months).toHaveLength(3);
      await t.http().post('/api/v1/targets/seal-d01/plan/sheet').set(asEditor()).attach('file', good, '計画.csv').expect(403);
    });

    it('should filter the audit log by action and user, with the city’s local time beside UTC', async () => {
      const log = await t.http().get('/api/v1/audit?action=target_updated').set(auth()).expect(200);
      expect(log.body.timeZone).toBe('Asia/Tokyo');
      expect(log.body.entries).toHaveLength(2);
      expect(log.body.entries[0]).toMatchObject({ action: 'target_updated', by: 'test-admin', at: '2026-11-24T01:00:00.000Z', atLocal: '2026-11-24T10:00:00+09:00' });
      expect(log.body.entries[0].detail.before.label).toBe('押印廃止（行政管理部）');
      const byEditor = await t.http().get('/api/v1/audit?by=editor-1').set(auth()).expect(200);
      expect(byEditor.body.entries.length).toBeGreaterThan(0);
      expect(byEditor.body.entries.every((entry: { by: string }) => entry.by === 'editor-1')).toBe(true);
    });
  });
});
