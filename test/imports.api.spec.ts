import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { Transactions } from '../src/database/transactions';
import { buildImportTemplate } from '../src/imports/import-template';
import { ImportsService } from '../src/imports/imports.service';
import { OrganizationService } from '../src/organization/organization.service';
import { useTempDir } from './support/temp-files';
import { databaseKinds, useTestApp } from './support/test-app';

const UPLOAD_LIMIT = 256 * 1024;
const SEAL_HEADER = '管理番号,名称,所管課,状況,完了日,予定日,備考,年間件数,根拠区分,根拠法令,押印種別,代替方法';

const dir = useTempDir('imports-api-');

function csvFile(name: string, lines: string[], encoding: 'utf8' | 'bom' | 'cp932' = 'utf8'): string {
  const text = lines.join('\r\n') + '\r\n';
  const body = encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.from(text, 'utf8');
  const path = join(dir, name);
  writeFileSync(path, encoding === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  return path;
}

/** multer's temp files in the temp directory (32 hex characters, no extension). */
function uploadTempFiles(): string[] {
  return readdirSync(tmpdir()).filter((name) => /^[0-9a-f]{32}$/.test(name));
}

describe.each(databaseKinds())('imports API on %s', (kind) => {
  const t = useTestApp(kind, { config: { uploadLimitBytes: UPLOAD_LIMIT } });
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const upload = (program: string, path: string, query = '', token?: string) =>
    t.http().post(`/api/v1/imports/${program}${query}`).set(auth(token)).attach('file', path);
  const count = async (sql: string, params: unknown[] = []) => {
    const rows = await t.app.get(DataSource).query(sql, params);
    return Number(rows[0].n);
  };
  const sealItems = (prefix: string) => count(kind === 'postgres' ? `SELECT COUNT(*) AS n FROM items WHERE code LIKE $1` : `SELECT COUNT(*) AS n FROM items WHERE code LIKE ?`, [`${prefix}%`]);
  const historyRows = () => count('SELECT COUNT(*) AS n FROM status_history');
  const item = async (program: string, code: string) => {
    const response = await t.http().get(`/api/v1/programs/${program}/items?q=${encodeURIComponent(code)}`).set(auth()).expect(200);
    return response.body.items.find((candidate: { code: string }) => candidate.code === code);
  };

  describe('a CP932 CSV with title rows', () => {
    let path: string;
    beforeAll(() => {
      path = csvFile(
        'inventory-cp932.csv',
        [
          '押印廃止 様式一覧（令和8年11月現在）,,,',
          '',
          SEAL_HEADER,
          'ＣＰ－００１,①髙橋㈱の届出書,総務課,押印必要,,令和9年3月31日,,"１，２００",要綱,,認印,',
          'CP-002,廃止した様式,D01-01,廃止済,R8.4.1,,,0,,,,署名',
          'CP-003,法定様式,市民課,法令上存続,,,法令で押印が必要,,法律,戸籍法施行規則第十一条,実印,',
        ],
        'cp932',
      );
    });

    it('should create every row and answer with the contract result', async () => {
      const response = await upload('seal', path).expect(200);
      expect(response.body).toEqual({
        program: 'seal',
        applied: true,
        dryRun: false,
        summary: { rows: 3, created: 3, updated: 0, unchanged: 0, errors: 0 },
        errors: [],
        warnings: [],
      });
      expect(await item('seal', 'CP-001')).toMatchObject({ name: '①髙橋㈱の届出書', dueOn: '2027-03-31', annualVolume: 1200, basisLevel: 'guideline', sealKind: 'personal', version: 1 });
      expect(await item('seal', 'CP-002')).toMatchObject({ status: 'abolished', completedOn: '2026-04-01', replacement: 'signature', division: { name: '総務課' } });
      const third = await item('seal', 'CP-003');
      expect(third).toMatchObject({ status: 'legally_required', legalBasis: '戸籍法施行規則第十一条', department: { name: '市民安全部' } });
      const history = await t.http().get(`/api/v1/items/${third.id}/history`).set(auth()).expect(200);
      expect(history.body.entries).toEqual([expect.objectContaining({ by: 'test-admin', from: null, to: 'legally_required', effectiveOn: null })]);
    });

    it('should report everything unchanged on a re-import and write no history', async () => {
      const before = await historyRows();
      const response = await upload('seal', path, '?plan=true').expect(200);
      expect(response.body.summary).toEqual({ rows: 3, created: 0, updated: 0, unchanged: 3, errors: 0 });
      expect(response.body.plan).toEqual([
        { row: 4, code: 'CP-001', action: 'unchanged' },
        { row: 5, code: 'CP-002', action: 'unchanged' },
        { row: 6, code: 'CP-003', action: 'unchanged' },
      ]);
      expect(await historyRows()).toBe(before);
      expect((await item('seal', 'CP-001')).version).toBe(1);
    });
  });

  it('should import an xlsx with a merged title and date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('アナログ規制見直し');
    sheet.getCell('A1').value = 'アナログ規制 点検表';
    sheet.mergeCells('A1:H1');
    sheet.getRow(3).values = ['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '条項', '類型'];
    sheet.getRow(4).values = ['XL-1', '消防訓練の実地確認', '防災安全課', '改正済', new Date(Date.UTC(2026, 6, 15)), null, null, '第5条', '実地監査'];
    sheet.getRow(5).values = ['XL-2', '掲示による公告', '総務課', '点検済', null, new Date(Date.UTC(2027, 2, 31)), null, '第3条第2項', '書面掲示'];
    sheet.getCell('E4').numFmt = 'yyyy/m/d';
    sheet.getCell('F5').numFmt = 'yyyy/m/d';
    const path = join(dir, 'analog.xlsx');
    await workbook.xlsx.writeFile(path);
    const response = await upload('analog', path).expect(200);
    expect(response.body.summary).toEqual({ rows: 2, created: 2, updated: 0, unchanged: 0, errors: 0 });
    expect(await item('analog', 'XL-1')).toMatchObject({ status: 'amended', completedOn: '2026-07-15', statusEffectiveOn: '2026-07-15', article: '第5条', analogType: 'onsite_audit' });
    expect(await item('analog', 'XL-2')).toMatchObject({ status: 'inspected', dueOn: '2027-03-31', analogType: 'posting' });
  });

  it('should import UTF-8 with a BOM and report unknown columns as warnings', async () => {
    const path = csvFile('bom.csv', ['管理番号,名称,所管課,状況,担当者', 'BM-1,様式BOM,総務課,押印必要,山田'], 'bom');
    const response = await upload('seal', path).expect(200);
    expect(response.body.summary.created).toBe(1);
    expect(response.body.warnings).toEqual([{ row: 1, column: '担当者', code: 'unknown_column', message: '列「担当者」は取り込みの対象外です（無視しました）' }]);
    expect(await item('seal', 'BM-1')).toMatchObject({ name: '様式BOM' });
  });

  it('should name every bad row with 422 and write nothing, not even the good rows', async () => {
    const historyBefore = await historyRows();
    const path = csvFile('mistakes.csv', [
      SEAL_HEADER,
      'ER-1,正しい様式,総務課,押印必要',
      'ER-2,様式,総務課,済',
      'ER-3,様式,存在しない課,押印必要',
      'ER-4,様式,総務課,押印必要,,令和9年2月30日',
      'ER-1,重複,総務課,押印必要',
      'ER-5,様式,総務課,法令上存続,,,理由あり',
      'ER-6,様式,総務課,押印必要,,,,千二百',
    ]);
    const response = await upload('seal', path).expect(422);
    expect(response.body.applied).toBe(false);
    expect(response.body.summary).toEqual({ rows: 7, created: 1, updated: 0, unchanged: 0, errors: 6 });
    expect(response.body.errors.map(({ row, column, value, code }: Record<string, unknown>) => ({ row, column, value, code }))).toEqual([
      { row: 3, column: '状況', value: '済', code: 'invalid_status' },
      { row: 4, column: '所管課', value: '存在しない課', code: 'unknown_division' },
      { row: 5, column: '予定日', value: '令和9年2月30日', code: 'invalid_date' },
      { row: 6, column: '管理番号', value: 'ER-1', code: 'duplicate_code' },
      { row: 7, column: '根拠法令', value: '', code: 'legal_basis_required' },
      { row: 8, column: '年間件数', value: '千二百', code: 'invalid_number' },
    ]);
    expect(await sealItems('ER-')).toBe(0);
    expect(await historyRows()).toBe(historyBefore);
  });

  it('should write the importing user into the history of a status change', async () => {
    const editorToken = await t.token('editor', '市民安全部');
    const created = csvFile('editor-1.csv', [SEAL_HEADER, 'ST-1,転入届,市民課,押印必要']);
    await upload('seal', created, '', editorToken).expect(200);
    const changed = csvFile('editor-2.csv', [SEAL_HEADER, 'ST-1,転入届,市民課,廃止済,令和8年10月1日,,,,,,,署名']);
    const response = await upload('seal', changed, '', editorToken).expect(200);
    expect(response.body.summary).toEqual({ rows: 1, created: 0, updated: 1, unchanged: 0, errors: 0 });
    const stored = await item('seal', 'ST-1');
    expect(stored).toMatchObject({ status: 'abolished', completedOn: '2026-10-01', replacement: 'signature', version: 2 });
    const history = await t.http().get(`/api/v1/items/${stored.id}/history`).set(auth()).expect(200);
    expect(history.body.entries).toHaveLength(2);
    expect(history.body.entries[1]).toMatchObject({ by: expect.stringMatching(/^editor-/), from: 'seal_required', to: 'abolished', effectiveOn: '2026-10-01' });
    expect(history.body.entries[1].by).toBe(history.body.entries[0].by);
  });

  it("should refuse an editor's rows outside its department, and viewers altogether", async () => {
    const editorToken = await t.token('editor', '市民安全部');
    const path = csvFile('editor-limits.csv', [SEAL_HEADER, 'EL-1,自部局,防災安全課,押印必要', 'EL-2,他部局,総務課,押印必要', 'CP-001,他部局の既存,市民課,押印必要']);
    const response = await upload('seal', path, '', editorToken).expect(422);
    expect(response.body.errors.map(({ row, code }: Record<string, unknown>) => ({ row, code }))).toEqual([
      { row: 3, code: 'forbidden_division' },
      { row: 4, code: 'forbidden_division' },
    ]);
    expect(await sealItems('EL-')).toBe(0);
    const viewerToken = await t.token('viewer');
    const refused = await upload('seal', path, '', viewerToken).expect(403);
    expect(refused.body.code).toBe('forbidden');
  });

  it('should report a dry run without writing, with the plan only when asked', async () => {
    const historyBefore = await historyRows();
    const path = csvFile('dry.csv', [SEAL_HEADER, 'DR-1,試行,総務課,押印必要', 'CP-001,①髙橋㈱の届出書（改）,総務課,押印必要,,令和9年3月31日,,1200,要綱,,認印,']);
    const plain = await upload('seal', path, '?dryRun=true').expect(200);
    expect(plain.body).toEqual({
      program: 'seal',
      applied: false,
      dryRun: true,
      summary: { rows: 2, created: 1, updated: 1, unchanged: 0, errors: 0 },
      errors: [],
      warnings: [],
    });
    const planned = await upload('seal', path, '?dryRun=true&plan=true').expect(200);
    expect(planned.body.plan).toEqual([
      { row: 2, code: 'DR-1', action: 'create' },
      { row: 3, code: 'CP-001', action: 'update' },
    ]);
    expect(await sealItems('DR-')).toBe(0);
    expect((await item('seal', 'CP-001')).name).toBe('①髙橋㈱の届出書');
    expect(await historyRows()).toBe(historyBefore);
    const audit = (await t.app.get(AuditService).list()).filter((entry) => entry.action === 'import');
    expect(audit.at(-1)).toMatchObject({ by: 'test-admin', detail: { program: 'seal', file: 'dry.csv', dryRun: true, applied: false, summary: { created: 1, updated: 1 } } });
    expect(audit.some((entry) => (entry.detail as { file: string; applied: boolean }).file === 'inventory-cp932.csv' && (entry.detail as { applied: boolean }).applied)).toBe(true);
  });

  it('should refuse an upload over the size limit with 413, and a request without a file with 400', async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, `${SEAL_HEADER}\r\n${'x,'.repeat(UPLOAD_LIMIT)}`);
    expect(statSync(big).size).toBeGreaterThan(UPLOAD_LIMIT);
    const tooLarge = await upload('seal', big).expect(413);
    expect(tooLarge.body.code).toBe('payload_too_large');
    const missing = await t.http().post('/api/v1/imports/seal').set(auth()).field('note', 'no file').expect(400);
    expect(missing.body.code).toBe('file_required');
  });

  it('should answer a sheet without its header row with 422 header_not_found, and an unknown program with 404', async () => {
    const path = csvFile('no-header.csv', ['タイトルだけ', 'A,B,C']);
    const response = await upload('seal', path).expect(422);
    expect(response.body).toMatchObject({ statusCode: 422, code: 'header_not_found', message: expect.stringContaining('管理番号') });
    const unknown = await upload('bogus', path).expect(404);
    expect(unknown.body.code).toBe('unknown_program');
  });

  it('should describe the upload in the OpenAPI document', async () => {
    const response = await t.http().get('/api/docs-json').expect(200);
    const operation = response.body.paths['/api/v1/imports/{program}'].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(['multipart/form-data']);
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['program', 'dryRun', 'plan', 'sheet', 'asOf']));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '413', '422']));
  });

  it('should import the template once a division fills it in, under its Japanese file name', async () => {
    const divisions = (await t.app.get(OrganizationService).currentDivisions()).divisions.map((division) => division.name);
    const workbook = buildImportTemplate('online', divisions);
    const sheet = workbook.getWorksheet('オンライン化')!;
    const headers = (sheet.getRow(2).values as unknown[]).slice(1) as string[];
    const row = (values: Record<string, ExcelJS.CellValue>) => headers.map((header) => values[header] ?? null);
    sheet.getRow(3).values = row({ 管理番号: 'TP-1', 名称: '犬の登録', 所管課: '環境課', 状況: 'オンライン化済', 完了日: new Date(Date.UTC(2026, 9, 1)), 国の区分: '市独自', 年間件数: 300 });
    sheet.getRow(4).values = row({ 管理番号: 'TP-2', 名称: '狂犬病予防注射済票交付', 所管課: '環境課', 状況: '検討中', 国の区分: '市独自' });
    const path = join(dir, '記入済みテンプレート.xlsx');
    await workbook.xlsx.writeFile(path);
    const response = await upload('online', path).expect(200);
    expect(response.body.summary).toEqual({ rows: 2, created: 2, updated: 0, unchanged: 0, errors: 0 });
    expect(await item('online', 'TP-1')).toMatchObject({ status: 'online', completedOn: '2026-10-01', nationalGroup: 'city', annualVolume: 300 });
    const audit = (await t.app.get(AuditService).list()).filter((entry) => entry.action === 'import');
    expect(audit.at(-1)?.detail).toMatchObject({ file: '記入済みテンプレート.xlsx', applied: true });
  });

  it('should roll back every batch already inserted when the transaction fails part-way', async () => {
    const lines = [SEAL_HEADER, ...Array.from({ length: 1200 }, (_, index) => `RB-${String(index).padStart(4, '0')},様式${index},総務課,押印必要`)];
    const path = csvFile('rollback.csv', lines);
    const historyBefore = await historyRows();
    const auditBefore = (await t.app.get(AuditService).list()).length;
    const writes: number[] = [];
    const failing = t.app.get(ImportsService).importFile({
      program: 'seal',
      path,
      fileName: 'rollback.csv',
      actor: { userId: null, name: 'rollback-test', role: 'admin', departmentId: null },
      dryRun: false,
      onProgress: (event) => {
        if (event.phase !== 'write') return;
        writes.push(event.done);
        // The first batch is in the table by now; failing here must take it back out.
        if (event.done >= 1000) throw new Error('stopped after the second batch');
      },
    });
    await expect(failing).rejects.toThrow('stopped after the second batch');
    expect(writes).toEqual([500, 1000]);
    expect(await sealItems('RB-')).toBe(0);
    expect(await historyRows()).toBe(historyBefore);
    expect((await t.app.get(AuditService).list()).length).toBe(auditBefore);
    const retried = await upload('seal', path).expect(200);
    expect(retried.body.summary.created).toBe(1200);
    expect(await sealItems('RB-')).toBe(1200);
  });

  it('should stop with 409 and write nothing when an item changes between validation and writing', async () => {
    await upload('seal', csvFile('race-1.csv', [SEAL_HEADER, 'RC-1,競合する様式,総務課,押印必要'])).expect(200);
    const transactions = t.app.get(Transactions);
    const original = transactions.run.bind(transactions);
    // Another clerk's change lands after the file was checked and before it is written.
    const spy = jest.spyOn(transactions, 'run').mockImplementationOnce(async (work) => {
      await t.app.get(DataSource).query("UPDATE items SET version = version + 1 WHERE code = 'RC-1'");
      return original(work);
    });
    try {
      const path = csvFile('race-2.csv', [SEAL_HEADER, 'RC-1,競合する様式,総務課,検討中', 'RC-2,新しい様式,総務課,押印必要']);
      const response = await upload('seal', path).expect(409);
      expect(response.body.code).toBe('import_conflict');
    } finally {
      spy.mockRestore();
    }
    expect(await sealItems('RC-2')).toBe(0);
    expect(await item('seal', 'RC-1')).toMatchObject({ status: 'seal_required', version: 2 });
  });

  it('should remove the uploaded temp file afterwards, also when the upload is too large', async () => {
    const marker = randomBytes(12).toString('hex');
    const path = csvFile('marker.csv', [SEAL_HEADER, `MK-1,様式,総務課,押印必要,,,${marker}`]);
    await upload('seal', path, '?dryRun=true').expect(200);
    await upload('seal', csvFile('marker-bad.csv', [SEAL_HEADER, `MK-2,様式,総務課,済,,,${marker}`])).expect(422);
    const big = join(dir, 'marker-big.csv');
    writeFileSync(big, `${SEAL_HEADER}\r\nMK-3,様式,総務課,押印必要,,,${marker}\r\n${'y,'.repeat(UPLOAD_LIMIT)}`);
    await upload('seal', big).expect(413);
    const left = uploadTempFiles().filter((name) => {
      try {
        return readFileSync(join(tmpdir(), name)).includes(marker);
      } catch {
        return false; // removed meanwhile by another test's upload
      }
    });
    expect(left).toEqual([]);
  });
});
