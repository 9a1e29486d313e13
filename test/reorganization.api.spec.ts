import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { runCli } from '../src/cli';
import { DatabaseSettings } from '../src/config/app-config';
import { createItems } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

interface OrgBody {
  departments: { code: string; name: string; divisions: { code: string; name: string; contacts: string[] }[] }[];
}
interface ProgressRow {
  department?: string;
  departmentCode: string;
  division?: string;
  divisionCode?: string;
  program: string;
  total: number;
  done: number;
}

/** DATABASE_URL for the CLI: the same SQLite file, or the test's private PostgreSQL schema. */
function cliDatabaseUrl(settings: DatabaseSettings): string {
  if (settings.type === 'sqlite') return `sqlite:${settings.path}`;
  const separator = settings.url.includes('?') ? '&' : '?';
  return `${settings.url}${separator}options=${encodeURIComponent(`-c search_path=${settings.schema}`)}`;
}

describe.each(databaseKinds())('reorganizations on %s', (kind) => {
  const t = useTestApp(kind);
  let db: DataSource;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const reorganize = (document: unknown, query = '') => t.http().post(`/api/v1/reorganizations${query}`).set(auth()).send(document as object);
  const organization = async (asOf?: string): Promise<OrgBody> =>
    (await t.http().get(`/api/v1/organization${asOf ? `?asOf=${asOf}` : ''}`).set(auth()).expect(200)).body;
  const divisionsOf = (body: OrgBody, departmentCode: string) => body.departments.find((row) => row.code === departmentCode)?.divisions.map((row) => row.name);
  const progress = async (asOf: string): Promise<{ departments: ProgressRow[]; divisions: ProgressRow[] }> =>
    (await t.http().get(`/api/v1/progress?asOf=${asOf}`).set(auth()).expect(200)).body;
  const departmentRow = (body: { departments: ProgressRow[] }, code: string, program: string) =>
    body.departments.find((row) => row.departmentCode === code && row.program === program);
  const itemByCode = async (program: string, code: string) => {
    const body = (await t.http().get(`/api/v1/programs/${program}/items?q=${encodeURIComponent(code)}`).set(auth()).expect(200)).body;
    return body.items.find((item: { code: string }) => item.code === code);
  };
  /** Every organization and item-ownership row, to prove that a refused document wrote nothing. */
  const state = async () => ({
    departments: await db.query('SELECT id, code, name, valid_from, valid_to FROM departments ORDER BY id'),
    divisions: await db.query('SELECT id, code, name, match_name, department_id, valid_from, valid_to FROM divisions ORDER BY id'),
    periods: await db.query('SELECT id, division_id, department_id, name, valid_from, valid_to FROM division_periods ORDER BY id'),
    items: await db.query('SELECT id, division_id, version FROM items ORDER BY id'),
    history: await db.query('SELECT COUNT(*) AS n FROM status_history'),
    audit: await db.query('SELECT COUNT(*) AS n FROM audit_entries'),
  });

  beforeAll(async () => {
    db = t.app.get(DataSource);
    // seal items: four in 子育て支援課 (two abolished in May), two in 社会福祉課 (one abolished in June)
    const rows = [
      { code: 'K-1', division: '子育て支援課', status: '廃止済', completedOn: '2026-05-10' },
      { code: 'K-2', division: '子育て支援課', status: '廃止済', completedOn: '2026-05-20' },
      { code: 'K-3', division: '子育て支援課', status: '押印必要' },
      { code: 'K-4', division: '子育て支援課', status: '押印必要' },
      { code: 'F-1', division: '社会福祉課', status: '廃止済', completedOn: '2026-06-01' },
      { code: 'F-2', division: '社会福祉課', status: '押印必要' },
    ];
    await createItems(t, 'seal', rows);
  });

  it('should let only admins reorganize', async () => {
    const editor = await t.token('editor', '福祉こども部');
    const viewer = await t.token('viewer');
    const document = { effectiveOn: '2026-10-01', moves: [{ division: '子育て支援課', rename: '子ども課' }] };
    for (const token of [editor, viewer]) {
      const response = await t.http().post('/api/v1/reorganizations').set('Authorization', `Bearer ${token}`).send(document).expect(403);
      expect(response.body.code).toBe('forbidden');
    }
    await t.http().post('/api/v1/reorganizations').send(document).expect(401);
    expect(divisionsOf(await organization(), 'D04')).toContain('子育て支援課');
  });

  it('should refuse a bad document with every offending entry, and change nothing', async () => {
    const before = await state();
    const response = await reorganize({
      effectiveOn: '2026-10-01',
      newDepartments: [{ code: 'D01', name: '新しい部' }],
      moves: [
        { division: '子育て支援課', toDepartment: '行政管理部' },
        { division: '存在しない課', toDepartment: '行政管理部' },
      ],
      merges: [{ division: '市民課', into: '市民課' }],
      closeDepartments: ['福祉こども部'],
    }).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'invalid_reorganization', message: expect.stringContaining('何も変更していません') });
    expect(response.body.details.map((problem: { entry: string; code: string }) => `${problem.entry} ${problem.code}`)).toEqual([
      'newDepartments[0] code_exists',
      'moves[1] unknown_division',
      'merges[0] merge_into_itself',
      'closeDepartments[0] department_not_empty',
    ]);
    expect(response.body.details[1]).toEqual({ entry: 'moves[1]', code: 'unknown_division', message: expect.stringContaining('存在しない課'), value: '存在しない課' });
    expect(await state()).toEqual(before);

    const future = await reorganize({ effectiveOn: '2026-11-25', moves: [{ division: '市民課', rename: '市民窓口課' }] }).expect(400);
    expect(future.body.details).toEqual([expect.objectContaining({ entry: 'effectiveOn', code: 'effective_on_in_future' })]);
    const notJson = await t.http().post('/api/v1/reorganizations').set(auth()).set('Content-Type', 'application/json').send('{"effectiveOn":').expect(400);
    expect(notJson.body.code).toBe('malformed_json');
    const badFlag = await reorganize({ effectiveOn: '2026-10-01', moves: [{ division: '市民課', rename: '市民窓口課' }] }, '?dryRun=yes').expect(400);
    expect(badFlag.body.code).toBe('invalid_parameter');
    expect(await state()).toEqual(before);
  });

  it('should report a dry run without writing anything', async () => {
    const before = await state();
    const response = await reorganize(
      { effectiveOn: 'R8.10.1', newDepartments: [{ code: 'D20', name: 'こども未来部' }], moves: [{ division: 'D04-01', toDepartment: 'D20' }] },
      '?dryRun=true',
    ).expect(200);
    expect(response.body).toEqual({
      applied: false,
      changes: ['部局を新設: こども未来部（D20）', '課を移管: 子育て支援課（D04-01）→ こども未来部'],
      dryRun: true,
      effectiveOn: '2026-10-01',
      summary: { newDepartments: 1, newDivisions: 0, moved: 1, renamed: 0, merged: 0, closedDepartments: 0, itemsMoved: 0 },
    });
    expect(await state()).toEqual(before);
  });

  it('should move 子育て支援課 into a new department from 2026-10-01, and answer the organization and progress of each date', async () => {
    const response = await reorganize({
      effectiveOn: '2026-10-01',
      note: 'こども施策の集約',
      newDepartments: [{ code: 'Ｄ２０', name: 'こども未来部' }],
      moves: [{ division: '子育て支援課', toDepartment: 'こども未来部' }],
    }).expect(200);
    expect(response.body).toEqual({
      applied: true,
      changes: ['部局を新設: こども未来部（D20）', '課を移管: 子育て支援課（D04-01）→ こども未来部'],
      dryRun: false,
      effectiveOn: '2026-10-01',
      summary: { newDepartments: 1, newDivisions: 0, moved: 1, renamed: 0, merged: 0, closedDepartments: 0, itemsMoved: 0 },
    });

    const before = await organization('2026-09-30');
    expect(divisionsOf(before, 'D04')).toEqual(['子育て支援課', '社会福祉課']);
    expect(divisionsOf(before, 'D20')).toBeUndefined();
    const after = await organization('2026-10-01');
    expect(divisionsOf(after, 'D04')).toEqual(['社会福祉課']);
    expect(after.departments.find((row) => row.code === 'D20')).toEqual({ code: 'D20', name: 'こども未来部', divisions: [{ code: 'D04-01', name: '子育て支援課', contacts: [] }] });
    expect(divisionsOf(await organization(), 'D20')).toEqual(['子育て支援課']);

    const september = await progress('2026-09-30');
    expect(departmentRow(september, 'D04', 'seal')).toMatchObject({ department: '福祉こども部', total: 6, done: 3 });
    expect(departmentRow(september, 'D04', 'online')).toMatchObject({ total: 19 });
    expect(departmentRow(september, 'D20', 'seal')).toBeUndefined();
    const october = await progress('2026-10-01');
    expect(departmentRow(october, 'D20', 'seal')).toMatchObject({ department: 'こども未来部', total: 4, done: 2 });
    expect(departmentRow(october, 'D20', 'online')).toMatchObject({ total: 14 });
    expect(departmentRow(october, 'D04', 'seal')).toMatchObject({ total: 2, done: 1 });

    // the items follow their division: the item API shows the department in force now
    expect((await itemByCode('online', 'MN-01')).department).toEqual({ code: 'D20', name: 'こども未来部' });
    const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
    const entry = audit.body.entries.filter((row: { action: string }) => row.action === 'reorganization').pop();
    expect(entry).toMatchObject({
      by: 'test-admin',
      detail: { effectiveOn: '2026-10-01', note: 'こども施策の集約', summary: { newDepartments: 1, moved: 1 }, document: { moves: [{ division: '子育て支援課' }] } },
    });
  });

  it('should refuse an effective date before the change already recorded for a division', async () => {
    const response = await reorganize({ effectiveOn: '2026-09-01', moves: [{ division: '子育て支援課', toDepartment: '行政管理部' }] }).expect(400);
    expect(response.body.details).toEqual([expect.objectContaining({ entry: 'moves[0]', code: 'before_recorded_change', message: expect.stringContaining('2026-10-01') })]);
  });

  it('should rename a division from its effective date: the old name before, the new one after and for matching', async () => {
    await reorganize({ effectiveOn: '2026-11-01', moves: [{ division: '社会福祉課', rename: '福祉総務課' }] }).expect(200);
    expect(divisionsOf(await organization('2026-10-31'), 'D04')).toEqual(['社会福祉課']);
    expect(divisionsOf(await organization('2026-11-01'), 'D04')).toEqual(['福祉総務課']);
    const october = await progress('2026-10-31');
    expect(october.divisions.find((row) => row.divisionCode === 'D04-02' && row.program === 'seal')).toMatchObject({ division: '社会福祉課', total: 2 });
    const november = await progress('2026-11-01');
    expect(november.divisions.find((row) => row.divisionCode === 'D04-02' && row.program === 'seal')).toMatchObject({ division: '福祉総務課', total: 2 });
    await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'F-3', name: '様式F-3', division: '福祉総務課', status: '押印必要' }).expect(201);
    const stale = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'F-4', name: '様式F-4', division: '社会福祉課', status: '押印必要' }).expect(400);
    expect(stale.body.code).toBe('unknown_division');
  });

  it('should merge a division: its items move to the survivor with their history unchanged, and its emptied department closes', async () => {
    // give MN-27 (罹災証明書, 社会福祉課) a status change so that it has more than a creation row
    const item = await itemByCode('online', 'MN-27');
    await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ version: item.version, status: '検討中', effectiveOn: '2026-11-10' }).expect(200);
    const historyBefore = (await t.http().get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200)).body;
    expect(historyBefore.entries).toHaveLength(2);
    const historyRows = await db.query('SELECT COUNT(*) AS n FROM status_history');

    // 福祉総務課 was renamed on 2026-11-01, so neither it nor its department can end in October
    const early = await reorganize({ effectiveOn: '2026-10-15', merges: [{ division: '福祉総務課', into: '子育て支援課' }], closeDepartments: ['D04'] }).expect(400);
    expect(early.body.details.map((problem: { entry: string; code: string }) => `${problem.entry} ${problem.code}`)).toEqual([
      'merges[0] before_recorded_change',
      'closeDepartments[0] department_not_empty',
    ]);

    const response = await reorganize({ effectiveOn: '2026-11-20', merges: [{ division: '福祉総務課', into: '子育て支援課' }], closeDepartments: ['福祉こども部'] }).expect(200);
    // 5 national procedures + 3 seal forms
    expect(response.body.summary).toEqual({ newDepartments: 0, newDivisions: 0, moved: 0, renamed: 0, merged: 1, closedDepartments: 1, itemsMoved: 8 });

    const moved = await itemByCode('online', 'MN-27');
    expect(moved).toMatchObject({ division: { code: 'D04-01', name: '子育て支援課' }, department: { code: 'D20', name: 'こども未来部' }, status: 'planning', version: item.version + 2 });
    expect((await t.http().get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200)).body).toEqual(historyBefore);
    expect(await db.query('SELECT COUNT(*) AS n FROM status_history')).toEqual(historyRows);

    const before = await organization('2026-11-19');
    expect(divisionsOf(before, 'D04')).toEqual(['福祉総務課']);
    const after = await organization('2026-11-20');
    expect(divisionsOf(after, 'D04')).toBeUndefined();
    expect(divisionsOf(after, 'D20')).toEqual(['子育て支援課']);
    expect((await organization()).departments.map((row) => row.code)).not.toContain('D04');
    const november = await progress('2026-11-20');
    expect(departmentRow(november, 'D20', 'seal')).toMatchObject({ total: 7, done: 3 });
    expect(departmentRow(november, 'D04', 'seal')).toBeUndefined();
    // the merged division no longer matches, so nothing new can be filed under it
    const gone = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'F-5', name: '様式F-5', division: 'D04-02', status: '押印必要' }).expect(400);
    expect(gone.body.code).toBe('unknown_division');
  });

  it('should split: a new division, items moved into it, and progress before it existed keeps its first placement', async () => {
    const response = await reorganize({ effectiveOn: '2026-11-21', newDivisions: [{ code: 'D20-02', name: '保育課', department: 'こども未来部' }] }).expect(200);
    expect(response.body.summary).toMatchObject({ newDivisions: 1, itemsMoved: 0 });
    // what an import whose 所管課 names the new division does, item by item
    for (const code of ['MN-11', 'MN-12', 'MN-13']) {
      const item = await itemByCode('online', code);
      await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ version: item.version, division: '保育課' }).expect(200);
    }
    expect(divisionsOf(await organization('2026-11-20'), 'D20')).toEqual(['子育て支援課']);
    expect(divisionsOf(await organization('2026-11-21'), 'D20')).toEqual(['子育て支援課', '保育課']);
    const split = await progress('2026-11-21');
    expect(split.divisions.find((row) => row.divisionCode === 'D20-02' && row.program === 'online')).toMatchObject({ division: '保育課', departmentCode: 'D20', total: 3 });

    // 保育課 later moves to 行政管理部; before it existed its items still count where it started
    await reorganize({ effectiveOn: '2026-11-22', moves: [{ division: '保育課', toDepartment: '行政管理部' }] }).expect(200);
    const earlier = await progress('2026-11-20');
    expect(departmentRow(earlier, 'D20', 'online')).toMatchObject({ total: 19 });
    expect(departmentRow(earlier, 'D01', 'online')).toMatchObject({ total: 5 });
    const later = await progress('2026-11-22');
    expect(departmentRow(later, 'D20', 'online')).toMatchObject({ total: 16 });
    expect(departmentRow(later, 'D01', 'online')).toMatchObject({ total: 8 });
  });

  it('should run the same operation from the CLI, with --dry-run, --json and its exit codes', async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = cliDatabaseUrl(t.database.settings);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reorg-cli-'));
    const write = (name: string, content: unknown) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, typeof content === 'string' ? content : `\uFEFF${JSON.stringify(content)}`);
      return file;
    };
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => err.push(text) };
    const reset = () => {
      out.length = 0;
      err.length = 0;
    };
    try {
      // dates well in the past: the CLI runs on the real clock, and a future date is refused
      const rename = write('rename.json', { effectiveOn: '令和7年4月1日', note: '財政課の改称', moves: [{ division: '財政課', rename: '財政・資産課' }] });
      expect(await runCli(['reorg', rename, '--dry-run', '--json'], io)).toBe(0);
      expect(JSON.parse(out.join(''))).toEqual({
        applied: false,
        changes: ['課を改称: D01-04 →「財政・資産課」'],
        dryRun: true,
        effectiveOn: '2025-04-01',
        summary: { newDepartments: 0, newDivisions: 0, moved: 0, renamed: 1, merged: 0, closedDepartments: 0, itemsMoved: 0 },
      });
      expect(divisionsOf(await organization(), 'D01')).toContain('財政課');

      reset();
      expect(await runCli(['reorg', rename, '--json'], io)).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ applied: true, dryRun: false, summary: { renamed: 1 } });
      expect(divisionsOf(await organization(), 'D01')).toContain('財政・資産課');
      expect(divisionsOf(await organization('2025-03-31'), 'D01')).toContain('財政課');
      const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
      expect(audit.body.entries.pop()).toMatchObject({ action: 'reorganization', by: expect.stringMatching(/^cli:/), detail: { note: '財政課の改称' } });

      reset();
      const merge = write('merge.json', { effectiveOn: '2025-04-01', merges: [{ division: '契約検査室', into: '財政・資産課' }] });
      expect(await runCli(['reorg', merge], io)).toBe(0);
      expect(out.join('')).toContain('組織改編を適用しました（適用日 令和7年4月1日 (2025-04-01)）');
      expect(out.join('')).toMatch(/移った項目[\s\S]*\b2\s*\n/);
      expect(out.join('')).toContain('・課を統合: D01-06 → 財政・資産課（その課の項目2件も移る）');

      reset();
      const before = await state();
      const bad = write('bad.json', { effectiveOn: '2025-04-01', moves: [{ division: '財政・資産課', toDepartment: '存在しない部' }], closeDepartments: ['行政管理部'] });
      expect(await runCli(['reorg', bad, '--json'], io)).toBe(1);
      const refused = JSON.parse(out.join(''));
      expect(refused).toMatchObject({ applied: false, dryRun: false, code: 'invalid_reorganization' });
      expect(refused.details.map((problem: { entry: string; code: string }) => `${problem.entry} ${problem.code}`)).toEqual([
        'moves[0] unknown_department',
        'closeDepartments[0] department_not_empty',
      ]);
      reset();
      expect(await runCli(['reorg', bad], io)).toBe(1);
      expect(err.join('\n')).toContain('invalid_reorganization');
      expect(err.join('\n')).toContain('moves[0]');
      expect(await state()).toEqual(before);

      reset();
      expect(await runCli(['reorg', write('broken.json', '{"effectiveOn": '), '--json'], io)).toBe(1);
      expect(JSON.parse(out.join(''))).toMatchObject({ applied: false, code: 'malformed_json' });
      reset();
      expect(await runCli(['reorg', path.join(dir, 'missing.json')], io)).toBe(2);
      expect(err.join('')).toContain('missing.json');
      reset();
      expect(await runCli(['reorg'], io)).toBe(2);
      expect(await state()).toEqual(before);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
