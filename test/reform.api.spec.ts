import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliOn } from './support/run-cli';
import { databaseKinds, useTestApp } from './support/test-app';

describe.each(databaseKinds())('reform policy API on %s', (kind) => {
  const t = useTestApp(kind);
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

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

  it('should serve the printable report signed in only, with the 和暦 date and its style sheet', async () => {
    await t.http().get('/report').expect(401);
    const page = await t.http().get(`/report?asOf=${encodeURIComponent('令和8年10月31日')}`).set(auth()).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('令和8年10月31日現在');
    expect(page.text).toContain('全庁計');
    expect(page.text).toContain('（5）組織活性化及び組織力の向上の取組');
    const css = await t.http().get('/report/report.css').expect(200);
    expect(css.text).toContain('@page { size: A4 portrait;');
    const unknown = await t.http().get('/report?department=存在しない部').set(auth()).expect(404);
    expect(unknown.body.code).toBe('unknown_department');
  });

  it('should refuse the PDF with a clear message and exit 1 when there is no Chromium', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const previous = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = join(dir, 'no-chromium');
    try {
      const run = await runCliOn(t.database.settings, ['report', '--out', join(dir, 'report.pdf'), '--as-of', '令和8年度第2四半期']);
      expect(run.code).toBe(1);
      expect(run.out).toContain('chromium_not_found');
      expect(run.out).toContain('CHROMIUM_PATH');
      const usage = await runCliOn(t.database.settings, ['report', '--out', join(dir, 'report.txt')]);
      expect(usage.code).toBe(2);
    } finally {
      if (previous === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
