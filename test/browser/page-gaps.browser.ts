import * as fs from 'node:fs';
import * as path from 'node:path';
import { Page } from 'playwright-core';
import { FOLDERS } from '../support/folders-program';
import { startTestApp, TestApp } from '../support/test-app';
import { BrowserSession, DESKTOP, logIn, PHONE, SCREENSHOTS, showView, startBrowser, unexpected } from './browser-support';

// The last gaps of the page (issues 14 and 16): a target limited to a program column's value
// (scope.fields), built from the program's definition so an added program works too; the
// divisions' contact addresses for reminder mails, edited by an administrator and shown read only
// to the division's editors; an item's evidence files (根拠資料). SQLite, clock at 2026-11-24.

describe('field-scoped targets, division contacts and evidence files in Chromium', () => {
  let t: TestApp;
  let session: BrowserSession;
  let clerkD01: string;
  let clerkD03: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const targetOf = async (id: string) => (await t.http().get(`/api/v1/targets/${id}`).set(auth()).expect(200)).body as { scope: Record<string, unknown> };
  const contactsOf = async (code: string) => {
    const organization = await t.http().get('/api/v1/organization').set(auth()).expect(200);
    for (const department of organization.body.departments as { divisions: { code: string; contacts: string[] }[] }[]) {
      const division = department.divisions.find((candidate) => candidate.code === code);
      if (division) return division.contacts;
    }
    throw new Error(`no division ${code}`);
  };
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await t.http().post('/api/v1/programs').set(auth()).send(FOLDERS).expect(201);
    const forms: [string, string, string][] = [
      ['FS-1', '条例', '廃止済'],
      ['FS-2', '条例', '押印必要'],
      ['FS-3', '条例', '押印必要'],
      ['FS-4', '規則', '廃止済'],
    ];
    for (const [code, basisLevel, status] of forms) {
      await t.http()
        .post('/api/v1/programs/seal/items')
        .set(auth())
        .send({ code, name: `${code} の様式`, division: '総務課', status, basisLevel, completedOn: status === '廃止済' ? '2026-10-01' : undefined })
        .expect(201);
    }
    clerkD01 = (await t.account('editor', '行政管理部')).login;
    clerkD03 = (await t.account('editor', '市民安全部')).login;
    session = await startBrowser(t);
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  async function openOffice(page: Page) {
    await logIn(page, t.adminLogin);
    await page.getByRole('link', { name: /^改革担当/ }).click();
    await page.locator('#office-targets-table tbody tr[data-target]').first().waitFor();
  }

  it('should create a target limited to a column’s value, show it in Japanese, keep it through an edit, for a built-in and an added program', async () => {
    const { page, errors } = await session.open(DESKTOP);
    await openOffice(page);
    await page.getByLabel('目標ID（英小文字・数字・ハイフン）').fill('seal-ordinance');
    await page.getByLabel('目標の取組').selectOption({ label: '押印廃止' });
    // 国の区分 is オンライン化's alone; the seal program's own choice columns are offered instead
    expect(await page.getByLabel('範囲: 国の区分').isVisible()).toBe(false);
    expect(await page.locator('#target-field-selects label').allTextContents()).toEqual(['範囲: 根拠区分', '範囲: 押印種別', '範囲: 代替方法']);
    await page.getByLabel('目標の名称').fill('条例に基づく押印の廃止');
    await page.getByLabel('期限', { exact: true }).fill('令和8年度末');
    await page.getByLabel('範囲: 根拠区分').selectOption({ label: '条例' });
    await page.getByRole('button', { name: '目標を登録する' }).click();
    const row = page.locator('#office-targets-table tr[data-target="seal-ordinance"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('根拠区分「条例」');
    expect((await targetOf('seal-ordinance')).scope).toEqual({ fields: { basisLevel: 'ordinance' } });
    // the card on the progress view counts the three ordinance forms only
    const card = page.locator('article[data-target="seal-ordinance"]');
    await card.waitFor({ state: 'attached' });
    expect(await card.locator('.target-meta').textContent()).toContain('押印廃止・根拠区分「条例」');
    expect(await card.locator('.percent-detail').textContent()).toBe('完了 1 ／ 対象（分母）3件');

    // edit: the form shows the stored value; another value and a department go back as one scope
    await page.getByRole('button', { name: 'seal-ordinanceを編集' }).click();
    expect(await page.getByLabel('範囲: 根拠区分').inputValue()).toBe('ordinance');
    await page.locator('#office-targets-title').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('#office-targets-section')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-office-target-scope.png') });
    await page.getByLabel('範囲: 根拠区分').selectOption({ label: '規則' });
    await page.getByLabel('範囲: 部局').selectOption({ label: '行政管理部' });
    await page.getByRole('button', { name: '変更を保存' }).click();
    await page.waitForFunction(() => document.querySelector('#office-targets-table tr[data-target="seal-ordinance"]')?.textContent?.includes('根拠区分「規則」'));
    expect((await targetOf('seal-ordinance')).scope).toEqual({ department: 'D01', fields: { basisLevel: 'rule' } });
    // a label-only edit keeps the scope as it is
    await page.getByRole('button', { name: 'seal-ordinanceを編集' }).click();
    await page.getByLabel('目標の名称').fill('規則に基づく押印の廃止');
    await page.getByRole('button', { name: '変更を保存' }).click();
    await page.waitForFunction(() => document.querySelector('#office-targets-table tr[data-target="seal-ordinance"]')?.textContent?.includes('規則に基づく'));
    expect((await targetOf('seal-ordinance')).scope).toEqual({ department: 'D01', fields: { basisLevel: 'rule' } });
    // 「（指定しない）」 takes the column out of the scope
    await page.getByRole('button', { name: 'seal-ordinanceを編集' }).click();
    await page.getByLabel('範囲: 根拠区分').selectOption({ label: '（指定しない）' });
    await page.getByRole('button', { name: '変更を保存' }).click();
    await page.waitForFunction(() => !document.querySelector('#office-targets-table tr[data-target="seal-ordinance"]')?.textContent?.includes('根拠区分'));
    expect((await targetOf('seal-ordinance')).scope).toEqual({ department: 'D01' });

    // an added program: its columns come from its definition, with no change to the page
    await page.getByLabel('目標ID（英小文字・数字・ハイフン）').fill('folders-y5');
    await page.getByLabel('目標の取組').selectOption({ label: '共有フォルダ整理' });
    expect(await page.locator('#target-fields legend').textContent()).toBe('範囲: 共有フォルダ整理の列の値');
    expect(await page.getByLabel('範囲: 保存年限').locator('option').allTextContents()).toEqual(['（指定しない）', '1年', '5年']);
    await page.getByLabel('目標の名称').fill('5年保存フォルダの整理');
    await page.getByLabel('期限', { exact: true }).fill('2027-03-31');
    await page.getByLabel('範囲: 保存年限').selectOption({ label: '5年' });
    await page.getByRole('button', { name: '目標を登録する' }).click();
    await page.locator('#office-targets-table tr[data-target="folders-y5"]').waitFor();
    expect(await page.locator('#office-targets-table tr[data-target="folders-y5"]').textContent()).toContain('保存年限「5年」');
    expect((await targetOf('folders-y5')).scope).toEqual({ fields: { retention: 'y5' } });
    // オンライン化: 国の区分 has its own control and is not offered twice
    await page.getByLabel('目標の取組').selectOption({ label: 'オンライン化' });
    expect(await page.getByLabel('範囲: 国の区分').isVisible()).toBe(true);
    expect(await page.locator('#target-field-selects select[data-field="nationalGroup"]').count()).toBe(0);

    // a target made by mistake is deleted (after a confirmation); one with a monthly plan is refused, saying why
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'folders-y5を削除' }).click();
    await page.waitForFunction(() => !document.querySelector('#office-targets-table tr[data-target="folders-y5"]'));
    await t.http().get('/api/v1/targets/folders-y5').set(auth()).expect(404);
    await t.http().put('/api/v1/targets/seal-ordinance/plan').set(auth()).send({ months: [{ month: '2026-12', planned: 1 }] }).expect(200);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'seal-ordinanceを削除' }).click();
    await page.locator('#target-error:not(:empty)').waitFor();
    expect(await page.locator('#target-error').textContent()).toBe('目標「規則に基づく押印の廃止」には月別計画があるため削除できません。先に「月別計画」でこの目標の計画を削除してください。');
    await t.http().get('/api/v1/targets/seal-ordinance').set(auth()).expect(200);
    expect(unexpected(unexpected(errors, 400), 409)).toEqual([]);

    // the form on a phone
    const phone = await session.open(PHONE);
    await openOffice(phone.page);
    await phone.page.getByLabel('目標の取組').selectOption({ label: '押印廃止' });
    await phone.page.locator('#target-fields').scrollIntoViewIfNeeded();
    expect(await overflow(phone.page)).toBeLessThanOrEqual(0);
    await phone.page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-office-target-scope.png') });
    expect(phone.errors).toEqual([]);
  });

  it('should let an administrator edit a division’s addresses, refusing a bad one in Japanese, and show them to its editors read only', async () => {
    const { page, errors } = await session.open(DESKTOP);
    await logIn(page, t.adminLogin);
    await showView(page, 'users');
    const row = page.locator('#contacts-table tr[data-division="D01-01"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('未登録（督促メールは届きません）');
    await page.getByRole('button', { name: '総務課の連絡先を編集', exact: true }).click();
    await page.getByLabel('総務課の連絡先', { exact: true }).fill('soumu@city.example.jp\nsoumu-kakari@city');
    await page.getByRole('button', { name: '総務課の連絡先を保存', exact: true }).click();
    await row.locator('.form-message:not(:empty)').waitFor();
    expect(await row.locator('.form-message').textContent()).toBe('2件目の「soumu-kakari@city」はメールアドレスとして正しくありません（例: soumu@city.example.jp）。何も保存していません。');
    expect(await contactsOf('D01-01')).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-contacts-error.png') });
    // typed in a Japanese IME (full-width), saved as the server normalizes it
    await page.getByLabel('総務課の連絡先', { exact: true }).fill('ｓｏｕｍｕ＠City.Example.JP\nsoumu-kakari@city.example.jp');
    await page.getByRole('button', { name: '総務課の連絡先を保存', exact: true }).click();
    await row.locator('.contacts-list').waitFor();
    expect(await row.locator('.contacts-list li').allTextContents()).toEqual(['soumu@city.example.jp', 'soumu-kakari@city.example.jp']);
    expect(await contactsOf('D01-01')).toEqual(['soumu@city.example.jp', 'soumu-kakari@city.example.jp']);
    expect(await page.locator('#contacts-summary').textContent()).toMatch(/^\d+課（連絡先のない課 \d+）$/);
    // the filter by department, and the change in the log
    await page.getByLabel('部局で絞り込み').and(page.locator('#contacts-department')).selectOption({ label: '行政管理部' });
    expect(await page.locator('#contacts-table tbody th').allTextContents()).toContain('総務課');
    expect(await page.locator('#contacts-table tbody th').allTextContents()).not.toContain('市民課');
    await page.getByRole('link', { name: /^改革担当/ }).click();
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '課の連絡先の変更' });
    await page.getByRole('button', { name: '記録を表示' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr[data-action="contacts_set"]').length === 1);
    expect(await page.locator('#audit-table tbody tr').first().textContent()).toContain('課 D01-01 ／ 連絡先 soumu@city.example.jp、soumu-kakari@city.example.jp');
    expect(unexpected(errors, 400)).toEqual([]);

    // 総務課's editors (行政管理部) read the addresses in the 照会 view, on a phone, without controls
    const clerk = await session.open(PHONE);
    await logIn(clerk.page, clerkD01);
    await showView(clerk.page, 'surveys');
    const own = clerk.page.locator('#own-contacts-section');
    await own.locator('tr[data-division="D01-01"] .contacts-list').waitFor();
    expect(await own.locator('h2').textContent()).toBe('督促メールの送り先（行政管理部）');
    expect(await own.locator('tr[data-division="D01-01"] li').allTextContents()).toEqual(['soumu@city.example.jp', 'soumu-kakari@city.example.jp']);
    expect(await own.locator('tr[data-division="D01-02"]').textContent()).toContain('未登録');
    expect(await own.locator('button, textarea').count()).toBe(0);
    expect(await clerk.page.locator('#contacts-section').count()).toBe(0);
    expect(await overflow(clerk.page)).toBeLessThanOrEqual(0);
    await clerk.page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-own-contacts.png'), fullPage: true });
    expect(clerk.errors).toEqual([]);
    // another department's editor sees its own divisions only
    const other = await session.open(DESKTOP);
    await logIn(other.page, clerkD03);
    await showView(other.page, 'surveys');
    await other.page.locator('#own-contacts-table tbody tr[data-division]').first().waitFor();
    expect(await other.page.locator('#own-contacts-table tbody th').allTextContents()).not.toContain('総務課');
    expect(await other.page.locator('#own-contacts-section h2').textContent()).toBe('督促メールの送り先（市民安全部）');
  });

  it('should attach an evidence file to an item, list and download it, and name a file whose bytes are not what its name says', async () => {
    const { page, errors } = await session.open(DESKTOP);
    await logIn(page, clerkD01);
    await showView(page, 'items');
    await page.getByLabel('取組', { exact: true }).and(page.locator('#filter-program')).selectOption({ label: '押印廃止' });
    await page.locator('#items-table tr[data-code="FS-2"]').waitFor();
    await page.getByRole('button', { name: 'FS-2の根拠資料' }).click();
    const dialog = page.locator('#attachments-dialog');
    await dialog.getByText('根拠資料はまだありません。').waitFor();
    // a text file named .pdf: refused with the server's words, nothing stored
    await dialog.getByLabel('添付するファイル').setInputFiles({ name: '改正様式.pdf', mimeType: 'application/pdf', buffer: Buffer.from('これは PDF ではありません') });
    await dialog.getByRole('button', { name: '添付する', exact: true }).click();
    await dialog.locator('#attachment-message:not(:empty)').waitFor();
    expect(await dialog.locator('#attachment-message').textContent()).toBe('添付できませんでした: 「改正様式.pdf」の中身がPDFではありません（中身は対応していない形式）。ファイルを確認してください');
    const items = (await t.http().get('/api/v1/programs/seal/items?q=FS-2').set(auth()).expect(200)).body.items as { id: number }[];
    const listed = async () => (await t.http().get(`/api/v1/items/${items[0].id}/attachments`).set(auth()).expect(200)).body.attachments as { fileName: string }[];
    expect(await listed()).toEqual([]);
    // a real PDF: listed with who attached it, and downloaded under its own name
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await dialog.getByLabel('添付するファイル').setInputFiles({ name: '改正様式.pdf', mimeType: 'application/pdf', buffer: pdf });
    await dialog.getByRole('button', { name: '添付する', exact: true }).click();
    await dialog.locator('tr[data-attachment]').waitFor();
    expect(await dialog.locator('#attachment-message').textContent()).toBe('');
    expect((await listed()).map((attachment) => attachment.fileName)).toEqual(['改正様式.pdf']);
    expect(await dialog.locator('tr[data-attachment]').textContent()).toContain(clerkD01);
    const [saved] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '改正様式.pdfをダウンロード' }).click()]);
    expect(saved.suggestedFilename()).toBe('改正様式.pdf');
    expect(fs.readFileSync((await saved.path())!)).toEqual(pdf);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-1366x768-attachments.png') });
    await dialog.getByRole('button', { name: '閉じる' }).click();
    expect(unexpected(errors, 400)).toEqual([]);

    // another department's editor reads and downloads, but attaches nothing to 総務課's item
    const other = await session.open(PHONE);
    await logIn(other.page, clerkD03);
    await showView(other.page, 'items');
    await other.page.getByLabel('取組', { exact: true }).and(other.page.locator('#filter-program')).selectOption({ label: '押印廃止' });
    // an editor's list starts on the own department
    await other.page.locator('#filter-department').selectOption({ label: 'すべての部局' });
    await other.page.locator('#items-table tr[data-code="FS-2"]').waitFor();
    await other.page.getByRole('button', { name: 'FS-2の根拠資料' }).click();
    const readOnly = other.page.locator('#attachments-dialog');
    await readOnly.locator('tr[data-attachment]').waitFor();
    expect(await readOnly.getByLabel('添付するファイル').count()).toBe(0);
    expect(await readOnly.textContent()).not.toContain('null');
    const box = await readOnly.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    await other.page.screenshot({ path: path.join(SCREENSHOTS, 'phone-390x844-attachments.png') });
    expect(other.errors).toEqual([]);
  });
});
