import { databaseKinds, startTestApp, TestApp } from './support/test-app';

describe.each(databaseKinds())('reform policy API on %s', (kind) => {
  let t: TestApp;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should answer the five areas in the policy’s order with the as-of date', async () => {
    const response = await t.http().get(`/api/v1/reform?asOf=${encodeURIComponent('令和8年度第2四半期')}`).set(auth()).expect(200);
    expect(response.body.asOf).toBe('2026-09-30');
    expect(response.body.areas.map((area: { label: string }) => area.label)).toEqual([
      '組織見直しの取組',
      '業務の効率性・生産性の向上の取組',
      '危機管理・コンプライアンス対策の取組',
      '行政手続きのデジタル化・オンライン化の取組',
      '組織活性化及び組織力の向上の取組',
    ]);
    expect(response.body.overall).toHaveProperty('progress');
  });
});
