import JSZip from 'jszip';
import { join } from 'node:path';
import { buildReminderMail } from '../src/reminders/reminder-mail';
import { RemindersService } from '../src/reminders/reminders.service';
import { SurveysService } from '../src/surveys/surveys.service';
import { binary, workbookOf } from './support/responses';
import { useTempDir } from './support/temp-files';
import { createItem } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

// 照会 rounds: open → divisions answer (sheet or no change) → returned → answered again → confirmed.

const dir = useTempDir('surveys-api-');

interface DivisionBody {
  division: { code: string; name: string };
  department: { code: string; name: string };
  status: string;
  late: boolean;
  items: number;
  answeredAt: string | null;
  answeredBy: string | null;
  rows: number | null;
  history: { action: string; by: string; reason: string | null }[];
}

describe.each(databaseKinds())('照会 rounds on %s', (kind) => {
  const t = useTestApp(kind);
  let editor: string;
  let otherEditor: string;
  let viewer: string;
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const division = (body: { divisions: DivisionBody[] }, name: string) => body.divisions.find((entry) => entry.division.name === name)!;
  const survey = async (id: string, token = t.adminToken) => (await t.http().get(`/api/v1/surveys/${id}`).set(auth(token)).expect(200)).body;
  const download = (path: string, token = t.adminToken) => t.http().get(path).set(auth(token)).buffer(true).parse(binary);

  beforeAll(async () => {
    editor = await t.token('editor', '行政管理部');
    otherEditor = await t.token('editor', '市民安全部');
    viewer = await t.token('viewer');
    const seed = [
      ['SV-001', '総務課'],
      ['SV-002', '総務課'],
      ['SV-003', '財政課'],
      ['SV-004', '市民課'],
    ];
    for (const [code, owner] of seed) {
      await createItem(t, 'seal', { code, name: `${code} 申請書`, division: owner, dueOn: '2027-03-31' });
    }
  });

  it('refuses bad rounds with clear codes', async () => {
    const body = { id: 'seal-2026-12', title: '押印廃止の進捗照会', program: 'seal', dueOn: '2026-12-10' };
    expect((await t.http().post('/api/v1/surveys').set(auth(editor)).send(body).expect(403)).body.code).toBe('forbidden');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, id: 'bad id!' }).expect(400)).body.code).toBe('invalid_survey_id');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, title: ' ' }).expect(400)).body.code).toBe('title_required');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, program: 'bogus' }).expect(400)).body.code).toBe('unknown_program');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, dueOn: '来週' }).expect(400)).body.code).toBe('invalid_date');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, dueOn: '2026-11-01' }).expect(400)).body.code).toBe('due_in_past');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, program: 'analog' }).expect(400)).body.code).toBe('survey_no_divisions');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, departments: ['存在しない部'] }).expect(400)).body.code).toBe('unknown_department');
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ ...body, extra: 1 }).expect(400)).body.code).toBe('unknown_field');
    expect((await t.http().get('/api/v1/surveys/none').set(auth()).expect(404)).body.code).toBe('not_found');
  });

  it('walks one round: open, two divisions answer (sheet, no change), one is returned and answers again, the office confirms', async () => {
    const opened = await t
      .http()
      .post('/api/v1/surveys')
      .set(auth())
      .send({ id: 'seal-2026-12', title: '押印廃止の進捗照会（令和8年12月）', program: 'seal', dueOn: '令和8年12月10日', departments: ['行政管理部'] })
      .expect(201);
    expect(opened.body).toMatchObject({ id: 'seal-2026-12', program: 'seal', dueOn: '2026-12-10', dueOnLabel: '令和8年12月10日', departments: ['D01'] });
    expect(opened.body.divisions.map((entry: DivisionBody) => [entry.division.name, entry.status, entry.items])).toEqual([
      ['総務課', 'waiting', 2],
      ['財政課', 'waiting', 1],
    ]);
    expect((await t.http().post('/api/v1/surveys').set(auth()).send({ id: 'seal-2026-12', title: 'x', program: 'seal', dueOn: '2026-12-10' }).expect(409)).body.code).toBe('survey_exists');

    // nothing to confirm or return before an answer
    const early = await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-01/confirm').set(auth()).expect(409);
    expect(early.body.code).toBe('survey_not_answered');
    expect((await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-01/return').set(auth()).send({ reason: 'x' }).expect(409)).body.code).toBe('survey_not_answered');

    // the division's sheet: title row with the round and its due date in 和暦, the import layout, its items
    const sheet = await download('/api/v1/surveys/seal-2026-12/sheets/D01-01.xlsx', editor).expect(200);
    expect(sheet.headers['content-type']).toContain('spreadsheetml');
    const workbook = await workbookOf(sheet.body);
    const page = workbook.worksheets[0];
    expect(String(page.getCell(1, 1).value)).toContain('押印廃止の進捗照会（令和8年12月）');
    expect(String(page.getCell(1, 1).value)).toContain('回答期限：令和8年12月10日');
    expect(page.getCell(3, 1).value).toBe('管理番号');
    expect([page.getCell(4, 1).value, page.getCell(5, 1).value, page.getCell(6, 1).value]).toEqual(['SV-001', 'SV-002', null]);
    expect(page.getCell(4, 3).value).toBe('総務課');
    // readable by every role, like the items in it
    await download('/api/v1/surveys/seal-2026-12/sheets/D01-01.xlsx', otherEditor).expect(200);
    expect(JSON.parse((await download('/api/v1/surveys/seal-2026-12/sheets/D03-01.xlsx').expect(404)).body.toString()).code).toBe('survey_division_not_in_round');

    // every division's sheet in one zip
    const zipped = await download('/api/v1/surveys/seal-2026-12/sheets.zip').expect(200);
    expect(zipped.headers['content-type']).toBe('application/zip');
    const zip = await JSZip.loadAsync(zipped.body);
    expect(Object.keys(zip.files).sort()).toEqual(['D01-01_総務課.xlsx', 'D01-04_財政課.xlsx']);
    const inner = await workbookOf(await zip.file('D01-04_財政課.xlsx')!.async('nodebuffer'));
    expect(inner.worksheets[0].getCell(4, 1).value).toBe('SV-003');

    // 総務課 answers by sheet: one form abolished; a sheet with another division's row is refused first
    page.getCell(4, 4).value = '廃止済';
    page.getCell(4, 5).value = new Date('2026-11-20T00:00:00Z');
    const answerPath = join(dir, 'answer.xlsx');
    await workbook.xlsx.writeFile(answerPath);
    page.getRow(6).values = ['SV-003', 'SV-003 申請書', '財政課', '押印必要'];
    const mixedPath = join(dir, 'mixed.xlsx');
    await workbook.xlsx.writeFile(mixedPath);
    const mixed = await t.http().post('/api/v1/imports/seal?survey=seal-2026-12').set(auth(editor)).attach('file', mixedPath).expect(422);
    expect(mixed.body.applied).toBe(false);
    expect(mixed.body.errors).toEqual([expect.objectContaining({ row: 6, column: '所管課', value: '財政課', code: 'survey_other_division' })]);
    expect(division(await survey('seal-2026-12'), '総務課').status).toBe('waiting');
    const wrongProgram = await t.http().post('/api/v1/imports/analog?survey=seal-2026-12').set(auth(editor)).attach('file', answerPath).expect(400);
    expect(wrongProgram.body.code).toBe('survey_program_mismatch');
    const outsider = await t.http().post('/api/v1/imports/seal?survey=seal-2026-12').set(auth(otherEditor)).attach('file', answerPath).expect(403);
    expect(outsider.body.code).toBe('forbidden');
    const dry = await t.http().post('/api/v1/imports/seal?survey=seal-2026-12&dryRun=true').set(auth(editor)).attach('file', answerPath).expect(200);
    expect(dry.body.summary).toMatchObject({ updated: 1, unchanged: 1, errors: 0 });
    expect(division(await survey('seal-2026-12'), '総務課').status).toBe('waiting');
    const answered = await t.http().post('/api/v1/imports/seal?survey=seal-2026-12').set(auth(editor)).attach('file', answerPath).expect(200);
    expect(answered.body).toMatchObject({ applied: true, summary: { rows: 2, updated: 1, unchanged: 1 } });
    const afterSheet = division(await survey('seal-2026-12'), '総務課');
    expect(afterSheet).toMatchObject({ status: 'answered', rows: 2, answeredBy: expect.stringMatching(/^editor-/), answerKind: 'sheet' });
    // the abolished form is reported, not done, until confirmed
    const progress = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    expect(progress.body.targets.find((target: { id: string }) => target.id === 'seal-abolition')).toMatchObject({ done: 0, reported: 1 });

    // 財政課 has nothing to change
    expect((await t.http().post('/api/v1/surveys/seal-2026-12/divisions/財政課/answer').set(auth(editor)).send({}).expect(400)).body.code).toBe('no_change_required');
    expect((await t.http().post('/api/v1/surveys/seal-2026-12/divisions/財政課/answer').set(auth(otherEditor)).send({ noChange: true }).expect(403)).body.code).toBe('forbidden');
    await t.http().post('/api/v1/surveys/seal-2026-12/divisions/財政課/answer').set(auth(viewer)).send({ noChange: true }).expect(403);
    const noChange = await t.http().post('/api/v1/surveys/seal-2026-12/divisions/財政課/answer').set(auth(editor)).send({ noChange: true }).expect(200);
    expect(division(noChange.body, '財政課')).toMatchObject({ status: 'answered', rows: 0, answerKind: 'no_change' });

    // the office returns 財政課's answer with a reason; it answers again
    expect((await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-04/return').set(auth()).send({}).expect(400)).body.code).toBe('reason_required');
    await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-04/return').set(auth(editor)).send({ reason: 'x' }).expect(403);
    const returned = await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-04/return').set(auth()).send({ reason: '様式SV-003の押印の要否を確認してください' }).expect(200);
    expect(division(returned.body, '財政課')).toMatchObject({ status: 'returned', returnReason: '様式SV-003の押印の要否を確認してください' });
    await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-04/answer').set(auth(editor)).send({ noChange: true }).expect(200);

    // the office confirms both; a confirmed answer is closed
    await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-01/confirm').set(auth(editor)).expect(403);
    await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-01/confirm').set(auth()).expect(200);
    const done = await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-04/confirm').set(auth()).expect(200);
    expect(done.body.counts).toEqual({ waiting: 0, answered: 0, returned: 0, confirmed: 2, late: 0 });
    expect(division(done.body, '財政課').history.map((event: { action: string }) => event.action)).toEqual(['answered', 'returned', 'answered', 'confirmed']);
    expect(division(done.body, '財政課').history[1]).toMatchObject({ by: 'test-admin', reason: '様式SV-003の押印の要否を確認してください' });
    const closed = await t.http().post('/api/v1/surveys/seal-2026-12/divisions/D01-04/answer').set(auth(editor)).send({ noChange: true }).expect(409);
    expect(closed.body.code).toBe('survey_already_confirmed');
    const closedImport = await t.http().post('/api/v1/imports/seal?survey=seal-2026-12').set(auth(editor)).attach('file', answerPath).expect(422);
    expect(closedImport.body.errors[0].code).toBe('survey_division_not_in_round');

    // the reported completion counts once the office confirms the item itself
    const item = (await t.http().get('/api/v1/programs/seal/items?reported=true').set(auth()).expect(200)).body.items[0];
    await t.http().post(`/api/v1/items/${item.id}/confirm`).set(auth()).expect(200);
    const after = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    expect(after.body.targets.find((target: { id: string }) => target.id === 'seal-abolition')).toMatchObject({ done: 1, reported: 0 });

    const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
    const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['survey_opened', 'survey_answered', 'survey_returned', 'survey_confirmed']));
    // a whole round with workbooks written and read: more than the default 5 s on a loaded machine
  }, 60_000);

  it('marks late divisions on the app’s clock, shows editors their own divisions, and lists every division in the workbook', async () => {
    await t.http().post('/api/v1/surveys').set(auth()).send({ id: 'seal-all', title: '全庁照会', program: 'seal', dueOn: '2026-11-25' }).expect(201);
    expect(division(await survey('seal-all'), '市民課')).toMatchObject({ status: 'waiting', late: false });
    t.clock.set('2026-11-26T01:00:00Z');
    try {
      const late = await survey('seal-all');
      expect(division(late, '市民課')).toMatchObject({ status: 'waiting', late: true });
      expect(late.counts).toMatchObject({ waiting: 3, late: 3 });
      // what a division's reminder mail lists: its open requests, late ones said so
      const open = await t.app.get(SurveysService).openRequests('2026-11-26');
      expect(open.get('D03-01')).toEqual([{ title: '全庁照会', dueOn: '2026-11-25', state: '期限超過' }]);
      const reminder = (await t.app.get(RemindersService).reminders('2026-11-26')).find((entry) => entry.divisionCode === 'D03-01')!;
      expect(reminder.requests).toEqual([{ title: '全庁照会', dueOn: '2026-11-25', state: '期限超過' }]);
      expect(buildReminderMail(reminder, '2026-11-26').text).toContain('1. 全庁照会　回答期限: 令和8年11月25日（期限超過）');
      const mine = await t.http().get('/api/v1/surveys').set(auth(otherEditor)).expect(200);
      expect(mine.body.surveys.map((entry: { id: string }) => entry.id)).toEqual(['seal-all']);
      expect(mine.body.surveys[0].divisions.map((entry: DivisionBody) => entry.division.name)).toEqual(['市民課']);

      const workbook = await workbookOf((await download('/api/v1/reports/compliance.xlsx').expect(200)).body);
      const sheet = workbook.getWorksheet('回答状況')!;
      const lines: unknown[][] = [];
      sheet.eachRow((row) => lines.push([row.getCell(1).value, row.getCell(5).value, row.getCell(6).value, row.getCell(7).value]));
      expect(lines).toEqual(
        expect.arrayContaining([
          ['押印廃止の進捗照会（令和8年12月）', '総務課', '確認済', null],
          ['全庁照会', '市民課', '未回答', '期限超過'],
        ]),
      );
    } finally {
      t.clock.set('2026-11-24T01:00:00Z');
    }
  }, 30_000);
});
