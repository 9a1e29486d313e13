import * as path from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { BrowserSession, logIn, PHONE, SCREENSHOTS, startBrowser } from './browser-support';

// The 取組方針 view: the policy's 30 initiatives as of the page's date, and a monthly report
// entered by the owning department's editor, in Chromium against the real app on SQLite.

describe('取組方針 view in Chromium', () => {
  let t: TestApp;
  let session: BrowserSession;
  let editorLogin: string;
  let outsiderLogin: string;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    editorLogin = (await t.account('editor', '行政管理部')).login;
    outsiderLogin = (await t.account('editor', '市民安全部')).login;
    session = await startBrowser(t);
  });
  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  it('should show the five areas and 30 initiatives, and let the owner report a month', async () => {
    const { page, errors } = await session.open();
    await logIn(page, editorLogin);
    await page.locator('#reform-table tr[data-code="RF2-07"]').waitFor();
    expect(await page.locator('#reform-table tr[data-code]').count()).toBe(30);
    expect(await page.locator('#reform-table tr.area-row').count()).toBe(5);
    await page.locator('#reform-section').screenshot({ path: path.join(SCREENSHOTS, 'reform-desktop.png') });

    const row = page.locator('#reform-table tr[data-code="RF2-07"]');
    await row.getByRole('button', { name: /月次報告/ }).click();
    await page.getByLabel('進捗率（0〜100%）').fill('40');
    await page.getByLabel('コメント（実施したこと・課題・来月の予定）').fill('タスク管理方針案を庁議に報告');
    await page.locator('#report-save').click();
    await page.waitForFunction(() => document.querySelector('#reform-table tr[data-code="RF2-07"]')?.textContent?.includes('タスク管理方針案を庁議に報告'));
    expect(await row.locator('td').nth(5).textContent()).toContain('40.0%');
    // 防災安全課's initiatives belong to another department: no report button for this editor
    expect(await page.locator('#reform-table tr[data-code="RF3-01"] button').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('should show no report buttons outside the owning department, and fit a phone', async () => {
    const { page, errors } = await session.open(PHONE);
    await logIn(page, outsiderLogin);
    await page.locator('#reform-table tr[data-code="RF2-07"]').waitFor();
    expect(await page.locator('#reform-table tr[data-code="RF2-07"] button').count()).toBe(0);
    expect(await page.locator('#reform-table tr[data-code="RF3-01"] button').count()).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#reform-section').screenshot({ path: path.join(SCREENSHOTS, 'reform-phone.png') });
    expect(errors).toEqual([]);
  });
});
