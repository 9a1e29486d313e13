import * as ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/test-app';
import { BrowserSession, logIn, PHONE, SCREENSHOTS, showView, startBrowser, unexpected } from './browser-support';

// One 照会 round walked in the page: the office opens it; 総務課 answers with its sheet (after a
// refused sheet holding another division's row), 市民課 with no change, is returned and answers
// again; the office confirms both; the reported completion counts only once confirmed.

describe('照会 round in Chromium', () => {
  let t: TestApp;
  let session: BrowserSession;
  let clerkA: string;
  let clerkB: string;
  let dir: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveys-browser-'));
    const rows = [
      ['SV-01', '総務課', '押印必要'],
      ['SV-02', '総務課', '押印必要'],
      ['SV-03', '総務課', '廃止済'],
      ['SV-11', '市民課', '押印必要'],
    ];
    for (const [code, division, status] of rows) {
      await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code, name: `${code} 交付申請書`, division, status, completedOn: status === '廃止済' ? '2026-10-01' : undefined }).expect(201);
    }
    clerkA = (await t.account('editor', '行政管理部')).login;
    clerkB = (await t.account('editor', '市民安全部')).login;
    session = await startBrowser(t);
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const round = (page: Page) => page.locator('article.survey-round[data-survey="seal-r8-12"]');
  const statusOf = (page: Page, division: string) => round(page).locator(`tr[data-division="${division}"]`).getAttribute('data-status');
  const percent = (page: Page) => page.locator('article[data-target="seal-abolition"] [data-role="percent"]').textContent();

  async function signIn(login: string, viewport?: { width: number; height: number }) {
    const opened = await session.open(viewport);
    await logIn(opened.page, login);
    await opened.page.locator('#surveys-section').waitFor({ state: 'attached' });
    return opened;
  }

  it('walks a round from opening to confirmation, and counts a reported completion only once confirmed', async () => {
    // the office opens the round
    const office = await signIn(t.adminLogin);
    const page = office.page;
    await showView(page, 'surveys');
    await page.getByText('新しい照会を開始する').click();
    await page.getByLabel('件名').fill('押印廃止の進捗照会（令和8年12月）');
    await page.getByLabel('照会する取組').selectOption({ label: '押印廃止' });
    await page.getByLabel('回答期限').fill('2026-12-10');
    await page.getByLabel('照会ID').fill('seal-r8-12');
    await page.getByRole('button', { name: '照会を開始する' }).click();
    await round(page).waitFor();
    expect(await round(page).locator('.survey-meta').textContent()).toContain('回答期限 令和8年12月10日');
    expect(await statusOf(page, 'D01-01')).toBe('waiting');
    expect(await statusOf(page, 'D03-01')).toBe('waiting');
    expect(await percent(page)).toBe('25.0%');

    // 総務課: its request comes first; a sheet with another division's row is refused by row
    const a = await signIn(clerkA);
    // a division with open requests lands on the 照会 view after signing in
    await a.page.waitForFunction(() => document.body.dataset.view === 'surveys');
    const request = a.page.locator('li.survey-request[data-division="D01-01"]');
    expect(await request.locator('h3').textContent()).toBe('押印廃止の進捗照会（令和8年12月）（総務課）');
    expect(await request.textContent()).toContain('回答期限 令和8年12月10日');
    const [downloaded] = await Promise.all([a.page.waitForEvent('download'), request.getByRole('button', { name: 'シートをダウンロード' }).click()]);
    const sheetPath = path.join(dir, 'sheet.xlsx');
    await downloaded.saveAs(sheetPath);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(sheetPath);
    const sheet = workbook.worksheets[0];
    expect(String(sheet.getCell(1, 1).value)).toContain('回答期限：令和8年12月10日');
    expect(sheet.getCell(4, 1).value).toBe('SV-01');
    sheet.getCell(4, 4).value = '廃止済';
    sheet.getCell(4, 5).value = new Date('2026-11-20T00:00:00Z');
    const answerPath = path.join(dir, 'answer.xlsx');
    await workbook.xlsx.writeFile(answerPath);
    sheet.getRow(7).values = ['SV-11', 'SV-11 交付申請書', '市民課', '押印必要'];
    const wrongPath = path.join(dir, 'wrong.xlsx');
    await workbook.xlsx.writeFile(wrongPath);

    await request.getByLabel('総務課の回答シート').setInputFiles(wrongPath);
    await request.getByRole('button', { name: 'シートで回答する' }).click();
    await request.locator('.survey-errors').waitFor();
    expect(await request.locator('.survey-errors tbody tr').first().textContent()).toContain('市民課');
    await a.page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-survey-request-errors.png'), fullPage: false });
    await request.getByLabel('総務課の回答シート').setInputFiles(answerPath);
    await request.getByRole('button', { name: 'シートで回答する' }).click();
    await a.page.locator('#surveys-answered').waitFor();
    expect(await a.page.locator('#surveys-answered tbody').textContent()).toContain('回答済');
    expect(await a.page.locator('#surveys-none').textContent()).toBe('回答が必要な照会はありません。');
    expect(unexpected(a.errors, 422)).toEqual([]);

    // 市民課 answers with no change (on a phone)
    const b = await signIn(clerkB, PHONE);
    await b.page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-survey-request.png') });
    await b.page.locator('li.survey-request[data-division="D03-01"]').getByRole('button', { name: '変更なしで回答する' }).click();
    await b.page.locator('#surveys-answered').waitFor();

    // the office returns 市民課's answer with a reason
    await page.reload();
    await showView(page, 'surveys');
    await round(page).waitFor();
    expect(await statusOf(page, 'D01-01')).toBe('answered');
    expect(await statusOf(page, 'D03-01')).toBe('answered');
    await round(page).getByRole('button', { name: '市民課の回答を差し戻す' }).click();
    await page.getByLabel('差戻しの理由').fill('SV-11 の押印の要否を確認してください');
    await page.locator('#return-dialog').getByRole('button', { name: '差し戻す', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('article.survey-round tr[data-division="D03-01"]')?.getAttribute('data-status') === 'returned');

    // 市民課 sees the reason and answers again
    await b.page.reload();
    const returned = b.page.locator('li.survey-request[data-division="D03-01"]');
    await returned.waitFor();
    expect(await returned.locator('.survey-reason').textContent()).toBe('差戻しの理由: SV-11 の押印の要否を確認してください');
    await returned.getByRole('button', { name: '変更なしで回答する' }).click();
    await b.page.locator('#surveys-none').waitFor();
    expect(b.errors).toEqual([]);

    // the office confirms both answers
    await page.reload();
    await showView(page, 'surveys');
    await round(page).waitFor();
    await round(page).getByRole('button', { name: '総務課の回答を確認' }).click();
    await page.waitForFunction(() => document.querySelector('article.survey-round tr[data-division="D01-01"]')?.getAttribute('data-status') === 'confirmed');
    await round(page).getByRole('button', { name: '市民課の回答を確認' }).click();
    await page.waitForFunction(() => document.querySelector('article.survey-round tr[data-division="D03-01"]')?.getAttribute('data-status') === 'confirmed');
    expect(await round(page).locator('.survey-meta').textContent()).toContain('確認済 2');
    await page.locator('#surveys-section').screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-surveys.png') });

    // the completion 総務課 reported counts only once the office confirms it (over the filtered list)
    expect(await percent(page)).toBe('25.0%');
    expect(await page.locator('article[data-target="seal-abolition"] .reported-count').textContent()).toBe('1件');
    await showView(page, 'items');
    await page.locator('#filter-program').selectOption('seal');
    await page.locator('#filter-reported').check();
    await page.locator('#items-table tr[data-code="SV-01"] .reported-pill').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-reported-items.png') });
    await page.getByRole('button', { name: '表示中の報告済をすべて確認' }).click();
    await page.waitForFunction(() => document.querySelector('article[data-target="seal-abolition"] [data-role="percent"]')?.textContent === '50.0%');
    expect(await page.locator('article[data-target="seal-abolition"] .reported-count').count()).toBe(0);
    expect(unexpected(office.errors, 409)).toEqual([]);

    // the same 回答状況 on a phone
    const phone = await signIn(t.adminLogin, PHONE);
    await showView(phone.page, 'surveys');
    await round(phone.page).waitFor();
    await phone.page.locator('#surveys-section').screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-surveys.png') });
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(phone.errors).toEqual([]);
  });
});
