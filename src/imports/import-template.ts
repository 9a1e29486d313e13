import * as ExcelJS from 'exceljs';
import { getProgram, programFields } from '../programs/program-definitions';
import { FieldDefinition, FieldKind, ProgramKey } from '../programs/program.types';

// The empty sheet a division fills in (CONTRACT.md "Import": template). Same layout the importer
// reads: an instruction line, the header on row 2, one item per row from row 3. Drop-down lists
// take their labels from a hidden sheet, so a long list (所管課) is not limited to 255 characters.

export const TEMPLATE_HEADER_ROW = 2;
export const TEMPLATE_FIRST_DATA_ROW = 3;
export const TEMPLATE_LAST_DATA_ROW = 2000;
export const CHOICES_SHEET = '選択肢';
export const DATE_FORMAT = 'yyyy/m/d';

const WIDTH_BY_KIND: Record<FieldKind, number> = {
  code: 16,
  freeText: 28,
  choice: 16,
  integer: 12,
  date: 13,
  division: 26,
  status: 16,
};
const WIDE_TEXT = new Set(['name', 'note', 'legalBasis']);

export function templateInstruction(program: ProgramKey): string {
  const definition = getProgram(program);
  const required = programFields(program)
    .filter((field) => field.required)
    .map((field) => field.header)
    .join('・');
  return (
    `${definition.label}の一覧です。3行目から1行に1${definition.itemNoun}ずつ入力してください。` +
    `${required}は必須、状況・区分・所管課は▼の一覧から選び、日付は 2026/4/1 や 令和8年4月1日 の形で入力します（2行目の見出しは変えないでください）。`
  );
}

/** Labels offered for a column, or null when the column has no list. */
function listFor(program: ProgramKey, field: FieldDefinition, divisionNames: readonly string[]): string[] | null {
  if (field.kind === 'status') return getProgram(program).states.map((state) => state.label);
  if (field.kind === 'choice') return (field.choices ?? []).map((choice) => choice.label);
  if (field.kind === 'division') return divisionNames.length ? [...divisionNames] : null;
  return null;
}

function columnLetters(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

interface DataValidationsModel {
  add(address: string, validation: ExcelJS.DataValidation): void;
}

/** exceljs 4.4 supports range validations but does not declare `dataValidations` in its types. */
function dataValidations(sheet: ExcelJS.Worksheet): DataValidationsModel {
  return (sheet as unknown as { dataValidations: DataValidationsModel }).dataValidations;
}

export interface TemplateOptions {
  /** Lines above the instruction (a 照会 round's title and due date); the header moves down by as many rows. */
  titleLines?: readonly string[];
}

/** Where the header and the first data row sit when `titleLines` lines come first. */
export function templateLayout(titleLines = 0): { headerRow: number; firstDataRow: number; lastDataRow: number } {
  return { headerRow: TEMPLATE_HEADER_ROW + titleLines, firstDataRow: TEMPLATE_FIRST_DATA_ROW + titleLines, lastDataRow: TEMPLATE_LAST_DATA_ROW + titleLines };
}

export function buildImportTemplate(program: ProgramKey, divisionNames: readonly string[], options: TemplateOptions = {}): ExcelJS.Workbook {
  const definition = getProgram(program);
  const fields = programFields(program);
  const titles = options.titleLines ?? [];
  const layout = templateLayout(titles.length);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'procedure-dx-tracker';
  const sheet = workbook.addWorksheet(definition.label, { views: [{ state: 'frozen', ySplit: layout.headerRow }] });
  const choices = workbook.addWorksheet(CHOICES_SHEET, { state: 'hidden' });

  sheet.columns = fields.map((field) => ({
    key: field.key,
    width: WIDE_TEXT.has(field.key) ? 40 : WIDTH_BY_KIND[field.kind],
    // Column styles apply to what the clerk types later: dates as dates, codes as text
    // (so that 001 keeps its zeros).
    style: field.kind === 'date' ? { numFmt: DATE_FORMAT } : field.kind === 'code' ? { numFmt: '@' } : {},
  }));

  titles.forEach((line, index) => {
    const cell = sheet.getCell(index + 1, 1);
    cell.value = line;
    cell.font = { bold: true, size: 13 };
    sheet.mergeCells(index + 1, 1, index + 1, fields.length);
  });
  const instructionRow = titles.length + 1;
  const instruction = sheet.getCell(instructionRow, 1);
  instruction.value = templateInstruction(program).replace('3行目から', `${layout.firstDataRow}行目から`).replace('2行目の見出し', `${layout.headerRow}行目の見出し`);
  instruction.font = { bold: true, color: { argb: 'FF1F4E79' } };
  instruction.alignment = { vertical: 'middle' };
  sheet.mergeCells(instructionRow, 1, instructionRow, fields.length);

  const header = sheet.getRow(layout.headerRow);
  fields.forEach((field, index) => {
    const cell = header.getCell(index + 1);
    cell.value = field.header;
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.numFmt = 'General';
    // Required columns stand out: the importer refuses rows without them.
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: field.required ? 'FFFCE4D6' : 'FFE7E6E6' } };
    cell.border = { bottom: { style: 'thin' } };
  });

  let listColumn = 0;
  fields.forEach((field, index) => {
    const letter = columnLetters(index + 1);
    const range = `${letter}${layout.firstDataRow}:${letter}${layout.lastDataRow}`;
    const labels = listFor(program, field, divisionNames);
    if (labels) {
      listColumn++;
      const source = columnLetters(listColumn);
      choices.getCell(1, listColumn).value = field.header;
      labels.forEach((label, row) => (choices.getCell(row + 2, listColumn).value = label));
      dataValidations(sheet).add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [`'${CHOICES_SHEET}'!$${source}$2:$${source}$${labels.length + 1}`],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: field.header,
        error: `${field.header}は一覧から選んでください`,
      });
    } else if (field.kind === 'integer') {
      dataValidations(sheet).add(range, {
        type: 'whole',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [0],
        showErrorMessage: true,
        errorTitle: field.header,
        error: `${field.header}は0以上の整数で入力してください`,
      });
    }
  });
  return workbook;
}

export async function writeImportTemplate(program: ProgramKey, divisionNames: readonly string[], path: string): Promise<void> {
  await buildImportTemplate(program, divisionNames).xlsx.writeFile(path);
}
