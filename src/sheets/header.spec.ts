import { ColumnSpec, locateHeader } from './header';
import { SheetFormatError } from './sheet-errors';
import type { SheetRow } from './sheet-reader';

const columns: ColumnSpec[] = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'name', header: '名称', aliases: ['手続名', '様式名', '例規名'], required: true },
  { key: 'division', header: '所管課', required: true },
  { key: 'status', header: '状況', required: true },
  { key: 'completedOn', header: '完了日', required: false },
  { key: 'note', header: '備考', required: false },
];

const row = (rowNumber: number, cells: SheetRow['cells']): SheetRow => ({ rowNumber, cells });

function catchError(fn: () => unknown): SheetFormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SheetFormatError) return e;
    throw e;
  }
  throw new Error('expected a SheetFormatError');
}

describe('locateHeader', () => {
  it('finds the header below title rows and maps columns', () => {
    const rows = [
      row(1, ['押印見直し調査票']),
      row(2, ['令和8年4月1日現在', null, '所管課名を記入']),
      row(4, [null, '管理番号', '手続名', '所管課 ', '状況', '備考', '担当者']),
      row(5, [null, 'A-1', '住民票', '市民課', '未着手']),
    ];
    const found = locateHeader(rows, columns);
    expect(found.rowNumber).toBe(4);
    expect([...found.columnIndex]).toEqual([
      ['code', 1],
      ['name', 2],
      ['division', 3],
      ['status', 4],
      ['note', 5],
    ]);
    expect(found.headersAsWritten.get('name')).toBe('手続名');
    expect(found.headersAsWritten.get('division')).toBe('所管課');
    expect(found.unknownHeaders).toEqual([{ column: 6, header: '担当者' }]);
  });

  it('matches English keys case-insensitively and folds 全角, spaces, line breaks and required marks', () => {
    const found = locateHeader([row(1, ['CODE', 'Name', '所 管\n課', '状況（必須）', '※完了日'])], columns);
    expect(found.columnIndex.get('code')).toBe(0);
    expect(found.columnIndex.get('name')).toBe(1);
    expect(found.columnIndex.get('division')).toBe(2);
    expect(found.columnIndex.get('status')).toBe(3);
    expect(found.columnIndex.get('completedOn')).toBe(4);
    expect(found.unknownHeaders).toEqual([]);
  });

  it('names the missing headers when no row qualifies', () => {
    const err = catchError(() => locateHeader([row(1, ['タイトル']), row(2, ['管理番号', '名称', '所管課'])], columns));
    expect(err.code).toBe('header_not_found');
    expect(err.messageJa).toBe('見出し行が見つかりません（先頭20行に 状況 が必要です）');
    expect(err.detail).toMatchObject({ missing: ['status'], closestRow: 2 });

    const none = catchError(() => locateHeader([row(1, ['a', 'b'])], columns));
    expect(none.messageJa).toBe('見出し行が見つかりません（先頭20行に 管理番号・名称・所管課・状況 が必要です）');
  });

  it('only scans the first maxScan rows', () => {
    const rows = Array.from({ length: 25 }, (_, i) => row(i + 1, [`説明${i + 1}`]));
    rows.push(row(26, ['管理番号', '名称', '所管課', '状況']));
    expect(catchError(() => locateHeader(rows, columns)).code).toBe('header_not_found');
    expect(locateHeader(rows, columns, 30).rowNumber).toBe(26);
  });

  it('refuses a header that appears twice', () => {
    const err = catchError(() => locateHeader([row(3, ['管理番号', '名称', '所管課', '状況', '様式名'])], columns));
    expect(err.code).toBe('duplicate_header');
    expect(err.messageJa).toContain('B列・E列');
    expect(err.detail).toMatchObject({ key: 'name', row: 3, columns: [1, 4] });
  });
});
