import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImportTemplate } from '../src/imports/import-template';
import { FOLDERS } from './support/folders-program';
import { binary, workbookOf } from './support/responses';
import { databaseKinds, useTestApp } from './support/test-app';

// A program added from a JSON document (not a built-in one) works everywhere a built-in one
// does: the items API, import, export, round trip, a field-scoped target, progress, the dashboard's API.

const HEADER = '管理番号,名称,所管課,状況,完了日,予定日,備考,容量（GB）,保存年限,管理者,確認日';

describe.each(databaseKinds())('an added program (folders) on %s', (kind) => {
  const t = useTestApp(kind);
  let dir: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const csv = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'folders-'));
    const file = join(dir, 'folders.json');
    writeFileSync(file, JSON.stringify(FOLDERS, null, 2));
    // the document as an administrator would write it to a file and send it
    await t.http().post('/api/v1/programs').set(auth()).set('Content-Type', 'application/json').send(readFileSync(file, 'utf8')).expect(201);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should create and change items with the program\'s own fields, normalized at the edge', async () => {
    const created = await t.http().post('/api/v1/programs/folders/items').set(auth())
      .send({ code: 'F-1', name: '共有／総務①', division: '総務課', status: '未着手', sizeGb: '１，２００', retention: '5年', manager: '山田　太郎', checkedOn: 'R8.4.1' })
      .expect(201);
    expect(created.body).toMatchObject({ program: 'folders', code: 'F-1', name: '共有／総務①', status: 'not_started', statusLabel: '未着手', sizeGb: 1200, retention: 'y5', manager: '山田　太郎', checkedOn: '2026-04-01' });
    const bad = await t.http().post('/api/v1/programs/folders/items').set(auth())
      .send({ code: 'F-9', name: 'x', division: '総務課', status: '整理中', retention: '10年', sizeGb: -1 })
      .expect(400);
    expect(bad.body.details.map((problem: { field: string; code: string }) => `${problem.field} ${problem.code}`)).toEqual(['sizeGb negative_number', 'retention invalid_choice']);
    const foreign = await t.http().post('/api/v1/programs/folders/items').set(auth()).send({ code: 'F-9', name: 'x', division: '総務課', status: '未着手', nationalGroup: 'city' }).expect(400);
    expect(foreign.body.code).toBe('field_not_in_program');
    const changed = await t.http().patch(`/api/v1/items/${created.body.id}`).set(auth()).send({ version: created.body.version, manager: '佐藤', sizeGb: 1300 }).expect(200);
    expect(changed.body).toMatchObject({ manager: '佐藤', sizeGb: 1300, retention: 'y5' });
    const history = await t.http().get(`/api/v1/items/${created.body.id}/history`).set(auth()).expect(200);
    expect(history.body.entries.at(-1).changes).toEqual({ sizeGb: [1200, 1300], manager: ['山田　太郎', '佐藤'] });
  });

  it('should import a sheet with the program\'s headers, export it, and import the export back with no change', async () => {
    const sheet = csv('folders.csv', [
      '共有フォルダ一覧（令和8年11月）',
      HEADER,
      'F-2,共有／財政,財政課,整理済,R8.10.1,,,"1,024",5年,鈴木,2026/9/30',
      'F-3,共有／旧システム,総務課,対象外,,,サーバ移行で廃止,40,y1,,',
      'F-4,共有／行政経営,行政経営課,sorting,,2027/3/31,,８,５年,高橋,',
    ]);
    const imported = await t.http().post('/api/v1/imports/folders').set(auth()).attach('file', sheet).expect(200);
    expect(imported.body).toMatchObject({ program: 'folders', applied: true, summary: { rows: 3, created: 3, updated: 0, unchanged: 0, errors: 0 } });
    const list = await t.http().get('/api/v1/programs/folders/items').set(auth()).expect(200);
    expect(list.body.items.map((item: Record<string, unknown>) => [item.code, item.status, item.sizeGb, item.retention, item.checkedOn])).toEqual([
      ['F-1', 'not_started', 1300, 'y5', '2026-04-01'],
      ['F-2', 'sorted', 1024, 'y5', '2026-09-30'],
      ['F-3', 'out_of_scope', 40, 'y1', null],
      ['F-4', 'sorting', 8, 'y5', null],
    ]);
    const broken = csv('broken.csv', [HEADER, 'F-5,x,総務課,整理中,,,,大きい,10年,,']);
    const refused = await t.http().post('/api/v1/imports/folders').set(auth()).attach('file', broken).expect(422);
    expect(refused.body.errors.map((error: { column: string; code: string }) => `${error.column} ${error.code}`)).toEqual(['容量（GB） invalid_number', '保存年限 invalid_choice']);

    const exported = await t.http().get('/api/v1/programs/folders/items.csv').set(auth()).expect(200);
    const text = exported.text.replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(HEADER);
    expect(lines).toContain('F-2,共有／財政,財政課,整理済,2026-10-01,,,1024,5年,鈴木,2026-09-30');
    const back = await t.http().post('/api/v1/imports/folders?dryRun=true').set(auth()).attach('file', Buffer.from(exported.text, 'utf8'), 'back.csv').expect(200);
    expect(back.body.summary).toEqual({ rows: 4, created: 0, updated: 0, unchanged: 4, errors: 0 });

    const xlsx = await t.http().get('/api/v1/programs/folders/items.xlsx').set(auth()).buffer(true).parse(binary).expect(200);
    const workbook = await workbookOf(xlsx.body as Buffer);
    expect(workbook.worksheets[0].name).toBe('共有フォルダ整理');
    const backXlsx = await t.http().post('/api/v1/imports/folders?dryRun=true').set(auth()).attach('file', xlsx.body as Buffer, 'back.xlsx').expect(200);
    expect(backXlsx.body.summary).toMatchObject({ rows: 4, unchanged: 4, errors: 0 });
  });

  it('should give a template named after the program, with its headers, that imports once filled in', async () => {
    const workbook = buildImportTemplate('folders', ['総務課', '財政課']);
    const sheet = workbook.getWorksheet('共有フォルダ整理')!;
    const headers = (sheet.getRow(2).values as unknown[]).slice(1) as string[];
    expect(headers).toEqual(HEADER.split(','));
    sheet.getRow(3).values = headers.map((header) => ({ 管理番号: 'F-T', 名称: '共有／テンプレート', 所管課: '総務課', 状況: '未着手', 保存年限: '1年', '容量（GB）': 3 } as Record<string, ExcelJS.CellValue>)[header] ?? null);
    const path = join(dir, 'template.xlsx');
    await workbook.xlsx.writeFile(path);
    const response = await t.http().post('/api/v1/imports/folders?dryRun=true').set(auth()).attach('file', path).expect(200);
    expect(response.body.summary).toMatchObject({ rows: 1, created: 1, errors: 0 });
  });

  it('should count a field-scoped target in progress, its burn-up and the dashboard\'s lists', async () => {
    const bad = await t.http().post('/api/v1/targets').set(auth())
      .send({ id: 'folders-bad', program: 'folders', label: 'x', deadline: '2027-03-31', scope: { fields: { sizeGb: '1', retention: '10年' } } })
      .expect(400);
    expect(bad.body.details.map((problem: { field: string; code: string }) => `${problem.field} ${problem.code}`)).toEqual(['scope.fields.sizeGb invalid_scope', 'scope.fields.retention invalid_choice']);
    const created = await t.http().post('/api/v1/targets').set(auth())
      .send({ id: 'folders-y5', program: 'folders', label: '5年保存フォルダの整理', deadline: '令和8年度末', scope: { fields: { retention: '5年' } } })
      .expect(201);
    expect(created.body.scope).toEqual({ fields: { retention: 'y5' } });
    await t.http().post('/api/v1/targets').set(auth()).send({ id: 'folders-all', program: 'folders', label: 'フォルダ整理', deadline: '2027-03-31' }).expect(201);

    const progress = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    const target = (id: string) => progress.body.targets.find((candidate: { id: string }) => candidate.id === id);
    expect(target('folders-y5')).toMatchObject({ program: 'folders', total: 3, done: 1, excluded: 0 });
    expect(target('folders-all')).toMatchObject({ total: 4, done: 1, excluded: 1 });
    const departments = progress.body.departments.filter((row: { program: string }) => row.program === 'folders');
    expect(departments.reduce((sum: number, row: { total: number }) => sum + row.total, 0)).toBe(4);

    const series = await t.http().get('/api/v1/progress/series?target=folders-y5&from=2026-09-01&to=2026-11-24').set(auth()).expect(200);
    expect(series.body.points.map((point: { done: number; total: number }) => [point.total, point.done])).toEqual([[3, 0], [3, 1], [3, 1]]);
    const programs = await t.http().get('/api/v1/programs').set(auth()).expect(200);
    expect(programs.body.programs.map((program: { key: string }) => program.key)).toContain('folders');
    const overdue = await t.http().get('/api/v1/progress/overdue?program=folders&asOf=2027-04-15').set(auth()).expect(200);
    expect(overdue.body.items.map((item: { code: string }) => item.code)).toEqual(['F-1', 'F-4']);
    const workbook = await t.http().get('/api/v1/reports/compliance.xlsx').set(auth()).expect(200);
    expect(workbook.headers['content-type']).toContain('spreadsheetml');
  });
});
