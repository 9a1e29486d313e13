import * as ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DivisionIndex } from '../organization/organization.service';
import { programFields } from '../programs/program-definitions';
import { ImportParseDeps, parseImport } from './import-parser';
import { buildImportTemplate, CHOICES_SHEET, templateInstruction, writeImportTemplate } from './import-template';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-template-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const DIVISION_NAMES = ['総務課', '市民課', '子育て支援課'];

async function reload(workbook: ExcelJS.Workbook): Promise<ExcelJS.Workbook> {
  const buffer = await workbook.xlsx.writeBuffer();
  const loaded = new ExcelJS.Workbook();
  await loaded.xlsx.load(buffer as ArrayBuffer);
  return loaded;
}

type ValidationModel = Record<string, ExcelJS.DataValidation | undefined>;
const validationsOf = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { dataValidations: { model: ValidationModel } }).dataValidations.model;

describe('import template', () => {
  it('lays out the seal sheet: instruction above the header, frozen bold header, date formats, hidden lists', async () => {
    const workbook = await reload(buildImportTemplate('seal', DIVISION_NAMES));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['押印廃止', CHOICES_SHEET]);
    const sheet = workbook.getWorksheet('押印廃止')!;
    const choices = workbook.getWorksheet(CHOICES_SHEET)!;
    expect(choices.state).toBe('hidden');

    const headers = programFields('seal').map((field) => field.header);
    expect(headers).toEqual(['管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '年間件数', '根拠区分', '根拠法令', '押印種別', '代替方法']);
    expect(sheet.getCell('A1').value).toBe(templateInstruction('seal'));
    expect(templateInstruction('seal')).toContain('管理番号・名称・所管課・状況は必須');
    expect(sheet.getCell('L1').isMerged).toBe(true);
    expect(sheet.getCell('M1').isMerged).toBe(false);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(headers);
    expect(sheet.getCell('A2').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.getColumn(5).numFmt).toBe('yyyy/m/d');
    expect(sheet.getColumn(6).numFmt).toBe('yyyy/m/d');
    expect(sheet.getColumn(2).width).toBe(40);

    const validations = validationsOf(sheet);
    const listSource = (address: string) => validations[address]?.formulae?.[0];
    // 所管課, 状況, 根拠区分, 押印種別, 代替方法: each a list on the hidden sheet, over rows 3..2000.
    expect(listSource('C3')).toBe(`'${CHOICES_SHEET}'!$A$2:$A$4`);
    expect(listSource('D3')).toBe(`'${CHOICES_SHEET}'!$B$2:$B$5`);
    expect(listSource('D2000')).toBe(`'${CHOICES_SHEET}'!$B$2:$B$5`);
    expect(validations['D2001']).toBeUndefined();
    expect(validations['D2']).toBeUndefined();
    expect(listSource('I3')).toBe(`'${CHOICES_SHEET}'!$C$2:$C$8`);
    expect(listSource('K3')).toBe(`'${CHOICES_SHEET}'!$D$2:$D$4`);
    expect(listSource('L3')).toBe(`'${CHOICES_SHEET}'!$E$2:$E$6`);
    expect(validations['H3']).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual' });
    expect(validations['B3']).toBeUndefined();

    const column = (index: number) => (choices.getColumn(index).values as unknown[]).slice(1);
    expect(column(1)).toEqual(['所管課', ...DIVISION_NAMES]);
    expect(column(2)).toEqual(['状況', '押印必要', '検討中', '廃止済', '法令上存続']);
    expect(column(3)).toEqual(['根拠区分', '法律', '政令', '省令', '条例', '規則', '要綱', 'その他']);
    expect(column(4)).toEqual(['押印種別', '実印', '認印', 'その他']);
    expect(column(5)).toEqual(['代替方法', '署名', '記名', '押印任意', '様式廃止', 'その他']);
  });

  it('offers 国の区分 for online and 類型 for analog', async () => {
    const online = (await reload(buildImportTemplate('online', DIVISION_NAMES))).getWorksheet('オンライン化')!;
    const onlineHeaders = (online.getRow(2).values as unknown[]).slice(1);
    const group = onlineHeaders.indexOf('国の区分') + 1;
    expect(group).toBeGreaterThan(0);
    expect(validationsOf(online)[`${String.fromCharCode(64 + group)}3`]?.type).toBe('list');

    const analogBook = await reload(buildImportTemplate('analog', DIVISION_NAMES));
    const analog = analogBook.getWorksheet('アナログ規制見直し')!;
    const type = (analog.getRow(2).values as unknown[]).slice(1).indexOf('類型') + 1;
    expect(validationsOf(analog)[`${String.fromCharCode(64 + type)}3`]?.type).toBe('list');
    const lists = (analogBook.getWorksheet(CHOICES_SHEET)!.getRow(1).values as unknown[]).slice(1);
    expect(lists).toEqual(['所管課', '状況', '類型']);
  });

  it('imports back once filled in: dates typed into the date columns, labels from the lists', async () => {
    const path = join(dir, 'seal-template.xlsx');
    await writeImportTemplate('seal', DIVISION_NAMES, path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet('押印廃止')!;
    sheet.getRow(3).values = ['T-001', '住民票の写し交付申請書', '市民課', '廃止済', new Date(Date.UTC(2026, 8, 1)), null, '備考①', 1500, '規則', null, '認印', '署名'];
    sheet.getRow(4).values = ['T-002', '印鑑登録申請書', '市民課', '法令上存続', null, null, '法令で実印が必要', null, '法律', '印鑑登録証明事務処理要領', '実印'];
    await workbook.xlsx.writeFile(path);

    const deps: ImportParseDeps = {
      divisions: new DivisionIndex([{ id: 7, code: 'D03-01', name: '市民課', departmentId: 3, departmentCode: 'D03', departmentName: '市民安全部' }]),
      divisionOf: () => undefined,
      findExisting: async () => new Map(),
    };
    const parsed = await parseImport(
      path,
      { program: 'seal', actor: { userId: 1, name: 'x', role: 'admin', departmentId: null }, today: '2026-11-24', nowIso: '2026-11-24T01:00:00.000Z', keepWrites: true, keepPlan: true },
      deps,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.headerRow).toBe(2);
    expect(parsed.plan).toEqual([
      { row: 3, code: 'T-001', action: 'create' },
      { row: 4, code: 'T-002', action: 'create' },
    ]);
    expect(parsed.creates[0].item).toMatchObject({ status: 'abolished', completedOn: '2026-09-01', note: '備考①', fields: { annualVolume: 1500, basisLevel: 'rule', sealKind: 'personal', replacement: 'signature' }, divisionId: 7 });
    expect(parsed.creates[1].item).toMatchObject({ status: 'legally_required', fields: { legalBasis: '印鑑登録証明事務処理要領', sealKind: 'registered' } });
  });
});
