import * as fs from 'node:fs';
import * as iconv from 'iconv-lite';
import * as os from 'node:os';
import * as path from 'node:path';
import { Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/test-app';
import { BrowserSession, DESKTOP, logIn, PHONE, SCREENSHOTS, startBrowser, unexpected } from './browser-support';

// The clerk's work in the page (issue 14): upload a bad Shift_JIS sheet (errors by row, nothing
// written), map a sheet's own headers, upload a good one, bulk-change items, download the
// division's own sheet and upload it again unchanged. SQLite, clock at 2026-11-24.

interface ApiItem {
  id: number;
  code: string;
  status: string;
  completedOn: string | null;
  note: string | null;
}

describe('the clerk’s workbench in Chromium', () => {
  let t: TestApp;
  let session: BrowserSession;
  let editorLogin: string;
  let folder: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  const sjis = (name: string, lines: string[]) => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp932'));
    return file;
  };
  const sealItems = async (q = ''): Promise<ApiItem[]> =>
    (await t.http().get(`/api/v1/programs/seal/items?pageSize=500&q=${encodeURIComponent(q)}`).set(auth()).expect(200)).body.items;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    editorLogin = (await t.account('editor', '行政管理部')).login;
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-workbench-'));
    session = await startBrowser(t);
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function openSheets(page: Page) {
    await page.getByRole('link', { name: /^シート/ }).click();
    await page.locator('#import-section').waitFor({ state: 'visible' });
    await page.getByLabel('取組', { exact: true }).and(page.locator('#import-program')).selectOption({ label: '押印廃止' });
  }

  /** Signed in as the editor, the items list filtered to the three seal items W01–W03. */
  async function openSealW0(page: Page) {
    await logIn(page, editorLogin);
    await page.getByRole('link', { name: /^項目/ }).click();
    await page.locator('#filter-program').selectOption('seal');
    await page.locator('#filter-q').fill('W0');
    await page.locator('#items-filter').getByRole('button', { name: '検索' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#items-table tbody tr[data-code]').length === 3);
  }

  async function check(page: Page, file: string) {
    await page.getByLabel('ファイル', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: '確認する', exact: true }).click();
    await page.locator('#import-result').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('#import-section')?.hasAttribute('aria-busy'));
  }

  const count = async (page: Page, label: string) => (await page.locator(`#import-counts [data-count="${label}"] dd`).textContent()) ?? '';

  it('should show every row error of a bad Shift_JIS sheet and write nothing, then import a good one', async () => {
    const { page, errors } = await session.open();
    await logIn(page, editorLogin);
    await openSheets(page);
    const bad = sjis('bad.csv', [
      '管理番号,名称,所管課,状況,完了日',
      'W01,許可申請書,総務課,済,',
      'W02,届出書,総務課,廃止済,2026-13-40',
      'W03,報告書,市民課,押印必要,',
    ]);
    await check(page, bad);
    expect(await page.locator('#import-result-text').textContent()).toContain('何も書き込んでいません');
    const rows = await page.locator('#import-errors tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^2状況済/);
    expect(rows[1]).toMatch(/^3完了日2026-13-40/);
    expect(rows[2]).toContain('所属部局の課ではない');
    expect(await page.locator('#import-errors thead').textContent()).toBe('行列値内容');
    expect(await page.getByRole('button', { name: '取り込む' }).isDisabled()).toBe(true);
    expect(await sealItems('W0')).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-import-errors.png') });

    const good = sjis('good.csv', ['管理番号,名称,所管課,状況,完了日,予定日', 'W01,許可申請書,総務課,押印必要,,2026-10-31', 'W02,届出書,総務課,廃止済,2026-11-02,', 'W03,報告書,財政課,押印必要,,']);
    await check(page, good);
    expect(await count(page, '新規に登録')).toBe('3件');
    expect(await count(page, '誤り')).toBe('0件');
    // 取り込む sends the bytes just checked, even if the file on disk changes in between;
    // choosing another file resets the check
    fs.writeFileSync(good, iconv.encode('管理番号,名称,所管課,状況\r\nZZ9,別の内容,総務課,押印必要\r\n', 'cp932'));
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.waitForFunction(() => document.querySelector('#import-result')?.getAttribute('data-state') === 'applied');
    expect(await count(page, '新規に登録した')).toBe('3件');
    expect((await sealItems('W0')).map((item) => [item.code, item.status])).toEqual([
      ['W01', 'seal_required'],
      ['W02', 'abolished'],
      ['W03', 'seal_required'],
    ]);
    expect(await page.getByRole('button', { name: '取り込む' }).isDisabled()).toBe(true);
    expect(unexpected(errors, 422)).toEqual([]);
  });

  it('should show the progress of a large file: the upload, then the server checking every row', async () => {
    const { page, errors } = await session.open();
    await logIn(page, editorLogin);
    await openSheets(page);
    // about 1.5 MB: 20,000 rows
    const rows = Array.from({ length: 20_000 }, (_, index) => `BIG-${String(index).padStart(5, '0')},大量の様式の名称その${index}（確認用の長めの名称です）,総務課,押印必要`);
    const big = sjis('big.csv', ['管理番号,名称,所管課,状況', ...rows]);
    expect(fs.statSync(big).size).toBeGreaterThan(1024 * 1024);
    // record every text the progress line shows
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressTexts: string[] }).progressTexts = seen;
      new MutationObserver(() => seen.push(document.querySelector('#import-progress-text')?.textContent ?? '')).observe(document.querySelector('#import-progress-text')!, { childList: true, characterData: true, subtree: true });
    });
    await check(page, big);
    const texts = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
    expect(texts.some((text) => text.includes('MB。大きなファイルは'))).toBe(true);
    expect(texts).toContain('サーバーで全行を確認しています…');
    expect(await count(page, '新規に登録')).toBe('20,000件');
    expect(await page.locator('#import-progress').isHidden()).toBe(true);
    // a dry run: nothing written
    expect(await sealItems('BIG-')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('should let the clerk map a sheet’s own headers and remember the mapping for the program', async () => {
    const { page, errors } = await session.open();
    await logIn(page, editorLogin);
    await openSheets(page);
    const foreign = sjis('foreign.csv', ['No.,様式名,担当課,状況,廃止日', 'F01,旅費請求書,総務課,廃止済,2026-11-01', 'F02,物品借用書,総務課,押印必要,']);
    await check(page, foreign);
    expect(await page.locator('#import-result-text').textContent()).toContain('No.・様式名・担当課・状況・廃止日');
    const mapping = page.locator('#import-mapping');
    await mapping.waitFor({ state: 'visible' });
    // the usual headers are guessed; 廃止日 is chosen by hand
    expect(await mapping.getByLabel('No.', { exact: true }).inputValue()).toBe('code');
    expect(await mapping.getByLabel('様式名', { exact: true }).inputValue()).toBe('name');
    await mapping.getByLabel('廃止日', { exact: true }).selectOption({ label: '完了日' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-import-mapping.png') });
    await mapping.getByRole('button', { name: 'この対応で確認する' }).click();
    await page.waitForFunction(() => document.querySelector('#import-result')?.getAttribute('data-state') === 'checked');
    expect(await count(page, '新規に登録')).toBe('2件');
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.waitForFunction(() => document.querySelector('#import-result')?.getAttribute('data-state') === 'applied');
    expect((await sealItems('F0')).map((item) => [item.code, item.status, item.completedOn])).toEqual([
      ['F01', 'abolished', '2026-11-01'],
      ['F02', 'seal_required', null],
    ]);
    // the next upload of the same kind of sheet (another tab of this browser) needs no mapping
    const again = await page.context().newPage();
    await again.goto(`${session.baseUrl}/`);
    // the session cookie is the browser's: the new tab is signed in already
    await again.waitForFunction(() => Boolean(document.body.dataset.loadedAsOf));
    await openSheets(again);
    expect(await again.locator('#import-remembered-text').textContent()).toContain('No. → 管理番号、様式名 → 名称、担当課 → 所管課、廃止日 → 完了日');
    await check(again, foreign);
    expect(await again.locator('#import-result').getAttribute('data-state')).toBe('checked');
    expect(await count(again, '変更なし')).toBe('2件');
    expect(unexpected(errors, 422)).toEqual([]);
  });

  it('should change the selected items in one go, and every item of the filter with すべて選択', async () => {
    const { page, errors } = await session.open();
    await openSealW0(page);
    // W01 is past its 予定日 (2026-10-31): flagged in the list
    expect(await page.locator('#items-table tr[data-code="W01"] [data-role="overdue"]').textContent()).toBe('期限超過');
    expect(await page.locator('#items-table tr[data-code="W03"] [data-role="overdue"]').count()).toBe(0);
    for (const code of ['W01', 'W03']) await page.locator(`#items-table tr[data-code="${code}"]`).getByRole('checkbox', { name: '選択' }).check();
    expect(await page.locator('#selection-summary').textContent()).toBe('2件を選択中');
    await page.getByRole('button', { name: '一括変更' }).click();
    const dialog = page.locator('#bulk-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.locator('#bulk-count').textContent()).toContain('選択した2件');
    await dialog.getByLabel('状況').selectOption({ label: '廃止済' });
    await dialog.getByLabel('完了日').fill('2026-11-20');
    await dialog.getByLabel('備考').fill('電子申請に切替');
    expect(await dialog.locator('#bulk-confirm').textContent()).toContain('2件の状況を「廃止済」にします');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-bulk-dialog.png') });
    await dialog.getByRole('button', { name: '変更する' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('#status-message')?.textContent?.includes('2件の状況を変更しました'));
    const changed = await sealItems('W0');
    expect(changed.map((item) => [item.code, item.status, item.completedOn, item.note])).toEqual([
      ['W01', 'abolished', '2026-11-20', '電子申請に切替'],
      ['W02', 'abolished', '2026-11-02', null],
      ['W03', 'abolished', '2026-11-20', '電子申請に切替'],
    ]);
    const history = await t.http().get(`/api/v1/items/${changed[0].id}/history`).set(auth()).expect(200);
    expect(history.body.entries).toHaveLength(2);

    // すべて選択: every item the filter matches (F01, F02 and the W items: 5), not only the page
    await page.locator('#filter-q').fill('');
    await page.locator('#filter-status').selectOption({ label: '廃止済' });
    await page.waitForFunction(() => document.querySelector('#items-summary')?.textContent?.startsWith('4件'));
    await page.getByLabel('すべて選択').check();
    expect(await page.locator('#selection-summary').textContent()).toBe('条件に合う4件すべてを選択中');
    await page.getByRole('button', { name: '一括変更' }).click();
    await dialog.getByLabel('状況').selectOption({ label: '検討中' });
    await dialog.getByLabel('備考').fill('再確認のため');
    expect(await dialog.locator('#bulk-count').textContent()).toContain('条件に合う4件すべて');
    await dialog.getByRole('button', { name: '変更する' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await sealItems()).filter((item) => item.status === 'reviewing').map((item) => item.code)).toEqual(['F01', 'W01', 'W02', 'W03']);
    expect(errors).toEqual([]);
  });

  it('should refuse the whole bulk change, naming the item, when one item breaks a rule', async () => {
    const { page, errors } = await session.open();
    await openSealW0(page);
    await page.getByLabel('すべて選択').check();
    await page.getByRole('button', { name: '一括変更' }).click();
    const dialog = page.locator('#bulk-dialog');
    await dialog.getByLabel('状況').selectOption({ label: '法令上存続' });
    await dialog.getByRole('button', { name: '変更する' }).click();
    await dialog.locator('#bulk-error').waitFor({ state: 'visible' });
    expect(await dialog.locator('#bulk-error-text').textContent()).toContain('どの項目も変更していません');
    expect(await dialog.locator('#bulk-error-list').textContent()).toContain('W01');
    expect((await sealItems('W0')).every((item) => item.status === 'reviewing')).toBe(true);
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    expect(unexpected(errors, 422)).toEqual([]);
  });

  it('should download the division’s own sheet and take it back unchanged', async () => {
    const { page, errors } = await session.open();
    await logIn(page, editorLogin);
    await page.getByRole('link', { name: /^シート/ }).click();
    await page.locator('#sheet-program').selectOption('seal');
    await page.locator('#sheet-division').selectOption({ label: '総務課' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '課のシートをダウンロード' }).click()]);
    expect(download.suggestedFilename()).toBe('押印廃止_総務課.xlsx');
    const saved = path.join(folder, download.suggestedFilename());
    await download.saveAs(saved);
    await openSheets(page);
    await check(page, saved);
    expect(await page.locator('#import-result').getAttribute('data-state')).toBe('checked');
    // 総務課 holds W01, W02, F01, F02
    expect(await count(page, '変更なし')).toBe('4件');
    expect(await count(page, '新規に登録')).toBe('0件');
    expect(await count(page, '更新')).toBe('0件');
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '空のテンプレートをダウンロード' }).click()]);
    expect(template.suggestedFilename()).toBe('押印廃止_テンプレート.xlsx');
    expect(errors).toEqual([]);
  });

  it('should add an item and edit its fields', async () => {
    const { page, errors } = await session.open();
    await logIn(page, editorLogin);
    await page.getByRole('link', { name: /^項目/ }).click();
    await page.locator('#filter-program').selectOption('seal');
    await page.getByRole('button', { name: '項目を追加' }).click();
    const dialog = page.locator('#item-dialog');
    await dialog.getByLabel('管理番号').fill('N01');
    await dialog.getByLabel('名称').fill('新しい様式');
    await dialog.getByLabel('所管課').selectOption({ label: '財政課' });
    await dialog.getByLabel('予定日').fill('2027-03-31');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [created] = await sealItems('N01');
    expect(created).toMatchObject({ code: 'N01', status: 'seal_required', dueOn: '2027-03-31' });
    await page.locator('#filter-q').fill('N01');
    await page.locator('#items-filter').getByRole('button', { name: '検索' }).click();
    await page.locator('#items-table tr[data-code="N01"]').waitFor();
    await page.getByRole('button', { name: 'N01を編集' }).click();
    await dialog.getByLabel('名称').fill('新しい様式（改）');
    await dialog.getByLabel('予定日').fill('2027-01-31');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-item-dialog.png') });
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [edited] = await sealItems('N01');
    expect(edited).toMatchObject({ name: '新しい様式（改）', dueOn: '2027-01-31', version: 2 });
    expect(errors).toEqual([]);
  });

  it('should show progress per 課 and the overdue list of the own department, and fit both screens', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, errors } = await session.open(viewport);
      await logIn(page, editorLogin);
      const size = `${viewport === PHONE ? 'phone' : 'desktop'}-${viewport.width}x${viewport.height}`;
      // an editor starts on the own department, per 課
      expect(await page.locator('#departments-unit').inputValue()).toBe('division');
      const divisions = await page.locator('#departments-table tbody th').allTextContents();
      expect(divisions).toContain('総務課');
      expect(divisions).toContain('財政課');
      expect(await page.locator('#overdue-department').inputValue()).toBe('D01');
      await page.screenshot({ path: path.join(SCREENSHOTS, `${size}-workbench-progress.png`) });
      for (const view of ['項目', 'シート']) {
        await page.getByRole('link', { name: new RegExp(`^${view}`) }).click();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${size}-workbench-${view === '項目' ? 'items' : 'sheets'}.png`), fullPage: viewport === PHONE });
      }
      // the bulk dialog fits the screen too
      await page.getByRole('link', { name: /^項目/ }).click();
      await page.locator('#items-table input[data-role="select"]:not(:disabled)').first().check();
      await page.getByRole('button', { name: '一括変更' }).click();
      const box = await page.locator('#bulk-dialog').boundingBox();
      expect(box!.width).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${size}-workbench-bulk-dialog.png`) });
      await page.getByRole('button', { name: 'キャンセル' }).click();
      expect(errors).toEqual([]);
    }
  });

  it('should let the reform office create and edit a target, plan it month by month, check and apply a reorganization, and read the log', async () => {
    const { page, errors } = await session.open();
    await logIn(page, t.adminLogin);
    await page.getByRole('link', { name: /^改革担当/ }).click();
    await page.locator('#office-targets-table tbody tr[data-target]').first().waitFor();
    // a target with a 和暦 deadline
    await page.getByLabel('目標ID（英小文字・数字・ハイフン）').fill('seal-d01');
    await page.getByLabel('目標の取組').selectOption({ label: '押印廃止' });
    await page.getByLabel('目標の名称').fill('押印廃止（行政管理部）');
    await page.getByLabel('期限', { exact: true }).fill('令和8年度末');
    await page.getByLabel('範囲: 部局').selectOption({ label: '行政管理部' });
    await page.getByRole('button', { name: '目標を登録する' }).click();
    await page.locator('#office-targets-table tr[data-target="seal-d01"]').waitFor();
    expect(await page.locator('#office-targets-table tr[data-target="seal-d01"]').textContent()).toContain('令和8年度末');
    // edited: an ISO deadline
    await page.getByRole('button', { name: 'seal-d01を編集' }).click();
    await page.getByLabel('期限', { exact: true }).fill('2027-01-31');
    await page.getByRole('button', { name: '変更を保存' }).click();
    await page.waitForFunction(() => document.querySelector('#office-targets-table tr[data-target="seal-d01"]')?.textContent?.includes('令和9年1月31日'));
    const target = await t.http().get('/api/v1/targets/seal-d01').set(auth()).expect(200);
    expect(target.body).toMatchObject({ deadline: '2027-01-31', scope: { department: 'D01' } });
    // the card on the progress view follows
    expect(await page.locator('article[data-target="seal-d01"] .target-meta').textContent()).toContain('令和9年1月31日');

    // the monthly plan: from 2026-10, past the deadline
    await page.getByLabel('計画の目標').selectOption('seal-d01');
    await page.getByLabel('最初の月').fill('2026-10');
    await page.getByLabel('最後の月').fill('2027-02');
    await page.getByRole('button', { name: '月を並べる' }).click();
    for (const [month, planned] of [['令和8年10月', '2'], ['令和8年11月', '1'], ['令和8年12月', '1'], ['令和9年1月', '1'], ['令和9年2月（期限後）', '1']]) {
      await page.getByLabel(month, { exact: true }).fill(planned);
    }
    expect(await page.locator('#plan-summary').textContent()).toBe('5か月、計画の合計 6件');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-office-plan.png') });
    await page.getByRole('button', { name: '計画を保存', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('#status-message')?.textContent?.includes('月別計画を保存しました'));
    const plan = await t.http().get('/api/v1/targets/seal-d01/plan').set(auth()).expect(200);
    expect(plan.body.months.map((month: { month: string; planned: number }) => [month.month, month.planned])).toEqual([
      ['2026-10', 2],
      ['2026-11', 1],
      ['2026-12', 1],
      ['2027-01', 1],
      ['2027-02', 1],
    ]);

    // or as a sheet: checked (a bad month named by row), then saved
    const planSheet = path.join(folder, '計画.csv');
    fs.writeFileSync(planSheet, '\uFEFF月,計画件数\r\n令和8年10月,3\r\n令和8年13月,1\r\n');
    await page.getByLabel('計画シート').setInputFiles(planSheet);
    await page.getByRole('button', { name: 'シートを確認する' }).click();
    await page.waitForFunction(() => document.querySelector('#plan-sheet-result')?.getAttribute('data-state') === 'error');
    expect(await page.locator('#plan-sheet-errors').textContent()).toContain('行3 列「月」 値「令和8年13月」');
    fs.writeFileSync(planSheet, '\uFEFF月,計画件数\r\n令和8年10月,3\r\n令和8年11月,3\r\n');
    await page.getByLabel('計画シート').setInputFiles(planSheet);
    await page.getByRole('button', { name: 'シートを確認する' }).click();
    await page.waitForFunction(() => document.querySelector('#plan-sheet-result')?.getAttribute('data-state') === 'checked');
    await page.getByRole('button', { name: 'シートの計画を保存' }).click();
    await page.waitForFunction(() => document.querySelector('#plan-sheet-result')?.getAttribute('data-state') === 'applied');
    const fromSheet = await t.http().get('/api/v1/targets/seal-d01/plan').set(auth()).expect(200);
    expect(fromSheet.body.totalPlanned).toBe(6);
    expect(fromSheet.body.months).toHaveLength(2);

    // a reorganization: checked (each change listed, nothing written), then applied
    const reorg = path.join(folder, 'reorg.json');
    fs.writeFileSync(reorg, JSON.stringify({ effectiveOn: '2026-11-01', note: '改称', moves: [{ division: '財政課', rename: '財政・資産課' }] }));
    await page.getByLabel('改編ファイル（JSON）').setInputFiles(reorg);
    await page.getByRole('button', { name: '改編を確認する' }).click();
    await page.waitForFunction(() => document.querySelector('#reorg-result')?.getAttribute('data-state') === 'checked');
    expect(await page.locator('#reorg-changes').textContent()).toContain('課を改称: D01-04 →「財政・資産課」');
    const before = await t.http().get('/api/v1/organization').set(auth()).expect(200);
    expect(JSON.stringify(before.body)).not.toContain('財政・資産課');
    await page.getByRole('button', { name: '改編を適用する' }).click();
    await page.waitForFunction(() => document.querySelector('#reorg-result')?.getAttribute('data-state') === 'applied');
    const after = await t.http().get('/api/v1/organization').set(auth()).expect(200);
    expect(JSON.stringify(after.body)).toContain('財政・資産課');

    // the log: times on the city's clock (the test clock is 2026-11-24 01:00 UTC = 10:00 JST)
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '目標の変更' });
    await page.getByRole('button', { name: '記録を表示' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr[data-action="target_updated"]').length === 1);
    const row = await page.locator('#audit-table tbody tr').first().textContent();
    expect(row).toContain('2026/11/24 10:00:00');
    expect(row).toContain('test-admin');
    expect(row).toContain('期限 2027-03-31 → 2027-01-31');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-office-audit.png') });
    // an editor has no such view
    const editor = await session.open();
    await logIn(editor.page, editorLogin);
    expect(await editor.page.getByRole('link', { name: /^改革担当/ }).count()).toBe(0);
    expect(unexpected(errors, 422)).toEqual([]);
  });
});
