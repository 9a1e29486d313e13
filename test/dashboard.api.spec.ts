import { createItems } from './support/factories';
import { databaseKinds, useTestApp } from './support/test-app';

// The dashboard's server side: the page and its files without a token, and the endpoints it adds
// (programs, me, the burn-up series, the overdue list).
describe.each(databaseKinds())('dashboard endpoints on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    // seal items in 総務課 (行政管理部): two abolished in May, one in October, one legally required,
    // one open and past its due date, one open without a due date
    const rows = [
      { code: 'S01', status: '廃止済', completedOn: '2026-05-10' },
      { code: 'S02', status: '廃止済', completedOn: '2026-05-20' },
      { code: 'S03', status: '廃止済', completedOn: '2026-10-01' },
      { code: 'S04', status: '法令上存続', note: '法定様式', legalBasis: '戸籍法施行規則' },
      { code: 'S05', status: '押印必要', dueOn: '2026-09-30' },
      { code: 'S06', status: '検討中' },
    ];
    await createItems(t, 'seal', rows);
  });

  it('should serve the page, its files and Chart.js without a token, with a strict CSP', async () => {
    const page = await t.http().get('/').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<html lang="ja">');
    expect(page.text).toContain('/assets/chart.umd.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    const app = await t.http().get('/assets/app.js').expect(200);
    expect(app.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(app.text).toContain("from './api.js'");
    const chart = await t.http().get('/assets/chart.umd.js').expect(200);
    expect(chart.text).toContain('Chart');
    await t.http().get('/assets/dashboard.css').expect('Content-Type', 'text/css; charset=utf-8').expect(200);
  });

  it('should refuse asset names outside the public folder with the API error shape', async () => {
    for (const name of ['..%2Fdashboard.controller.ts', '..%2F..%2F..%2Fpackage.json', 'index.html', 'missing.js']) {
      const response = await t.http().get(`/assets/${name}`).expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    }
    await t.http().get('/assets/../package.json').expect(404);
  });

  it('should describe the programs for the page', async () => {
    await t.http().get('/api/v1/programs').expect(401);
    const response = await t.http().get('/api/v1/programs').set(auth()).expect(200);
    expect(response.body.programs.map((program: { key: string }) => program.key)).toEqual(['online', 'seal', 'analog', 'reform']);
    const seal = await t.http().get('/api/v1/programs/seal').set(auth()).expect(200);
    expect(seal.body.states.find((state: { key: string }) => state.key === 'abolished')).toEqual({ key: 'abolished', label: '廃止済', done: true, excluded: false, needsLegalBasis: false });
    const unknown = await t.http().get('/api/v1/programs/paper').set(auth()).expect(404);
    expect(unknown.body.code).toBe('unknown_program');
  });

  it('should say who the token belongs to', async () => {
    const admin = await t.http().get('/api/v1/me').set(auth()).expect(200);
    expect(admin.body).toEqual({ name: 'test-admin', login: 'test-admin', role: 'admin', roleLabel: '管理者', department: null, canEdit: true, csrfToken: null, mustChangePassword: false });
    const editor = await t.token('editor', '行政管理部');
    const response = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${editor}`).expect(200);
    expect(response.body).toMatchObject({ role: 'editor', department: { name: '行政管理部' }, canEdit: true });
    const viewer = await t.token('viewer');
    expect((await t.http().get('/api/v1/me').set('Authorization', `Bearer ${viewer}`).expect(200)).body.canEdit).toBe(false);
    await t.http().get('/api/v1/me').set('Authorization', 'Bearer nope').expect(401);
  });

  it('should give the monthly burn-up series of a target, ending on the same numbers as the progress', async () => {
    const response = await t.http().get('/api/v1/progress/series?target=seal-abolition&from=2026-04-01&to=2026-11-24').set(auth()).expect(200);
    expect(response.body.target).toEqual({ id: 'seal-abolition', program: 'seal', label: '押印の廃止', deadline: '2028-03-31', deadlineLabel: '令和9年度末' });
    expect(response.body.points.map((point: { month: string; done: number }) => [point.month, point.done])).toEqual([
      ['2026-04', 0],
      ['2026-05', 2],
      ['2026-06', 2],
      ['2026-07', 2],
      ['2026-08', 2],
      ['2026-09', 2],
      ['2026-10', 3],
      ['2026-11', 3],
    ]);
    const last = response.body.points.at(-1);
    expect(last).toEqual({ month: '2026-11', monthLabel: '令和8年11月', asOf: '2026-11-24', total: 6, done: 3, excluded: 1 });
    const progress = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    const target = progress.body.targets.find((candidate: { id: string }) => candidate.id === 'seal-abolition');
    expect([target.total, target.done, target.excluded]).toEqual([last.total, last.done, last.excluded]);
  });

  it('should default to 24 months up to today and refuse bad ranges', async () => {
    const defaults = await t.http().get('/api/v1/progress/series?target=online-mynumber27').set(auth()).expect(200);
    expect(defaults.body).toMatchObject({ from: '2024-12-01', to: '2026-11-24' });
    expect(defaults.body.points).toHaveLength(24);
    expect(defaults.body.points[0]).toMatchObject({ month: '2024-12', total: 27, done: 0 });
    const cases: [string, number, string][] = [
      ['', 400, 'missing_parameter'],
      ['target=nope', 404, 'not_found'],
      ['target=seal-abolition&from=2020-01-01&to=2026-11-24', 400, 'range_too_long'],
      ['target=seal-abolition&from=2026-11-24&to=2026-01-01', 400, 'invalid_range'],
      ['target=seal-abolition&to=someday', 400, 'invalid_date'],
    ];
    for (const [query, status, code] of cases) {
      const response = await t.http().get(`/api/v1/progress/series?${query}`).set(auth()).expect(status);
      expect(response.body.code).toBe(code);
    }
  });

  it('should list overdue items: past their due date, or past a covering target’s deadline', async () => {
    const response = await t.http().get('/api/v1/progress/overdue').set(auth()).expect(200);
    expect(response.body).toMatchObject({ asOf: '2026-11-24', limit: 200 });
    // the 27 + 24 national procedures are past their deadlines (2025-09-30, 2026-03-31); S05 is past its due date;
    // and 24 of the reform policy's seeded initiatives (still 未着手) are past their own dates
    expect(response.body.total).toBe(27 + 24 + 1 + 24);
    expect(response.body.items.filter((item: { program: string }) => item.program === 'reform')).toHaveLength(24);
    // longest overdue first: (5)④ was due 令和7年7月 (its own date), then the 27 from 2025-09-30
    expect(response.body.items[0]).toMatchObject({ program: 'reform', code: 'RF5-04', since: '2025-07-31', reasons: [{ kind: 'dueOn', date: '2025-07-31' }] });
    const firstOnline = response.body.items.find((item: { program: string }) => item.program === 'online');
    expect(firstOnline).toMatchObject({ since: '2025-09-30', status: 'not_started', statusLabel: '未着手' });
    expect(firstOnline.reasons[0]).toMatchObject({ kind: 'target', targetId: 'online-mynumber27', deadlineLabel: '令和7年9月30日' });
    const s05 = response.body.items.find((item: { code: string }) => item.code === 'S05');
    expect(s05).toMatchObject({ since: '2026-09-30', dueOn: '2026-09-30', division: { name: '総務課' }, department: { name: '行政管理部' }, reasons: [{ kind: 'dueOn', date: '2026-09-30' }] });

    // the same count as the targets' `overdue`
    const progress = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    const overdueByProgram = (program: string) =>
      progress.body.targets.filter((target: { program: string }) => target.program === program).reduce((sum: number, target: { overdue: number }) => sum + target.overdue, 0);
    expect(overdueByProgram('online')).toBe(51);
    expect(overdueByProgram('seal')).toBe(1);

    const seal = await t.http().get('/api/v1/progress/overdue?program=seal').set(auth()).expect(200);
    expect(seal.body.items.map((item: { code: string }) => item.code)).toEqual(['S05']);
    const limited = await t.http().get('/api/v1/progress/overdue?limit=5').set(auth()).expect(200);
    expect(limited.body).toMatchObject({ total: 76, limit: 5 });
    expect(limited.body.items).toHaveLength(5);
    // before the first deadline and S05's due date: only (5)④, due 令和7年7月
    const early = await t.http().get('/api/v1/progress/overdue?asOf=2025-09-30').set(auth()).expect(200);
    expect(early.body.items.map((item: { code: string }) => item.code)).toEqual(['RF5-04']);
    await t.http().get('/api/v1/progress/overdue?limit=0').set(auth()).expect(400);
  });

  it('should drop an item from the overdue list once it is done', async () => {
    const list = await t.http().get('/api/v1/programs/seal/items?q=S05').set(auth()).expect(200);
    const item = list.body.items[0];
    await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: '廃止済', version: item.version }).expect(200);
    const seal = await t.http().get('/api/v1/progress/overdue?program=seal').set(auth()).expect(200);
    expect(seal.body.total).toBe(0);
    // as of the day before the change it was still overdue
    const before = await t.http().get('/api/v1/progress/overdue?program=seal&asOf=2026-11-23').set(auth()).expect(200);
    expect(before.body.items.map((row: { code: string }) => row.code)).toEqual(['S05']);
  });
});
