import { ColumnSpec, locateHeader } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';
import { RowErrorCollector, sheetWarnings } from './row-errors';

const COLUMNS: ColumnSpec[] = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'month', header: '月', required: true },
  { key: 'count', header: '件数', required: true },
  { key: 'note', header: '備考', required: false },
];

// The sheet's columns in another order than the template's, one header with a required mark, one unknown column.
function header(cells: CellValue[] = ['月', '※管理番号', '件数', '担当']) {
  return locateHeader([{ rowNumber: 3, cells }], COLUMNS);
}

const row = (rowNumber: number, cells: CellValue[]) => ({ rowNumber, cells });

describe('RowErrorCollector', () => {
  it("names the row, the column as the sheet writes it and the cell as typed, a row's problems in the sheet's column order", () => {
    const errors = new RowErrorCollector(header(), COLUMNS);
    errors.addRow(row(4, ['来月', ' A-1 ', '-3']), [
      { field: 'count', code: 'negative_number', message: '件数は0以上' },
      { field: 'code', code: 'unknown_code', message: 'ない' },
      { field: 'month', code: 'invalid_month', message: '月として読めません' },
    ]);
    expect(errors.finish()).toEqual({
      errors: [
        { row: 4, column: '月', value: '来月', code: 'invalid_month', message: '月として読めません' },
        { row: 4, column: '※管理番号', value: 'A-1', code: 'unknown_code', message: 'ない' },
        { row: 4, column: '件数', value: '-3', code: 'negative_number', message: '件数は0以上' },
      ],
      errorsOmitted: 0,
    });
    expect(errors.count).toBe(3);
  });

  it('shows a missing column by its template header and the value the rule gives; a field shown on another column', () => {
    const errors = new RowErrorCollector(header(), COLUMNS, { fieldColumn: (field) => (field === 'effectiveOn' ? 'month' : field) });
    errors.addRow(row(5, ['2026-13', 'A-1', '1']), [
      { field: 'note', code: 'too_long', message: '長すぎます', value: 'x'.repeat(150) },
      { field: 'effectiveOn', code: 'before_current', message: '前です', value: '2026-01-01' },
    ]);
    const { errors: reported } = errors.finish();
    expect(reported.map((error) => [error.column, error.value])).toEqual([
      ['月', '2026-13'],
      // cut at 100 characters: a huge value is named, not echoed whole
      ['備考', `${'x'.repeat(100)}…`],
    ]);
  });

  it('shows control characters in a value as code points', () => {
    const errors = new RowErrorCollector(header(), COLUMNS);
    errors.addRow(row(4, ['2026-04', 'A\u001b1', '1']), [{ field: 'code', code: 'invalid_character', message: '制御文字' }]);
    expect(errors.finish().errors[0].value).toBe('A<U+001B>1');
  });

  it('puts problems found later (per chunk or over the whole sheet) in sheet order', () => {
    const errors = new RowErrorCollector(header(), COLUMNS);
    // a chunk: the cell checks report first, the stored-data lookups after them
    errors.addRow(row(6, ['x', 'A-6', '1']), [{ field: 'month', code: 'invalid_month', message: 'm' }]);
    errors.addRow(row(4, ['2026-04', 'A-4', '1']), [{ field: 'code', code: 'unknown_code', message: 'c' }]);
    errors.flush();
    errors.addRow(row(9, ['2026-04', 'A-9', '1']), [{ field: 'code', code: 'unknown_code', message: 'c' }]);
    // a rule over the whole sheet, shown with the value it names
    errors.addAt(5, { field: 'month', code: 'plan_too_long', message: 'long', value: '2031-04' });
    const { errors: reported } = errors.finish();
    expect(reported.map((error) => [error.row, error.code, error.value])).toEqual([
      [4, 'unknown_code', 'A-4'],
      [5, 'plan_too_long', '2031-04'],
      [6, 'invalid_month', 'x'],
      [9, 'unknown_code', 'A-9'],
    ]);
  });

  it('reports up to the cap, the first rows of the sheet, and counts the rest as omitted', () => {
    const errors = new RowErrorCollector(header(), COLUMNS, { maxReported: 3 });
    for (let n = 10; n >= 4; n--) errors.addRow(row(n, ['x', `A-${n}`, '1']), [{ field: 'month', code: 'invalid_month', message: 'm' }]);
    errors.flush();
    errors.addRow(row(11, ['x', 'A-11', '1']), [{ field: 'month', code: 'invalid_month', message: 'm' }]);
    const report = errors.finish();
    expect(report.errors.map((error) => error.row)).toEqual([4, 5, 6]);
    expect(report.errorsOmitted).toBe(5);
    expect(errors.count).toBe(8);
  });

  it('detects a duplicate key and names the row that used it first', () => {
    const errors = new RowErrorCollector(header(), COLUMNS);
    expect(errors.firstRow('A-1\u00002026-04', 4)).toBeUndefined();
    expect(errors.firstRow('A-1\u00002026-05', 5)).toBeUndefined();
    expect(errors.firstRow('A-1\u00002026-04', 7)).toBe(4);
    expect(errors.firstRow('A-1\u00002026-04', 9)).toBe(4);
  });
});

describe('sheetWarnings', () => {
  it('warns of each unknown column, and of a header without data rows', () => {
    expect(sheetWarnings(header(), 0)).toEqual([
      { row: 3, column: '担当', code: 'unknown_column', message: '列「担当」は取り込みの対象外です（無視しました）' },
      { row: 3, column: '', code: 'no_rows', message: '見出し行（3行目）の下にデータの行がありません' },
    ]);
    expect(sheetWarnings(header(['月', '管理番号', '件数']), 2, (name) => `列「${name}」は別の取組の列です`)).toEqual([]);
    expect(sheetWarnings(header(), 1, (name) => `列「${name}」は別の取組の列です`)[0].message).toBe('列「担当」は別の取組の列です');
  });
});
