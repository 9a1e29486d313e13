import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Item } from '../items/item.entity';
import { DivisionIndex } from '../organization/organization.service';
import { CSV_BOM, csvRecord } from '../sheets/csv-writer';
import { detectEncoding, SheetFormatError } from '../sheets';
import { actor, storedItem as storedItemOf, TEST_DIVISIONS } from '../../test/support/factories';
import { ImportParseDeps, ImportParseOptions, parseImport } from './import-parser';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-parser-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const DIVISIONS = [...TEST_DIVISIONS];
const ADMIN = actor('admin');
const EDITOR = actor('editor');
const NOW = '2026-11-24T01:00:00.000Z';

/** The stored item the sheets below meet: SL-900 unless a test says otherwise. */
const storedItem = (overrides: Partial<Item>): Item => storedItemOf('seal', { id: 100, code: 'SL-900', name: '既存の様式', ...overrides });

function deps(stored: Item[] = []): ImportParseDeps & { lookups: string[][] } {
  const lookups: string[][] = [];
  return {
    lookups,
    divisions: new DivisionIndex(DIVISIONS),
    divisionOf: (id) => DIVISIONS.find((division) => division.id === id),
    findExisting: async (codes) => {
      lookups.push(codes);
      return new Map(stored.filter((item) => codes.includes(item.code)).map((item) => [item.code, item]));
    },
  };
}

function options(overrides: Partial<ImportParseOptions> = {}): ImportParseOptions {
  return { program: 'seal', actor: ADMIN, today: '2026-11-24', nowIso: NOW, keepWrites: true, keepPlan: true, ...overrides };
}

function csv(name: string, lines: string[], encoding: 'utf8' | 'bom' | 'cp932' = 'utf8'): string {
  const text = lines.join('\r\n') + '\r\n';
  const bytes = encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.concat([encoding === 'bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const SEAL_HEADER = '管理番号,名称,所管課,状況,完了日,予定日,備考,年間件数,根拠区分,根拠法令,押印種別,代替方法';

describe('parseImport', () => {
  it('reads a CP932 CSV with title rows above the header, keeping free text as typed', async () => {
    const path = csv(
      'cp932.csv',
      [
        '押印廃止 様式一覧（令和8年11月現在）,,,',
        '作成: 総務課,,,',
        '',
        SEAL_HEADER,
        'ＳＬ－００１,①髙橋㈱の届出書,総務課,押印必要,,令和9年3月31日,,"１，２００",要綱,,認印,',
        'SL-002,廃止した様式,D01-01,廃止済,R8.4.1,,,0,,,,署名',
        '',
        'SL-003, 法定様式 ,市民課,法令上存続,,,法令で押印が必要,,法律,戸籍法施行規則第十一条,実印,',
      ],
      'cp932',
    );
    expect(detectEncoding(readFileSync(path))).toBe('cp932');
    const parsed = await parseImport(path, options(), deps());
    expect(parsed.errors).toEqual([]);
    expect(parsed.headerRow).toBe(4);
    expect(parsed.summary).toEqual({ rows: 3, created: 3, updated: 0, unchanged: 0, errors: 0 });
    expect(parsed.plan).toEqual([
      { row: 5, code: 'SL-001', action: 'create' },
      { row: 6, code: 'SL-002', action: 'create' },
      { row: 8, code: 'SL-003', action: 'create' },
    ]);
    const [first, second, third] = parsed.creates.map((create) => create.item);
    expect(first).toMatchObject({
      program: 'seal',
      code: 'SL-001',
      name: '①髙橋㈱の届出書',
      divisionId: 1,
      status: 'seal_required',
      statusEffectiveOn: null,
      dueOn: '2027-03-31',
      fields: { annualVolume: 1200, basisLevel: 'guideline', sealKind: 'personal' },
      version: 1,
    });
    expect(second).toMatchObject({ code: 'SL-002', status: 'abolished', completedOn: '2026-04-01', statusEffectiveOn: '2026-04-01', fields: { annualVolume: 0, replacement: 'signature' } });
    expect(third).toMatchObject({ name: '法定様式', divisionId: 3, status: 'legally_required', note: '法令で押印が必要', fields: { legalBasis: '戸籍法施行規則第十一条', basisLevel: 'law', sealKind: 'registered' } });
    expect(parsed.creates[1].history).toMatchObject({ by: '取込 太郎', fromStatus: null, toStatus: 'abolished', effectiveOn: '2026-04-01', at: NOW });
  });

  it('reads an xlsx with a merged title, date cells and serial numbers, from the sheet named after the program', async () => {
    const workbook = new ExcelJS.Workbook();
    const memo = workbook.addWorksheet('メモ');
    memo.getCell('A1').value = '説明だけのシート';
    const sheet = workbook.addWorksheet('押印廃止');
    sheet.getCell('A1').value = '押印廃止 様式一覧';
    sheet.mergeCells('A1:F1');
    sheet.getCell('A2').value = '作成日';
    sheet.getCell('B2').value = new Date(Date.UTC(2026, 10, 1));
    sheet.addRow([]);
    sheet.getRow(3).values = ['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '年間件数'];
    sheet.getRow(4).values = ['X-1', '様式その一', '総務課', '廃止済', new Date(Date.UTC(2026, 5, 30)), null, 1234];
    sheet.getRow(5).values = ['X-2', '様式その二', '市民課', '検討中', null, 46477, '２５'];
    sheet.getCell('E4').numFmt = 'yyyy/m/d';
    const path = join(dir, 'merged.xlsx');
    await workbook.xlsx.writeFile(path);

    const parsed = await parseImport(path, options(), deps());
    expect(parsed.errors).toEqual([]);
    expect(parsed.headerRow).toBe(3);
    expect(parsed.plan).toEqual([
      { row: 4, code: 'X-1', action: 'create' },
      { row: 5, code: 'X-2', action: 'create' },
    ]);
    expect(parsed.creates[0].item).toMatchObject({ status: 'abolished', completedOn: '2026-06-30', fields: { annualVolume: 1234 } });
    // 46477 is the Excel serial of 2027-03-31.
    expect(parsed.creates[1].item).toMatchObject({ status: 'reviewing', dueOn: '2027-03-31', fields: { annualVolume: 25 }, divisionId: 3 });

    const wrongSheet = await parseImport(path, options({ sheetName: 'メモ' }), deps()).catch((error: unknown) => error);
    expect(wrongSheet).toBeInstanceOf(SheetFormatError);
    expect((wrongSheet as SheetFormatError).code).toBe('header_not_found');
  });

  it('reads UTF-8 with a BOM and English keys, warns once per unknown column and skips blank rows', async () => {
    const path = csv(
      'bom.csv',
      [
        'code,name,division,status,担当者,国の区分',
        'B-1,"複数行の\n備考つき様式",総務課,seal_required,山田,マイナンバー27',
        ',,,,',
        ',,,,メモだけの行',
        'B-2,様式B,総務課,reviewing,,',
      ],
      'bom',
    );
    const parsed = await parseImport(path, options(), deps());
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([
      { row: 1, column: '担当者', code: 'unknown_column', message: '列「担当者」は取り込みの対象外です（無視しました）' },
      { row: 1, column: '国の区分', code: 'unknown_column', message: '列「国の区分」は押印廃止の列ではないため無視しました' },
    ]);
    // The quoted line break makes B-1 two physical lines: B-2 is on line 6.
    expect(parsed.plan).toEqual([
      { row: 2, code: 'B-1', action: 'create' },
      { row: 6, code: 'B-2', action: 'create' },
    ]);
    expect(parsed.summary.rows).toBe(2);
    expect(parsed.creates[0].item.name).toBe('複数行の\n備考つき様式');
  });

  it('names every bad row with its row number, column, value and code, and plans no write', async () => {
    const longName = 'あ'.repeat(501);
    const path = csv('errors.csv', [
      '押印廃止（誤りを含む）',
      SEAL_HEADER,
      'E-01,,総務課,押印必要',
      'E-02,様式,総務課,済',
      'E-03,様式,総務課,押印必要,,,,,条令',
      'E-04,様式,総務課,押印必要,,,,12件',
      'E-05,様式,総務課,押印必要,,,,-5',
      'E-06,様式,総務課,押印必要,,2026/13/1',
      `E-07,${longName},総務課,押印必要`,
      'E-08,様式,存在しない課,押印必要',
      'Ｅ－０２,様式,総務課,押印必要',
      'E-09,様式,総務課,法令上存続',
      'E-10,様式,総務課,廃止済,2026/12/1',
      'E-11,様式,総務課,押印必要,2026/4/1',
      'SL-900,既存の様式,総務課,押印必要',
      'E-12,正しい様式,総務課,押印必要',
    ]);
    const stored = storedItem({ status: 'abolished', completedOn: '2026-05-01', statusEffectiveOn: '2026-05-01' });
    const parsed = await parseImport(path, options(), deps([stored]));
    const pinned = parsed.errors.map(({ row, column, value, code }) => ({ row, column, value, code }));
    expect(pinned).toEqual([
      { row: 3, column: '名称', value: '', code: 'missing_required' },
      { row: 4, column: '状況', value: '済', code: 'invalid_status' },
      { row: 5, column: '根拠区分', value: '条令', code: 'invalid_choice' },
      { row: 6, column: '年間件数', value: '12件', code: 'invalid_number' },
      { row: 7, column: '年間件数', value: '-5', code: 'negative_number' },
      { row: 8, column: '予定日', value: '2026/13/1', code: 'invalid_date' },
      { row: 9, column: '名称', value: `${longName.slice(0, 100)}…`, code: 'too_long' },
      { row: 10, column: '所管課', value: '存在しない課', code: 'unknown_division' },
      { row: 11, column: '管理番号', value: 'Ｅ－０２', code: 'duplicate_code' },
      { row: 12, column: '備考', value: '', code: 'note_required' },
      { row: 12, column: '根拠法令', value: '', code: 'legal_basis_required' },
      { row: 13, column: '完了日', value: '2026/12/1', code: 'completed_in_future' },
      { row: 14, column: '完了日', value: '2026/4/1', code: 'completed_on_not_done' },
      { row: 15, column: '備考', value: '', code: 'note_required_to_reopen' },
    ]);
    expect(parsed.errors.find((error) => error.code === 'duplicate_code')?.message).toBe('管理番号「E-02」が4行目と重複しています');
    expect(parsed.errors.find((error) => error.code === 'invalid_status')?.message).toContain('押印必要・検討中・廃止済・法令上存続');
    expect(parsed.errors.every((error) => error.message.length > 0)).toBe(true);
    expect(parsed.summary).toEqual({ rows: 14, created: 1, updated: 0, unchanged: 0, errors: 14 });
    expect(parsed.creates).toEqual([]);
    expect(parsed.updates).toEqual([]);
  });

  it('reports a change that would take effect before the current status on the 状況 column', async () => {
    const path = csv('effective.csv', [SEAL_HEADER, 'SL-900,既存の様式,総務課,検討中']);
    const stored = storedItem({ status: 'seal_required', statusEffectiveOn: '2026-07-01' });
    const parsed = await parseImport(path, options({ today: '2026-06-01' }), deps([stored]));
    expect(parsed.errors.map(({ row, column, value, code }) => ({ row, column, value, code }))).toEqual([
      { row: 2, column: '状況', value: '検討中', code: 'effective_before_previous' },
    ]);
  });

  it('refuses rows of other departments for an editor, by the division named and by the stored owner', async () => {
    const path = csv('editor.csv', [SEAL_HEADER, 'ED-1,自部局の様式,市民課,押印必要', 'ED-2,他部局の様式,総務課,押印必要', 'SL-900,移したい様式,市民課,押印必要']);
    const parsed = await parseImport(path, options({ actor: EDITOR }), deps([storedItem({ divisionId: 1 })]));
    expect(parsed.errors).toEqual([
      { row: 3, column: '所管課', value: '総務課', code: 'forbidden_division', message: '所管課「総務課」は所属部局の課ではないため取り込めません' },
      { row: 4, column: '所管課', value: '市民課', code: 'forbidden_division', message: '管理番号「SL-900」は所属部局外の「総務課」の項目のため変更できません' },
    ]);
    expect(parsed.summary.created).toBe(1);
  });

  it('compares with what is stored: unchanged, updated (with history by the importer) or created', async () => {
    const path = csv('update.csv', [
      SEAL_HEADER,
      'SL-900,既存の様式,総務課,押印必要,,,,,,,,',
      'SL-901,変わる様式,総務課,廃止済,R8.10.1,,,,,,,署名',
      'SL-902,新しい様式,総務課,押印必要',
    ]);
    const stored = [storedItem({}), storedItem({ id: 101, code: 'SL-901', name: '変わる様式', version: 5 })];
    const tracked = deps(stored);
    const parsed = await parseImport(path, options(), tracked);
    expect(parsed.errors).toEqual([]);
    expect(parsed.summary).toEqual({ rows: 3, created: 1, updated: 1, unchanged: 1, errors: 0 });
    expect(parsed.plan?.map((entry) => entry.action)).toEqual(['unchanged', 'update', 'create']);
    expect(parsed.updates).toEqual([
      {
        row: 3,
        id: 101,
        version: 5,
        set: { status: 'abolished', completedOn: '2026-10-01', statusEffectiveOn: '2026-10-01', fields: { replacement: 'signature' }, updatedAt: NOW },
        history: expect.objectContaining({ by: '取込 太郎', fromStatus: 'seal_required', toStatus: 'abolished', effectiveOn: '2026-10-01' }),
        before: { status: 'seal_required', statusEffectiveOn: null, completedOn: null },
      },
    ]);
    // One stored-item lookup for the chunk, without the codes of duplicate or invalid rows.
    expect(tracked.lookups).toEqual([['SL-900', 'SL-901', 'SL-902']]);
  });

  it("drops the exporter's ' from CSV text, so an exported CSV with formula-like text imports back unchanged", async () => {
    const stored = [
      storedItem({ code: '=SL-1', name: '=HYPERLINK("http://example.invalid","開く")', note: '+法定様式' }),
      storedItem({ id: 101, code: 'SL-2', name: '@委任状', note: '-要確認' }),
      // The user's own leading ' survives: the exporter adds one more, the importer drops one.
      storedItem({ id: 102, code: 'SL-3', name: "'=そのまま", note: "'引用符で始まる備考" }),
      storedItem({ id: 103, code: '-1', name: '-5 から始まる様式' }),
    ];
    const header = SEAL_HEADER.split(',');
    const body = stored.map((item) => csvRecord([item.code, item.name, '総務課', '押印必要', null, null, item.note]));
    const path = join(dir, 'exported.csv');
    writeFileSync(path, CSV_BOM + csvRecord(header) + body.join(''));
    expect(readFileSync(path, 'utf8')).toContain(`"'=HYPERLINK(""http://example.invalid"",""開く"")"`);

    const parsed = await parseImport(path, options(), deps(stored));
    expect(parsed.errors).toEqual([]);
    expect(parsed.summary).toEqual({ rows: 4, created: 0, updated: 0, unchanged: 4, errors: 0 });

    // A new row: the text is stored as it was before the exporter marked it.
    writeFileSync(path, CSV_BOM + csvRecord(header) + csvRecord(['N-1', '=1+1', '総務課', '押印必要', null, null, '@メモ']));
    const created = await parseImport(path, options(), deps());
    expect(created.creates[0].item).toMatchObject({ name: '=1+1', note: '@メモ' });
  });

  it("keeps a leading ' typed into an xlsx cell: only a CSV carries the exporter's mark", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('押印廃止');
    sheet.addRow(SEAL_HEADER.split(','));
    sheet.addRow(['X-1', "'=様式", '総務課', '押印必要', null, null, "'+備考"]);
    const path = join(dir, 'quoted.xlsx');
    await workbook.xlsx.writeFile(path);
    const parsed = await parseImport(path, options(), deps());
    expect(parsed.creates[0].item).toMatchObject({ name: "'=様式", note: "'+備考" });
  });

  it('uses the as-of date as the completion date of done rows without 完了日', async () => {
    const path = csv('asof.csv', [SEAL_HEADER, 'D-1,様式,総務課,廃止済']);
    const parsed = await parseImport(path, options({ today: '2026-09-30' }), deps());
    expect(parsed.creates[0].item).toMatchObject({ completedOn: '2026-09-30', statusEffectiveOn: '2026-09-30' });
  });

  it('refuses a sheet without the required headers as a whole-file error', async () => {
    const path = csv('noheader.csv', ['管理番号,名称', 'A,B']);
    const error = await parseImport(path, options(), deps()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SheetFormatError);
    expect((error as SheetFormatError).code).toBe('header_not_found');
    expect((error as SheetFormatError).messageJa).toContain('所管課・状況');
  });

  it('warns when a sheet has its header but no data rows', async () => {
    const parsed = await parseImport(csv('empty.csv', ['記入してください', SEAL_HEADER, ',,,,']), options(), deps());
    expect(parsed.summary).toEqual({ rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 });
    expect(parsed.warnings).toEqual([{ row: 2, column: '', code: 'no_rows', message: '見出し行（2行目）の下にデータの行がありません' }]);
  });

  it('caps the reported errors but counts them all', async () => {
    const lines = [SEAL_HEADER, ...Array.from({ length: 30 }, (_, index) => `C-${index},様式,総務課,済`)];
    const parsed = await parseImport(csv('many.csv', lines), options({ maxReportedErrors: 10 }), deps());
    expect(parsed.errors).toHaveLength(10);
    expect(parsed.errorsOmitted).toBe(20);
    expect(parsed.summary.errors).toBe(30);
  });
});
