import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createItem } from './support/factories';
import { useTempDir } from './support/temp-files';
import { databaseKinds, useTestApp } from './support/test-app';

// Confirmation of completions (報告済 → 確認済) in programs with confirmDone (seal, analog).

const dir = useTempDir('confirmations-api-');

interface ItemBody {
  id: number;
  code: string;
  status: string;
  version: number;
  completedOn: string | null;
  reported: { at: string; by: string } | null;
}

describe.each(databaseKinds())('confirmation of completions on %s', (kind) => {
  const t = useTestApp(kind);
  let editor: string;
  let otherEditor: string;
  let viewer: string;
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const create = async (code: string, division = '総務課', status = '検討中', program = 'seal') =>
    createItem<ItemBody>(t, program, { code, name: `${code} の様式`, division, status });
  const patch = async (item: ItemBody, body: Record<string, unknown>, token = editor, status = 200) =>
    (await t.http().patch(`/api/v1/items/${item.id}`).set(auth(token)).send({ ...body, version: item.version }).expect(status)).body as ItemBody;
  const get = async (id: number) => (await t.http().get(`/api/v1/items/${id}`).set(auth()).expect(200)).body as ItemBody;
  const sealTarget = async (asOf?: string) => {
    const response = await t.http().get(`/api/v1/progress${asOf ? `?asOf=${asOf}` : ''}`).set(auth()).expect(200);
    return response.body.targets.find((target: { id: string }) => target.id === 'seal-abolition') as { done: number; reported: number; percent: number | null; remaining: number };
  };
  const department = async (code: string) => {
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    return response.body.departments.find((row: { departmentCode: string; program: string }) => row.departmentCode === code && row.program === 'seal') as { done: number; reported: number };
  };

  beforeAll(async () => {
    editor = await t.token('editor', '行政管理部');
    otherEditor = await t.token('editor', '市民安全部');
    viewer = await t.token('viewer');
  });

  it('reports an editor’s completion, counts it as done only once an administrator confirms it, from its completion date', async () => {
    const item = await create('CF-001');
    const reported = await patch(item, { status: '廃止済', completedOn: '2026-11-10' });
    expect(reported).toMatchObject({ status: 'abolished', completedOn: '2026-11-10', reported: { by: expect.stringMatching(/^editor-/) } });
    expect(await sealTarget()).toMatchObject({ done: 0, reported: 1, percent: 0, remaining: 1 });
    expect(await department('D01')).toMatchObject({ done: 0, reported: 1 });
    // as of a date after the completion date, it is still only reported
    expect(await sealTarget('2026-11-20')).toMatchObject({ done: 0, reported: 1 });

    const listed = await t.http().get('/api/v1/programs/seal/items?reported=true').set(auth()).expect(200);
    expect(listed.body.items.map((entry: ItemBody) => entry.code)).toEqual(['CF-001']);

    await t.http().post(`/api/v1/items/${item.id}/confirm`).set(auth(editor)).expect(403);
    const confirmed = await t.http().post(`/api/v1/items/${item.id}/confirm`).set(auth()).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'abolished', reported: null, version: reported.version + 1 });
    expect(await sealTarget()).toMatchObject({ done: 1, reported: 0, percent: 100 });
    // done as of its completion date, not of the confirmation
    expect(await sealTarget('2026-11-10')).toMatchObject({ done: 1 });
    expect(await sealTarget('2026-11-09')).toMatchObject({ done: 0, reported: 0 });

    const history = await t.http().get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200);
    expect(history.body.entries.at(-1)).toMatchObject({ by: 'test-admin', from: 'abolished', to: 'abolished', effectiveOn: '2026-11-10', changes: { confirmation: ['reported', 'confirmed'] } });
    const again = await t.http().post(`/api/v1/items/${item.id}/confirm`).set(auth()).expect(409);
    expect(again.body.code).toBe('not_reported');
  });

  it('returns a report with a reason: the item goes back to its previous state, on every date', async () => {
    const item = await create('CF-002');
    const before = await patch(item, { status: '検討中', note: '様式の見直し中', effectiveOn: '2026-10-01' }, t.adminToken);
    expect(before.status).toBe('reviewing');
    const reported = await patch(before, { status: 'abolished', completedOn: '2026-11-12' });
    expect(reported.reported).not.toBeNull();

    const noReason = await t.http().post(`/api/v1/items/${item.id}/return`).set(auth()).send({}).expect(400);
    expect(noReason.body.code).toBe('reason_required');
    const returned = await t.http().post(`/api/v1/items/${item.id}/return`).set(auth()).send({ reason: '改正後の様式が添付されていません' }).expect(200);
    expect(returned.body).toMatchObject({ status: 'reviewing', completedOn: null, reported: null });
    const history = await t.http().get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200);
    expect(history.body.entries.at(-1)).toMatchObject({ from: 'abolished', to: 'reviewing', note: '改正後の様式が添付されていません', changes: { confirmation: ['reported', 'returned'] } });
    expect(await sealTarget('2026-11-15')).toMatchObject({ reported: 0 });
    const seal = await sealTarget('2026-11-15');
    expect(seal.done).toBe(1); // CF-001 only

    // the editor reports again (a later date) and the office confirms: the return is no obstacle
    const fresh = await get(item.id);
    const again = await patch(fresh, { status: 'abolished', completedOn: '2026-11-20' });
    expect(again.reported).not.toBeNull();
    expect(await sealTarget('2026-11-16')).toMatchObject({ done: 1, reported: 0 });
    expect(await sealTarget('2026-11-21')).toMatchObject({ done: 1, reported: 1 });
  });

  it('needs no confirmation for administrators, nor in a program without confirmDone', async () => {
    const item = await create('CF-003');
    const done = await patch(item, { status: 'abolished' }, t.adminToken);
    expect(done.reported).toBeNull();
    const online = await create('CF-ON-1', '総務課', '検討中', 'online');
    const onlineDone = await patch(online, { status: 'online' });
    expect(onlineDone.reported).toBeNull();
    // an administrator's own status change settles a pending report
    const pending = await patch(await create('CF-004'), { status: 'abolished', completedOn: '2026-11-01' });
    expect(pending.reported).not.toBeNull();
    const settled = await patch(pending, { completedOn: '2026-11-05' }, t.adminToken);
    expect(settled.reported).toBeNull();
  });

  it('withdraws a report when the editor leaves the done state, and reports an editor’s import into a done state', async () => {
    const item = await create('CF-005');
    const reported = await patch(item, { status: 'abolished' });
    const back = await patch(reported, { status: 'reviewing', note: '誤って報告しました' });
    expect(back.reported).toBeNull();

    await create('CF-006');
    const path = join(dir, 'cf.csv');
    writeFileSync(path, ['管理番号,名称,所管課,状況,完了日', 'CF-006,CF-006 の様式,総務課,廃止済,2026-11-02', 'CF-007,新しい様式,財政課,廃止済,2026-11-03'].join('\r\n'));
    const imported = await t.http().post('/api/v1/imports/seal').set(auth(editor)).attach('file', path).expect(200);
    expect(imported.body.summary).toMatchObject({ created: 1, updated: 1 });
    const listed = await t.http().get('/api/v1/programs/seal/items?reported=true').set(auth()).expect(200);
    expect(listed.body.items.map((entry: ItemBody) => entry.code)).toEqual(expect.arrayContaining(['CF-006', 'CF-007']));
  });

  it('confirms and returns many at once, by ids or over a filtered list, all or nothing', async () => {
    const reported = await t.http().get('/api/v1/programs/seal/items?reported=true').set(auth()).expect(200);
    const ids: number[] = reported.body.items.map((entry: ItemBody) => entry.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const plain = await create('CF-008');

    const mixed = await t.http().post('/api/v1/items/confirm').set(auth()).send({ ids: [...ids, plain.id] }).expect(409);
    expect(mixed.body).toMatchObject({ code: 'not_reported', details: { codes: ['CF-008'] } });
    expect((await t.http().get('/api/v1/programs/seal/items?reported=true').set(auth()).expect(200)).body.total).toBe(ids.length);
    const unknown = await t.http().post('/api/v1/items/confirm').set(auth()).send({ ids: [999999, ids[0]] }).expect(400);
    expect(unknown.body.code).toBe('invalid_id');
    const empty = await t.http().post('/api/v1/items/confirm').set(auth()).send({}).expect(400);
    expect(empty.body.code).toBe('ids_required');
    await t.http().post('/api/v1/items/confirm').set(auth(viewer)).send({ ids }).expect(403);
    await t.http().post('/api/v1/items/return').set(auth(otherEditor)).send({ ids, reason: 'x' }).expect(403);

    // return one of them by ids, then confirm the rest of 財政課's and 総務課's over the filtered list
    const cf007 = reported.body.items.find((entry: ItemBody) => entry.code === 'CF-007') as ItemBody;
    const returned = await t.http().post('/api/v1/items/return').set(auth()).send({ ids: [cf007.id], reason: '根拠資料がありません' }).expect(200);
    expect(returned.body).toMatchObject({ action: 'returned', count: 1, items: [{ code: 'CF-007', status: 'seal_required' }] });
    const filtered = await t.http().post('/api/v1/items/confirm').set(auth()).send({ program: 'seal', division: '総務課' }).expect(200);
    expect(filtered.body.action).toBe('confirmed');
    expect(filtered.body.items.map((entry: ItemBody) => entry.code).sort()).toEqual(['CF-002', 'CF-006']);
    expect((await t.http().get('/api/v1/programs/seal/items?reported=true').set(auth()).expect(200)).body.total).toBe(0);
    const nothing = await t.http().post('/api/v1/items/confirm').set(auth()).send({ program: 'seal', department: '行政管理部' }).expect(200);
    expect(nothing.body.count).toBe(0);

    const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
    const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['completion_confirmed', 'completion_returned']));
  });

  it('shows 報告済 beside 完了 in the printed report (GET /report) until the office confirms, for seal and analog only', async () => {
    const item = await create('CF-020', '財政課');
    const reported = await patch(item, { status: '廃止済', completedOn: '2026-11-12' });
    const report = async () => (await t.http().get('/report?asOf=2026-11-24').set(auth()).expect(200)).text;
    const progress = (await t.http().get('/api/v1/progress?asOf=2026-11-24').set(auth()).expect(200)).body as {
      targets: { id: string; label: string; program: string; done: number; reported: number; total: number; excluded: number }[];
    };
    const seal = progress.targets.find((target) => target.id === 'seal-abolition')!;
    expect(seal.reported).toBe(1);
    const cardOf = (page: string, label: string) => page.split('<article').find((card) => card.includes(`<h3>${label}</h3>`)) ?? '';
    let page = await report();
    expect(cardOf(page, seal.label)).toContain(`<div><dt>完了</dt><dd>${seal.done} / ${seal.total - seal.excluded}件</dd></div>\n<div class="reported"><dt>報告済</dt><dd>1件（確認待ち）</dd></div>`);
    // a program whose completions need no confirmation shows no such line
    const online = progress.targets.find((target) => target.program === 'online')!;
    expect(cardOf(page, online.label)).not.toContain('報告済');
    expect(page).toContain('報告済（確認待ち）1件');
    expect(page).toMatch(/<th scope="row">行政管理部<\/th>.*報告済1<\/span>/u);

    await t.http().post(`/api/v1/items/${reported.id}/confirm`).set(auth()).expect(200);
    page = await report();
    expect(cardOf(page, seal.label)).toContain(`<div><dt>完了</dt><dd>${seal.done + 1} / ${seal.total - seal.excluded}件</dd></div>\n<div class="reported"><dt>報告済</dt><dd>0件（確認待ち）</dd></div>`);
    expect(page).toContain('報告済（確認待ち）0件');
    expect(page).not.toContain('small reported');
  });
});
