import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from './support/temp-files';
import { databaseKinds, useTestApp } from './support/test-app';

// The reform policy from a fresh start: the 30 seeded initiatives, the three linked to the
// procedure targets (§3(4)) moving with the inventories, the others with their monthly reports.

const SEAL_HEADER = '管理番号,名称,所管課,状況,完了日,予定日,備考,年間件数,根拠区分,根拠法令,押印種別,代替方法';

interface Initiative {
  id: number;
  code: string;
  policyNo: string;
  progress: number | null;
  source: string;
  latestComment: string | null;
  status: string;
  overdue: boolean;
}
interface Area {
  key: string;
  progress: number | null;
  initiatives: Initiative[];
}

const dir = useTempDir('reform-linked-');

describe.each(databaseKinds())('the reform policy from a fresh start on %s', (kind) => {
  const t = useTestApp(kind, { config: { publicReporting: true } });
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const reform = async (asOf = '2026-11-24') => (await t.http().get(`/api/v1/reform?asOf=${asOf}`).set(auth()).expect(200)).body as { overall: { progress: number | null }; areas: Area[] };
  const initiative = (body: { areas: Area[] }, policyNo: string) => body.areas.flatMap((area) => area.initiatives).find((entry) => entry.policyNo === policyNo)!;

  it('should hold the policy’s 30 initiatives, five areas, as items of the reform program', async () => {
    const body = await reform();
    expect(body.areas.map((area) => [area.key, area.initiatives.length])).toEqual([
      ['organization', 6],
      ['efficiency', 10],
      ['riskCompliance', 4],
      ['digital', 3],
      ['capability', 7],
    ]);
    const items = await t.http().get('/api/v1/programs/reform/items?pageSize=100').set(auth()).expect(200);
    expect(items.body.total).toBe(30);
    const first = items.body.items.find((item: { code: string }) => item.code === 'RF2-07');
    expect(first).toMatchObject({ status: 'not_started', dueOn: '2027-03-31', division: { name: '行政経営課' }, area: 'efficiency', policyNo: '(2)⑦' });
    // the undated (2)⑤ is never overdue; (2)⑧ was due 令和7年10月 and is not done
    expect(initiative(body, '(2)⑤').overdue).toBe(false);
    expect(initiative(body, '(2)⑧').overdue).toBe(true);
  });

  it('should move (4)② when a seal inventory is imported', async () => {
    const before = initiative(await reform(), '(4)②');
    expect(before).toMatchObject({ progress: 0, source: 'none' });
    const file = join(dir, `seal-${kind}.csv`);
    writeFileSync(
      file,
      `\uFEFF${[
        SEAL_HEADER,
        'SL-001,申請書A,総務課,廃止済,2026-10-01,,,,,,,',
        'SL-002,申請書B,市民課,廃止済,2026-11-02,,,,,,,',
        'SL-003,届出書C,市民課,法令上存続,,,法令で押印が必要,,法律,戸籍法施行規則第十一条,実印,',
        'SL-004,申請書D,防災安全課,押印必要,,,,,,,,',
      ].join('\r\n')}\r\n`,
    );
    await t.http().post('/api/v1/imports/seal').set(auth()).attach('file', file).expect(200);
    const after = initiative(await reform(), '(4)②');
    // 2 abolished ÷ (4 − 1 legally required)
    expect(after).toMatchObject({ progress: 66.7, source: 'targets' });
    // as of a date before the first abolition the linked targets had no done item yet
    expect(initiative(await reform('2026-09-30'), '(4)②')).toMatchObject({ progress: 0, source: 'targets' });
  });

  it('should move (2)⑦ and its area with a monthly report, for the owning department only', async () => {
    const before = await reform();
    const area = before.areas.find((entry) => entry.key === 'efficiency')!;
    const target = initiative(before, '(2)⑦');
    expect(target).toMatchObject({ progress: 0, source: 'none' });
    const outsider = await t.token('editor', '市民安全部');
    await t.http().put(`/api/v1/items/${target.id}/reports/2026-10`).set(auth(outsider)).send({ progress: 40 }).expect(403);
    const owner = await t.token('editor', '行政管理部');
    await t.http().put(`/api/v1/items/${target.id}/reports/2026-10`).set(auth(owner)).send({ progress: 40, comment: 'タスク管理方針案を庁議に諮った' }).expect(200);
    const after = await reform();
    expect(initiative(after, '(2)⑦')).toMatchObject({ progress: 40, source: 'report', latestComment: 'タスク管理方針案を庁議に諮った' });
    // ten initiatives, one moved by 40 points: the area mean moves by 4
    expect(after.areas.find((entry) => entry.key === 'efficiency')!.progress).toBeCloseTo((area.progress ?? 0) + 4, 5);
    // published without the comment
    const published = await t.http().get('/api/v1/public/progress.json').expect(200);
    expect(JSON.stringify(published.body)).not.toContain('庁議に諮った');
    const publicInitiative = published.body.reform.areas.flatMap((entry: { initiatives: unknown[] }) => entry.initiatives).find((entry: { policyNo: string }) => entry.policyNo === '(2)⑦');
    expect(publicInitiative).toEqual({ policyNo: '(2)⑦', name: expect.any(String), status: 'not_started', statusLabel: '未着手', dueOn: '2027-03-31', dueLabel: '令和8年度末', progress: 40, overdue: false });
    const page = await t.http().get('/public').expect(200);
    expect(page.text).toContain('市役所改革取組方針の進捗');
    expect(page.text).not.toContain('庁議に諮った');
    // the report for October does not count as of September
    expect(initiative(await reform('2026-09-30'), '(2)⑦')).toMatchObject({ progress: 0, source: 'none' });
  });

  it('should leave a 中止 initiative out of its area and need a reason for it', async () => {
    const body = await reform();
    const target = initiative(body, '(5)⑤');
    const item = (await t.http().get(`/api/v1/items/${target.id}`).set(auth()).expect(200)).body;
    await t.http().patch(`/api/v1/items/${target.id}`).set(auth()).send({ status: 'cancelled', version: item.version }).expect(400);
    await t.http().patch(`/api/v1/items/${target.id}`).set(auth()).send({ status: '中止', note: '方針の見直しにより中止', version: item.version }).expect(200);
    const after = await reform();
    expect(initiative(after, '(5)⑤')).toMatchObject({ progress: null, source: 'excluded', overdue: false });
    const capability = after.areas.find((entry) => entry.key === 'capability')!;
    const counted = capability.initiatives.filter((entry) => entry.progress !== null);
    expect(counted).toHaveLength(6);
    expect(capability.progress).toBeCloseTo(Math.round((counted.reduce((sum, entry) => sum + (entry.progress ?? 0), 0) / 6) * 10) / 10, 5);
  });
});
