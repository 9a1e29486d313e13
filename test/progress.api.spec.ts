import { runCli } from '../src/cli';
import { createItems, targetBody } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

describe.each(databaseKinds())('progress API on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const target = (body: { targets: { id: string }[] }, id: string) => body.targets.find((candidate) => candidate.id === id) as Record<string, unknown>;

  beforeAll(async () => {
    // ten seal items: four abolished (two in May, two in October), two legally required, four open
    const rows = [
      { code: 'S01', status: '廃止済', completedOn: '2026-05-10' },
      { code: 'S02', status: '廃止済', completedOn: 'R8.5.20' },
      { code: 'S03', status: 'abolished', completedOn: '2026/10/1' },
      { code: 'S04', status: 'abolished', completedOn: '令和8年10月15日' },
      { code: 'S05', status: '法令上存続', note: '法定様式', legalBasis: '戸籍法施行規則' },
      { code: 'S06', status: 'legally_required', note: '法定様式', legalBasis: '住民基本台帳法施行令' },
      { code: 'S07', status: '押印必要', dueOn: '2026-09-30' },
      { code: 'S08', status: '検討中' },
      { code: 'S09', status: '押印必要' },
      { code: 'S10', status: '押印必要' },
    ];
    await createItems(t, 'seal', rows);
  });

  it('should read 50 % on seal-abolition with four abolished and two legally required of ten', async () => {
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    expect(response.body.asOf).toBe('2026-11-24');
    expect(target(response.body, 'seal-abolition')).toMatchObject({
      program: 'seal',
      deadline: '2028-03-31',
      deadlineLabel: '令和9年度末',
      total: 10,
      done: 4,
      excluded: 2,
      remaining: 4,
      percent: 50,
      overdue: 1,
      pacePerMonth: 0.3,
      neededPerMonth: 0.2,
      verdict: 'on_track',
    });
  });

  it('should leave out completions after an earlier as-of date', async () => {
    const response = await t.http().get('/api/v1/progress?asOf=2026-06-30').set(auth()).expect(200);
    expect(target(response.body, 'seal-abolition')).toMatchObject({ total: 10, done: 2, excluded: 2, percent: 25 });
    const wareki = await t.http().get(`/api/v1/progress?asOf=${encodeURIComponent('R8.5.15')}`).set(auth()).expect(200);
    expect(target(wareki.body, 'seal-abolition')).toMatchObject({ done: 1, percent: 12.5 });
    const quarter = await t.http().get(`/api/v1/progress?asOf=${encodeURIComponent('令和8年度第1四半期')}`).set(auth()).expect(200);
    expect(quarter.body.asOf).toBe('2026-06-30');
    expect(target(quarter.body, 'seal-abolition')).toMatchObject({ done: 2, percent: 25 });
    // a bare month names no day: refused for an as-of date (a deadline would take its last day)
    const month = await t.http().get(`/api/v1/progress?asOf=${encodeURIComponent('令和8年4月')}`).set(auth()).expect(400);
    expect(month.body.code).toBe('invalid_date');
  });

  it('should read missed for the 27 My Number procedures not online after 2025-09-30', async () => {
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    expect(target(response.body, 'online-mynumber27')).toMatchObject({
      total: 27,
      done: 0,
      percent: 0,
      overdue: 27,
      verdict: 'missed',
      deadlineLabel: '令和7年9月30日',
    });
    expect(target(response.body, 'online-priority24')).toMatchObject({ total: 24, verdict: 'missed', deadlineLabel: '令和7年度末' });
    expect(target(response.body, 'analog-review')).toMatchObject({ total: 0, percent: null, verdict: 'no_items' });
  });

  it('should report by department and division', async () => {
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    const seal = response.body.departments.filter((row: { program: string }) => row.program === 'seal');
    expect(seal).toEqual([expect.objectContaining({ department: '行政管理部', total: 10, done: 4, excluded: 2, percent: 50 })]);
    const division = response.body.divisions.find((row: { division: string; program: string }) => row.division === '総務課' && row.program === 'seal');
    expect(division).toMatchObject({ total: 10, done: 4, percent: 50 });
  });

  it('should add a target (admin only) and report it', async () => {
    const editor = await t.token('editor', '行政管理部');
    await t.http().post('/api/v1/targets').set('Authorization', `Bearer ${editor}`).send(targetBody('seal')).expect(403);
    const bad = await t.http().post('/api/v1/targets').set(auth()).send({ id: 'Bad Id', program: 'nope', deadline: 'someday' }).expect(400);
    expect(bad.body.details.map((problem: { code: string }) => problem.code)).toEqual(['invalid_id', 'unknown_program', 'missing_required', 'invalid_date']);
    await t
      .http()
      .post('/api/v1/targets')
      .set(auth())
      .send({ id: 'seal-fy2026', program: 'seal', label: '押印廃止（令和8年度分）', deadline: '令和8年度末', scope: { codes: ['S01', 'S07', 'S08'] } })
      .expect(201);
    const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    expect(target(response.body, 'seal-fy2026')).toMatchObject({ deadline: '2027-03-31', deadlineLabel: '令和8年度末', total: 3, done: 1, percent: 33.3 });
    const list = await t.http().get('/api/v1/targets').set(auth()).expect(200);
    expect(list.body.targets.map((row: { id: string }) => row.id)).toContain('seal-fy2026');
  });

  it('should print the same progress from the CLI, as JSON and as a table', async () => {
    const previous = process.env.DATABASE_URL;
    if (t.database.settings.type !== 'sqlite') return; // the CLI reads DATABASE_URL; the PostgreSQL schema is test-private
    process.env.DATABASE_URL = `sqlite:${t.database.settings.path}`;
    try {
      const out: string[] = [];
      const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) };
      expect(await runCli(['progress', '--as-of', '2026-06-30', '--json'], io)).toBe(0);
      const report = JSON.parse(out.join(''));
      expect(target(report, 'seal-abolition')).toMatchObject({ done: 2, percent: 25 });
      out.length = 0;
      expect(await runCli(['progress', '--as-of', 'R8.6.30'], io)).toBe(0);
      expect(out.join('')).toContain('令和9年度末');
      expect(out.join('')).toContain('基準日 令和8年6月30日');
      out.length = 0;
      // a fiscal term stands for its last day (calendar/date-terms.ts)
      expect(await runCli(['progress', '--as-of', '令和8年度第2四半期', '--json'], io)).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ asOf: '2026-09-30' });
      out.length = 0;
      expect(await runCli(['progress', '--as-of', '令和8年度末', '--json'], io)).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ asOf: '2027-03-31' });
      out.length = 0;
      expect(await runCli(['progress', '--as-of', 'someday'], io)).toBe(1);
      expect(out.join('')).toContain('invalid_date');
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});

describe.each(databaseKinds())('progress after changes on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  it('should answer a repeated question with the same numbers and a changed one with new numbers', async () => {
    const percent = async () =>
      (await t.http().get('/api/v1/progress').set(auth()).expect(200)).body.targets.find((target: { id: string }) => target.id === 'online-mynumber27');
    const first = await percent();
    expect(await percent()).toEqual(first);
    const list = await t.http().get('/api/v1/programs/online/items?q=MN-05').set(auth()).expect(200);
    await t.http().patch(`/api/v1/items/${list.body.items[0].id}`).set(auth()).send({ status: 'online', completedOn: '2026-11-01', version: 1 }).expect(200);
    const after = await percent();
    expect(after.done).toBe(first.done + 1);
    expect(after.percent).toBe(3.7); // 1 of 27
  });
});
