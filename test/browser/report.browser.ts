import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countPdfPages } from '../../src/progress-report/handout-pdf';
import { runCliOn } from '../support/run-cli';
import { startTestApp, TestApp } from '../support/test-app';

// The printed progress report through headless Chromium: at most two A4 pages.
describe('cli report (PDF through Chromium)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should write a PDF of at most two A4 pages', async () => {
    const out = join(dir, 'report.pdf');
    const run = await runCliOn(t.database.settings, ['report', '--out', out, '--as-of', '2026-11-24']);
    expect(run.code).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = countPdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    expect(run.out).toContain(`A4 ${pages}ページ`);
    // A4 portrait: 595 × 842 points
    const box = /\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    expect(Math.round(Number(box?.[1]))).toBe(595);
    expect(Math.round(Number(box?.[2]))).toBe(842);
  });
});
