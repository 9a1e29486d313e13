import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Page } from 'playwright-core';
import { UsersService } from '../../src/auth/users.service';
import { startTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';
import { BrowserSession, chartOf, logIn, PHONE, SCREENSHOTS, showView, startBrowser, unexpected } from './browser-support';

/** The page's views (the menu) and the sections each shows. */
const VIEW_SECTIONS: [string, string[]][] = [
  ['progress', ['targets', 'take-up', 'departments', 'overdue']],
  ['items', ['items']],
  ['sheets', ['import', 'downloads']],
];

// The dashboard in a real browser (Debian's Chromium) against the real app on SQLite, with the
// clock fixed at 2026-11-24. Run with `npm run test:browser`. The plan curve and the take-up
// chart over a filled sample city are in plans.browser.ts.

describe('dashboard in Chromium', () => {
  let t: TestApp;
  let session: BrowserSession;
  let editorLogin: string;
  let viewerLogin: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const open = (viewport?: { width: number; height: number }) => session.open(viewport);

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    // ten seal items of 総務課 (行政管理部): four abolished, two legally required, four open → 50 %
    const rows = [
      { code: 'S01', status: '廃止済', completedOn: '2026-05-10' },
      { code: 'S02', status: '廃止済', completedOn: '2026-05-20' },
      { code: 'S03', status: '廃止済', completedOn: '2026-08-01' },
      { code: 'S04', status: '廃止済', completedOn: '2026-10-15' },
      { code: 'S05', status: '法令上存続', note: '法定様式', legalBasis: '戸籍法施行規則' },
      { code: 'S06', status: '法令上存続', note: '法定様式', legalBasis: '住民基本台帳法施行令' },
      { code: 'S07', status: '押印必要', dueOn: '2026-09-30' },
      { code: 'S08', status: '検討中' },
      { code: 'S09', status: '押印必要' },
      { code: 'S10', status: '押印必要' },
    ];
    for (const row of rows) {
      await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ name: `申請書様式${row.code}`, division: '総務課', ...row }).expect(201);
    }
    editorLogin = (await t.account('editor', '行政管理部')).login;
    viewerLogin = (await t.account('viewer')).login;
    session = await startBrowser(t);
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  const percentOf = (page: Page, target: string) => page.locator(`article[data-target="${target}"] [data-role="percent"]`);

  async function itemRow(page: Page, program: string, code: string) {
    await showView(page, 'items');
    await page.locator('#filter-program').selectOption(program);
    await page.locator('#filter-q').fill(code);
    await page.locator('#items-filter').getByRole('button', { name: '検索' }).click();
    const row = page.locator(`#items-table tr[data-code="${code}"]`);
    await row.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#items-table tbody tr').length === 1);
    return row;
  }

  async function apiItem(code: string): Promise<{ id: number; version: number }> {
    const list = await t.http().get(`/api/v1/programs/seal/items?q=${code}`).set(auth()).expect(200);
    return list.body.items[0];
  }

  it('should refuse a wrong password, then sign in with ID and password and read the progress of every target', async () => {
    const { page, errors } = await open();
    await expect(page.title()).resolves.toContain('進捗ダッシュボード');
    await page.getByLabel('ログインID').fill(t.adminLogin);
    await page.getByLabel('パスワード', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForFunction(() => document.querySelector('#login-message')?.textContent?.includes('ログインIDまたはパスワードが正しくありません'));
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await page.getByLabel('パスワード', { exact: true }).getAttribute('type')).toBe('password');

    await logIn(page, t.adminLogin);
    // the session is an HttpOnly cookie the page's scripts cannot read; nothing is kept in storage
    const cookies = await page.context().cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([['tracker_session', true, 'Strict']]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await expect(page.locator('#session-user').textContent()).resolves.toContain('test-admin（管理者）');

    const seal = page.locator('article[data-target="seal-abolition"]');
    expect(await percentOf(page, 'seal-abolition').textContent()).toBe('50.0%');
    expect(await seal.locator('.verdict-badge').textContent()).toBe('順調');
    expect(await seal.getAttribute('data-verdict')).toBe('on_track');
    expect(await seal.locator('.target-meta').textContent()).toContain('令和9年度末');
    expect(await seal.locator('.bar').getAttribute('aria-label')).toBe('全10件のうち、完了4件、残り4件、対象外2件');
    const progress = await t.http().get('/api/v1/progress').set(auth()).expect(200);
    const expected = progress.body.targets.find((target: { id: string }) => target.id === 'seal-abolition');
    expect(await seal.locator('.facts').textContent()).toContain(`ペース（直近6か月）月${expected.pacePerMonth.toFixed(1)}件`);
    expect(await seal.locator('.facts').textContent()).toContain(`必要なペース月${expected.neededPerMonth.toFixed(1)}件`);
    // the burn-up: a canvas drawn by Chart.js, and the same points as a table
    await seal.locator('canvas').waitFor();
    expect(await page.evaluate(() => typeof (window as unknown as { Chart?: unknown }).Chart)).toBe('function');
    expect(await seal.locator('canvas').getAttribute('aria-label')).toContain('令和8年11月 4件');
    const pointRows = await seal.locator('details tbody tr').allTextContents();
    expect(pointRows).toHaveLength(24);
    expect(pointRows.at(-1)).toBe('令和8年11月48');
    // no monthly plan here: no plan figure in the card, no plan column, no plan dataset
    expect(await seal.locator('[data-role="plan"]').count()).toBe(0);
    expect(await seal.locator('details thead').textContent()).toBe('月完了対象（分母）');
    const datasets = (await chartOf(seal.locator('canvas'))).datasets.map((dataset) => dataset.label);
    expect(datasets).toEqual(['完了', '期限までの直線（令和9年度末に8件）', '対象（分母）']);
    // オンライン利用率: none of the national procedures is online yet, so there is nothing to chart
    expect(await page.locator('#take-up-period').textContent()).toBe('令和7年12月〜令和8年11月（12か月）・現在オンライン化済の手続 0件');
    expect(await page.locator('#take-up-chart').textContent()).toBe('現在オンライン化済の手続はありません。');
    expect(await page.locator('#take-up-summary [data-group="total"]').textContent()).toBe('全体記録なし0手続 ／ オンライン 0件 ／ 窓口・紙 0件');
    const mynumber = page.locator('article[data-target="online-mynumber27"]');
    expect(await mynumber.locator('.verdict-badge').textContent()).toBe('期限超過');
    // the deadline is said once (no 令和7年9月30日（令和7年9月30日）)
    expect(await mynumber.locator('.target-meta').textContent()).toBe('オンライン化・マイナンバー27 ／ 期限 令和7年9月30日');
    expect(await mynumber.locator('.facts').textContent()).toContain('必要なペース期限を過ぎています');
    expect(await page.locator('article[data-target="analog-review"] .verdict-badge').textContent()).toBe('未登録');
    expect(await page.locator('article[data-target="analog-review"] [data-role="percent"]').textContent()).toBe('—');

    // overdue list: the 51 national procedures past their deadlines, S07 past its due date and the
    // 24 seeded reform initiatives (still 未着手) past their own dates
    await expect(page.locator('#overdue-summary').textContent()).resolves.toContain('期限超過 76件');
    expect(await page.locator('#overdue-table tr[data-code="S07"]').textContent()).toContain('予定日（令和8年9月30日）を過ぎています');
    // the 401 of the wrong password is the browser's own network log, not a page error
    expect(unexpected(errors, 401)).toEqual([]);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-top.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-full.png'), fullPage: true });
    for (const [view, sections] of VIEW_SECTIONS) {
      await showView(page, view);
      for (const section of sections) await page.locator(`#${section}-section`).screenshot({ path: path.join(SCREENSHOTS, `desktop-1366x768-${section}.png`) });
    }
  });

  it('should redraw everything for another as-of date', async () => {
    const { page, errors } = await open();
    await logIn(page, t.adminLogin);
    await page.getByLabel('基準日').fill('2026-06-30');
    await page.waitForFunction(() => document.body.dataset.loadedAsOf === '2026-06-30');
    expect(await percentOf(page, 'seal-abolition').textContent()).toBe('25.0%');
    expect(await page.locator('#as-of-label').textContent()).toContain('令和8年6月30日');
    expect(await page.locator('#download-compliance').getAttribute('href')).toBe('/api/v1/reports/compliance.xlsx?asOf=2026-06-30');
    expect(await page.locator('article[data-target="seal-abolition"] details tbody tr').last().textContent()).toBe('令和8年6月28');
    // on a deadline day with items left: the verdict 遅れ and the needed pace say the same thing
    await page.getByLabel('基準日').fill('2025-09-30');
    await page.waitForFunction(() => document.body.dataset.loadedAsOf === '2025-09-30');
    const mynumber = page.locator('article[data-target="online-mynumber27"]');
    expect(await mynumber.locator('.verdict-badge').textContent()).toBe('遅れ');
    expect(await mynumber.locator('.facts').textContent()).toContain('必要なペース期限は今日です（残り27件）');
    await page.getByRole('button', { name: '今日に戻す' }).click();
    await page.waitForFunction(() => document.body.dataset.loadedAsOf === '2026-11-24');
    expect(await percentOf(page, 'seal-abolition').textContent()).toBe('50.0%');
    expect(errors).toEqual([]);
  });

  it('should sort the departments table by mouse and by keyboard', async () => {
    const { page, errors } = await open();
    await logIn(page, t.adminLogin);
    const table = page.locator('#departments-table');
    const percentHeader = table.locator('th', { has: page.locator('button[data-sort="percent"]') });
    await table.locator('button[data-sort="percent"]').click();
    expect(await percentHeader.getAttribute('aria-sort')).toBe('descending');
    const firstRow = async () => (await table.locator('tbody tr').first().textContent()) ?? '';
    expect(await firstRow()).toContain('押印廃止');
    expect(await firstRow()).toContain('50.0%');
    // keyboard: focus stays on the header button; Enter flips the order
    await page.keyboard.press('Enter');
    expect(await percentHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await firstRow()).toContain('0.0%');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    const remainingHeader = table.locator('th', { has: page.locator('button[data-sort="remaining"]') });
    expect(await remainingHeader.getAttribute('aria-sort')).toBe('descending');
    // the program filter narrows the table
    await page.locator('#departments-program').selectOption('seal');
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('should let an editor report a completion (counted once confirmed); a viewer sees no edit controls', async () => {
    const { page, errors } = await open();
    await logIn(page, editorLogin);
    // an editor starts on the own department's items
    expect(await page.locator('#filter-department').inputValue()).toBe('D01');
    const row = await itemRow(page, 'seal', 'S09');
    await row.getByRole('button', { name: 'S09の状況を変更' }).click();
    const dialog = page.locator('#edit-dialog');
    expect(await dialog.isVisible()).toBe(true);
    // focus moves into the dialog
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-status');
    await dialog.getByLabel('新しい状況').selectOption({ label: '廃止済' });
    expect(await dialog.getByLabel('完了日（空欄なら今日）').isVisible()).toBe(true);
    expect(await dialog.locator('#edit-effective').isVisible()).toBe(false);
    await dialog.getByLabel('備考').fill('署名に切替');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-edit-dialog.png') });
    await dialog.getByRole('button', { name: '保存' }).click();
    // seal completions wait for the office's confirmation: reported, the percent stays
    await page.locator('article[data-target="seal-abolition"] .reported-count').waitFor({ state: 'attached' });
    expect(await page.locator('article[data-target="seal-abolition"] .reported-count').textContent()).toBe('1件');
    expect(await percentOf(page, 'seal-abolition').textContent()).toBe('50.0%');
    expect(await dialog.isVisible()).toBe(false);
    await page.waitForFunction(() => document.querySelector('#status-message')?.textContent?.includes('S09 を「廃止済」に更新しました'));
    expect(await page.locator('#status-message').textContent()).toContain('S09 を「廃止済」に更新しました');
    expect(await row.locator('[data-role="status"]').textContent()).toBe('廃止済');
    expect(await page.locator('#items-table tr[data-code="S09"] .reported-pill').textContent()).toBe('報告済（確認待ち）');

    // the history shows the change, by this editor
    await page.locator('#items-table tr[data-code="S09"]').getByRole('button', { name: 'S09の変更履歴' }).click();
    const history = page.locator('#history-dialog');
    await history.waitFor({ state: 'visible' });
    const entries = await history.locator('tbody tr').allTextContents();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toContain('押印必要廃止済令和8年11月24日署名に切替');
    await page.keyboard.press('Escape');
    expect(await history.isVisible()).toBe(false);
    // an item of another department offers no change
    await page.locator('#filter-department').selectOption('');
    const other = await itemRow(page, 'online', 'MN-01');
    expect(await other.getByRole('button', { name: 'MN-01の状況を変更' }).count()).toBe(0);
    expect(errors).toEqual([]);

    const viewer = await open();
    await logIn(viewer.page, viewerLogin);
    await itemRow(viewer.page, 'seal', 'S10');
    expect(await viewer.page.locator('#items-table').getByRole('button', { name: /状況を変更/ }).count()).toBe(0);
    expect(await viewer.page.locator('#items-table').getByRole('button', { name: 'S10の変更履歴' }).count()).toBe(1);
    expect(viewer.errors).toEqual([]);
  });

  it('should say so on a 409 when someone else changed the item first, and save after a reload', async () => {
    const { page, errors } = await open();
    await logIn(page, t.adminLogin);
    const row = await itemRow(page, 'seal', 'S10');
    const before = await percentOf(page, 'seal-abolition').textContent();
    await row.getByRole('button', { name: 'S10の状況を変更' }).click();
    const dialog = page.locator('#edit-dialog');
    await dialog.getByLabel('新しい状況').selectOption({ label: '廃止済' });

    // meanwhile, someone changes S10 through the API
    const item = await apiItem('S10');
    await t.http().patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: '検討中', version: item.version }).expect(200);

    await dialog.getByRole('button', { name: '保存' }).click();
    const alert = dialog.locator('#edit-error');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('他の人が先に更新しました。再読み込みしてください');
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await percentOf(page, 'seal-abolition').textContent()).toBe(before);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-conflict.png') });

    await dialog.getByRole('button', { name: '再読み込み' }).click();
    await page.waitForFunction(() => document.querySelector('#edit-current')?.textContent?.includes('現在の状況: 検討中'));
    expect(await alert.isVisible()).toBe(false);
    // the user's choice is kept: save again with the new version
    expect(await dialog.getByLabel('新しい状況').inputValue()).toBe('abolished');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.waitForFunction((previous) => document.querySelector('article[data-target="seal-abolition"] [data-role="percent"]')?.textContent !== previous, before);
    // an administrator's own completion counts at once (S09 still awaits confirmation)
    expect(await percentOf(page, 'seal-abolition').textContent()).toBe('62.5%');
    // the 409 is the browser's network log of an expected answer, not a page error
    expect(unexpected(errors, 409)).toEqual([]);
  });

  it('should show the API’s message on a validation error and mark the field', async () => {
    const { page, errors } = await open();
    await logIn(page, t.adminLogin);
    const row = await itemRow(page, 'seal', 'S08');
    await row.getByRole('button', { name: 'S08の状況を変更' }).click();
    const dialog = page.locator('#edit-dialog');
    await dialog.getByLabel('新しい状況').selectOption({ label: '法令上存続' });
    expect(await dialog.getByLabel('根拠法令（法令名と条項）').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: '保存' }).click();
    const alert = dialog.locator('#edit-error');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('備考に理由が必要です');
    expect(await alert.textContent()).toContain('根拠法令');
    expect(await dialog.locator('#edit-note').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('button', { name: '再読み込み' }).isVisible()).toBe(false);
    // a date in the future is refused by the API too, with its message
    await dialog.getByLabel('新しい状況').selectOption({ label: '廃止済' });
    await dialog.getByLabel('完了日（空欄なら今日）').fill('2026-12-01');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.waitForFunction(() => document.querySelector('#edit-error-text')?.textContent?.includes('完了日 2026-12-01'));
    await page.getByRole('button', { name: 'キャンセル' }).click();
    expect(await dialog.isVisible()).toBe(false);
    // focus returns to the button that opened the dialog
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('S08の状況を変更');
    expect(unexpected(errors, 400)).toEqual([]);
  });

  it('should download the compliance workbook and a CSV with the token', async () => {
    const { page, errors } = await open();
    await logIn(page, t.adminLogin);
    await showView(page, 'sheets');
    const workbook = page.locator('#download-compliance');
    expect(await workbook.getAttribute('href')).toBe('/api/v1/reports/compliance.xlsx?asOf=2026-11-24');
    const csv = page.locator('#download-seal-csv');
    expect(await csv.getAttribute('href')).toBe('/api/v1/programs/seal/items.csv');
    const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-downloads-'));
    try {
      const [xlsx] = await Promise.all([page.waitForEvent('download'), workbook.click()]);
      expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
      const savedXlsx = path.join(downloads, xlsx.suggestedFilename());
      await xlsx.saveAs(savedXlsx);
      // an xlsx file is a zip archive
      expect(fs.readFileSync(savedXlsx).subarray(0, 2).toString()).toBe('PK');
      await page.waitForFunction(() => document.querySelector('#status-message')?.textContent?.includes('をダウンロードしました'));

      const [table] = await Promise.all([page.waitForEvent('download'), csv.click()]);
      expect(table.suggestedFilename()).toMatch(/\.csv$/);
      const savedCsv = path.join(downloads, table.suggestedFilename());
      await table.saveAs(savedCsv);
      const text = fs.readFileSync(savedCsv, 'utf8');
      expect(text).toContain('管理番号');
      expect(text).toContain('S07');
    } finally {
      fs.rmSync(downloads, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
  });

  it('should return to the login form with a message when the session ends, keep it over a reload, and log out', async () => {
    const { page, errors } = await open();
    const users = t.app.get(UsersService);
    const leaving = await t.account('viewer');
    await logIn(page, leaving.login);
    // a reload keeps the session (the cookie) and the page asks for no password
    await page.reload();
    await page.waitForFunction(() => Boolean(document.body.dataset.loadedAsOf));
    expect(await page.locator('#login').isHidden()).toBe(true);
    await users.disable(await users.byLogin(leaving.login));
    await page.getByLabel('基準日').fill('2026-10-31');
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.locator('#login-message').textContent()).toContain('もう一度ログインしてください');
    expect(unexpected(errors, 401)).toEqual([]);

    const second = await open();
    await logIn(second.page, t.adminLogin);
    await second.page.getByRole('button', { name: 'ログアウト' }).click();
    await second.page.locator('#login').waitFor({ state: 'visible' });
    // announce() sets the text on the next frame, after the form shows: wait for it, not a moment
    await second.page.waitForFunction(() => document.querySelector('#status-message')?.textContent?.includes('ログアウトしました'));
    expect(await second.page.locator('#status-message').textContent()).toContain('ログアウトしました');
    // a reload stays logged out: the session ended on the server
    await second.page.reload();
    await second.page.locator('#login').waitFor({ state: 'visible' });
    expect(await second.page.locator('#dashboard').isHidden()).toBe(true);
    expect(unexpected(second.errors, 401)).toEqual([]);
  });

  it('should make a new user change the temporary password at the first sign-in', async () => {
    const created = await t.app.get(UsersService).create({ name: '新規 職員', login: 'shinki', role: 'viewer' });
    const { page, errors } = await open();
    await page.getByLabel('ログインID').fill('shinki');
    await page.getByLabel('パスワード', { exact: true }).fill(created.temporaryPassword!);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByLabel('新しいパスワード').waitFor({ state: 'visible' });
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-password');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-password-change.png') });
    // too short: the server's rule, shown in the form
    await page.getByLabel('新しいパスワード').fill('mijikai');
    await page.getByLabel('確認のためもう一度入力').fill('mijikai');
    await page.getByRole('button', { name: '変更する' }).click();
    await page.waitForFunction(() => document.querySelector('#password-change-message')?.textContent?.includes('12文字以上'));
    await page.getByLabel('新しいパスワード').fill('hakodate-no-yakei-2026');
    await page.getByLabel('確認のためもう一度入力').fill('hakodate-no-yakei-2026');
    await page.getByRole('button', { name: '変更する' }).click();
    await page.waitForFunction(() => Boolean(document.body.dataset.loadedAsOf));
    expect(await page.locator('#password-change').count()).toBe(0);
    await t.http().post('/api/v1/auth/login').send({ login: 'shinki', password: 'hakodate-no-yakei-2026' }).expect(200);
    expect(unexpected(errors, 400)).toEqual([]);
  });

  it('should let an admin add a user (temporary password shown once), change its role, issue a token and disable it', async () => {
    const { page, errors } = await open();
    await logIn(page, t.adminLogin);
    // the menu's 「利用者」 view, shown to administrators
    await showView(page, 'users');
    const section = page.locator('#users-section');
    await section.locator('#users-table tbody tr').first().waitFor();
    await section.getByLabel('氏名', { exact: true }).fill('福祉 花子');
    await section.getByLabel('利用者ID', { exact: true }).fill('fukushi.hanako');
    await section.getByLabel('役割', { exact: true }).selectOption({ label: '編集者' });
    await section.getByLabel('所属', { exact: true }).selectOption({ label: '行政管理部' });
    await section.getByRole('button', { name: '利用者を追加' }).click();
    const secret = section.locator('#users-secret code');
    await secret.waitFor();
    const temporary = (await secret.textContent())!;
    expect(temporary).toMatch(/^[A-Za-z0-9]{16}$/);
    const row = section.locator('#users-table tr[data-login="fukushi.hanako"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('仮（初回に変更）');
    await section.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-users.png') });

    // the new user signs in with it and must choose a new password first
    const newcomer = await open();
    await newcomer.page.getByLabel('ログインID').fill('fukushi.hanako');
    await newcomer.page.getByLabel('パスワード', { exact: true }).fill(temporary);
    await newcomer.page.getByRole('button', { name: 'ログイン' }).click();
    await newcomer.page.getByLabel('新しいパスワード').waitFor({ state: 'visible' });

    // role: a change of the select saves it
    await row.getByLabel('fukushi.hanakoの役割').selectOption({ label: '閲覧者' });
    await page.waitForFunction(() => document.querySelector('#status-message')?.textContent?.includes('役割・所属を変更しました'));
    const listed = await t.http().get('/api/v1/users').set(auth()).expect(200);
    expect(listed.body.users.find((user: { login: string }) => user.login === 'fukushi.hanako')).toMatchObject({ role: 'viewer', department: '行政管理部' });

    await section.locator('#users-table tr[data-login="fukushi.hanako"]').getByRole('button', { name: 'APIトークンを発行' }).click();
    await page.waitForFunction(() => /^pdt_/.test(document.querySelector('#users-secret code')?.textContent ?? ''));
    const token = (await secret.textContent())!;
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);

    page.once('dialog', (dialog) => void dialog.accept());
    await section.locator('#users-table tr[data-login="fukushi.hanako"]').getByRole('button', { name: '無効にする' }).click();
    await page.waitForFunction(() => document.querySelector('#users-table tr[data-login="fukushi.hanako"]')?.textContent?.includes('無効'));
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(errors).toEqual([]);

    // a viewer has no such section
    const viewer = await open();
    await logIn(viewer.page, viewerLogin);
    expect(await viewer.page.locator('#users-section').count()).toBe(0);
  });

  it('should be usable by keyboard alone, with a visible focus ring', async () => {
    const { page, errors } = await open();
    // the login ID field has focus on arrival; one step back is the skip link
    await page.waitForFunction(() => document.activeElement?.id === 'login-id');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('本文へ移動');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.adminLogin);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => Boolean(document.body.dataset.loadedAsOf));
    // after logging in, focus is at the start of the content and Tab walks into it
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    await page.keyboard.press('Tab');
    // the first stop is the menu of views, on 進捗
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('進捗');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    // every visible control can take focus, and every form control has a label
    const unreachable = await page.evaluate(() =>
      [...document.querySelectorAll('#dashboard button, #dashboard a, #dashboard input, #dashboard select')]
        .filter((node) => (node as HTMLElement).offsetParent !== null && (node as HTMLElement).tabIndex < 0)
        .map((node) => node.outerHTML.slice(0, 80)),
    );
    expect(unreachable).toEqual([]);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((node) => !(node as HTMLInputElement).labels?.length && !node.getAttribute('aria-label'))
        .map((node) => node.id),
    );
    expect(unlabelled).toEqual([]);
    // the menu opens the items view from the keyboard; an item's status dialog opens and closes
    // from the keyboard, and focus comes back
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('項目の一覧・変更');
    await page.keyboard.press('Enter');
    await page.locator('#items-section').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('items-title');
    const change = page.locator('#items-table').getByRole('button', { name: /の状況を変更$/ }).first();
    await change.focus();
    await page.keyboard.press('Enter');
    await page.locator('#edit-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#edit-dialog').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/の状況を変更$/);
    expect(errors).toEqual([]);
  });

  it('should fit a 390px phone screen without sideways scrolling of the page', async () => {
    const { page, errors } = await open(PHONE);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-login.png') });
    await logIn(page, t.adminLogin);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const card = page.locator('article[data-target="seal-abolition"]');
    const box = await card.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-top.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-full.png'), fullPage: true });
    for (const [view, sections] of VIEW_SECTIONS) {
      await showView(page, view);
      for (const section of sections) await page.locator(`#${section}-section`).screenshot({ path: path.join(SCREENSHOTS, `phone-390x844-${section}.png`) });
    }
    const row = await itemRow(page, 'seal', 'S07');
    await row.getByRole('button', { name: 'S07の状況を変更' }).click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-edit-dialog.png') });
    const dialogBox = await page.locator('#edit-dialog').boundingBox();
    expect(dialogBox!.width).toBeLessThanOrEqual(PHONE.width);
    expect(errors).toEqual([]);
  });
});
