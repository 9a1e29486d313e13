import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsersService } from '../src/auth/users.service';
import { createItems } from './support/factories';
import { binary } from './support/responses';
import { databaseKinds, useTestApp } from './support/test-app';

// Something no public output may carry: it is put in every note, user name and item name.
const MARKER = 'ＭＡＲＫＥＲ秘密9f3c';
const MARKER_FOLDED = 'MARKER秘密9f3c';
const PUBLIC_PATHS = ['/public', '/public/public.css', '/api/v1/public/progress.json', '/api/v1/public/progress.csv'];

describe.each(databaseKinds())('public reporting on %s', (kind) => {
  describe('when PUBLIC_REPORTING is off (the default)', () => {
    const t = useTestApp(kind);

    it.each(PUBLIC_PATHS)('should answer %s with 404, with a token or without', async (path) => {
      const response = await t.http().get(path).expect(404);
      expect(response.body).toEqual({ statusCode: 404, code: 'not_found', message: expect.any(String) });
      await t.http().get(path).set('Authorization', `Bearer ${t.adminToken}`).expect(404);
      await t.http().get(`${path}?asOf=someday`).expect(404);
    });
  });

  describe('when PUBLIC_REPORTING=on', () => {
    const t = useTestApp(kind, { config: { publicReporting: true } });
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'public-api-'));
      // Notes, a user name, item names and history all carry the marker.
      const clerk = await t.token('admin');
      const named = await t.app.get(UsersService).createWithToken({ name: `山田${MARKER}`, role: 'admin' });
      const as = (token: string) => ({ Authorization: `Bearer ${token}` });
      const rows = [
        { code: 'S01', status: '廃止済', completedOn: '2026-05-10', note: `備考${MARKER}` },
        { code: 'S02', status: '法令上存続', note: `法定様式${MARKER}`, legalBasis: `戸籍法${MARKER}` },
        { code: 'S03', status: '押印必要', note: MARKER },
      ];
      await createItems(t, 'seal', rows.map((row) => ({ name: `様式${MARKER}${row.code}`, ...row })), named.token);
      const listed = await t.http().get('/api/v1/programs/online/items?q=MN-01').set(as(clerk)).expect(200);
      const item = listed.body.items[0];
      await t
        .http()
        .patch(`/api/v1/items/${item.id}`)
        .set(as(named.token))
        .send({ status: 'online', completedOn: '2025-09-01', note: `オンライン化${MARKER}`, version: item.version })
        .expect(200);
      await t.http().put('/api/v1/targets/seal-abolition/plan').set(as(named.token)).send({ months: [{ month: '2026-05', planned: 1 }] }).expect(200);
      const csv = join(dir, 'volumes.csv');
      writeFileSync(csv, '管理番号,月,オンライン件数,窓口件数\r\nMN-01,2026-10,30,70\r\nPR-24,2026-10,0,20\r\n');
      await t.http().post('/api/v1/volumes').set(as(named.token)).attach('file', csv).expect(200);
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
    });

    const leaks = (text: string) => text.includes(MARKER) || text.includes(MARKER_FOLDED) || text.includes('山田');

    it('should serve a read-only Japanese page without a token, with no script and no inline style', async () => {
      const response = await t.http().get('/public').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      const html = response.text;
      expect(html).toContain('<html lang="ja">');
      expect(html).toContain('基準日: <time datetime="2026-11-24">令和8年11月24日</time>');
      expect(html).toContain('押印の廃止');
      expect(html).toContain('令和9年度末');
      expect(html).toContain('令和7年9月30日');
      expect(html).toContain('期限超過'); // the 27 procedures are past their deadline with 26 not online
      expect(html).toContain('行政管理部');
      expect(html).toContain('オンライン利用率（令和7年12月〜令和8年11月）');
      expect(html).toContain('25.0%'); // 30 online of 120 cases
      expect(html).toContain('CC BY 4.0');
      expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      expect(leaks(html)).toBe(false);
      const css = await t.http().get('/public/public.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
    });

    it('should serve the same aggregates as JSON with the licence, from an allow-list of fields', async () => {
      const response = await t.http().get('/api/v1/public/progress.json').expect(200);
      expect(response.headers.link).toContain('creativecommons.org/licenses/by/4.0');
      const body = response.body;
      expect(body.license).toEqual({ name: 'CC BY 4.0', title: expect.stringContaining('表示 4.0'), url: 'https://creativecommons.org/licenses/by/4.0/deed.ja', notice: expect.any(String) });
      expect(Object.keys(body).sort()).toEqual(['asOf', 'asOfLabel', 'departments', 'license', 'reform', 'takeUp', 'targets', 'title']);
      const seal = body.targets.find((target: { id: string }) => target.id === 'seal-abolition');
      expect(seal).toEqual({
        id: 'seal-abolition',
        label: '押印の廃止',
        program: 'seal',
        programLabel: '押印廃止',
        deadline: '2028-03-31',
        deadlineLabel: '令和9年度末',
        total: 3,
        done: 1,
        excluded: 1,
        remaining: 1,
        percent: 50,
        verdict: 'behind',
        verdictLabel: '遅れ',
      });
      expect(Object.keys(body.departments[0]).sort()).toEqual(['department', 'departmentCode', 'done', 'excluded', 'percent', 'program', 'programLabel', 'remaining', 'total']);
      expect(body.takeUp.total).toEqual({ online: 30, offline: 90, takeUp: 25 });
      expect(body.takeUp.groups.map((group: { nationalGroup: string; takeUp: number }) => [group.nationalGroup, group.takeUp])).toEqual([
        ['mynumber27', 30],
        ['priority24', 0],
      ]);
      expect(leaks(JSON.stringify(body))).toBe(false);
      const june = await t.http().get('/api/v1/public/progress.json?asOf=R8.6.30').expect(200);
      expect(june.body.asOf).toBe('2026-06-30');
    });

    it('should serve the same numbers as CSV: UTF-8 with BOM, CRLF, the licence on the first line', async () => {
      const response = await t.http().get('/api/v1/public/progress.csv').buffer(true).parse(binary).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = response.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toContain('\n');
      const lines = text.split('\r\n');
      expect(lines[0]).toMatch(/^# .*CC BY 4\.0.*https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/deed\.ja/);
      expect(lines[0]).not.toContain(',');
      expect(lines[1]).toBe('区分,基準日,目標ID,名称,取組,部局,期限,期限（和暦）,対象数,完了数,対象外数,残数,進捗率（%）,判定,期間開始,期間終了,オンライン件数,窓口件数,オンライン利用率（%）');
      // one completion, before the six-month pace window: no pace, so behind
      expect(lines).toContain('目標,2026-11-24,seal-abolition,押印の廃止,押印廃止,,2028-03-31,令和9年度末,3,1,1,1,50,遅れ,,,,,');
      expect(lines.find((line) => line.startsWith('目標,2026-11-24,online-mynumber27'))).toBe(
        '目標,2026-11-24,online-mynumber27,マイナンバーカード対応27手続のオンライン化,オンライン化,,2025-09-30,令和7年9月30日,27,1,0,26,3.7,期限超過,,,,,',
      );
      expect(lines).toContain('部局,2026-11-24,,,押印廃止,行政管理部,,,3,1,1,1,50,,,,,,');
      expect(lines).toContain('オンライン利用率,2026-11-24,,合計,オンライン化,,,,,,,,,,2025-12,2026-11,30,90,25');
      expect(leaks(text)).toBe(false);
    });
  });
});
