// Whole-file problems found while reading a sheet. Row-level problems (a bad date in one cell)
// are not errors here: the importer reports those per row. Codes are stable API; messages are
// Japanese because they reach the clerk who uploaded the file.

export type SheetFormatErrorCode =
  | 'unsupported_format'
  | 'unreadable_file'
  | 'sheet_not_found'
  | 'header_not_found'
  | 'duplicate_header'
  | 'too_many_columns'
  | 'too_many_rows'
  | 'file_too_large'
  | 'invalid_text';

export const SHEET_FORMAT_ERROR_CODES: readonly SheetFormatErrorCode[] = [
  'unsupported_format',
  'unreadable_file',
  'sheet_not_found',
  'header_not_found',
  'duplicate_header',
  'too_many_columns',
  'too_many_rows',
  'file_too_large',
  'invalid_text',
];

const DEFAULT_MESSAGES: Record<SheetFormatErrorCode, string> = {
  unsupported_format: '対応していないファイル形式です（xlsx 形式または CSV で保存してください）',
  unreadable_file: 'ファイルを読み取れません（壊れているか、xlsx / CSV ではありません）',
  sheet_not_found: 'シートが見つかりません',
  header_not_found: '見出し行が見つかりません',
  duplicate_header: '同じ見出しの列が複数あります',
  too_many_columns: '列が多すぎます',
  too_many_rows: '行が多すぎます',
  file_too_large: 'ファイルが大きすぎます',
  invalid_text: '文字コードを判別できないか、読めない文字が含まれています（UTF-8 または Shift_JIS の CSV で保存してください）',
};

export class SheetFormatError extends Error {
  readonly code: SheetFormatErrorCode;
  readonly messageJa: string;
  readonly detail?: Record<string, unknown>;

  constructor(code: SheetFormatErrorCode, messageJa?: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const text = messageJa ?? DEFAULT_MESSAGES[code];
    // Error.message carries the user-facing text too, so a generic handler still shows something useful.
    super(text, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SheetFormatError';
    this.code = code;
    this.messageJa = text;
    if (detail !== undefined) this.detail = detail;
  }
}

export function isSheetFormatError(e: unknown): e is SheetFormatError {
  return e instanceof SheetFormatError;
}

/** Column letters as a spreadsheet shows them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10}MB`;
}

// Builders keep the Japanese wording in one place.
export const sheetErrors = {
  unsupportedFormat: (detail?: Record<string, unknown>) => new SheetFormatError('unsupported_format', undefined, detail),
  legacyExcel: () =>
    new SheetFormatError(
      'unsupported_format',
      'Excel 97-2003 形式（.xls）やパスワード付きのファイルは読み込めません。パスワードを外して xlsx 形式で保存し直してください',
      { reason: 'ole_compound_file' },
    ),
  unreadable: (reason: string, cause?: unknown, messageJa?: string) =>
    new SheetFormatError('unreadable_file', messageJa, { reason }, { cause }),
  sheetNotFound: (wanted: string | undefined, available: string[]) =>
    new SheetFormatError(
      'sheet_not_found',
      wanted === undefined
        ? '読み込めるシートがありません'
        : `シート「${wanted}」が見つかりません（あるシート: ${available.length ? available.join('、') : 'なし'}）`,
      { wanted, available },
    ),
  tooManyColumns: (rowNumber: number, maxColumns: number) =>
    new SheetFormatError('too_many_columns', `列が多すぎます（${rowNumber}行目が上限の${maxColumns}列を超えています）`, {
      row: rowNumber,
      maxColumns,
    }),
  tooManyRows: (maxRows: number) =>
    new SheetFormatError('too_many_rows', `行が多すぎます（上限は${maxRows.toLocaleString('ja-JP')}行です）`, { maxRows }),
  fileTooLarge: (limitBytes: number, what: 'file' | 'uncompressed', actualBytes?: number) =>
    new SheetFormatError(
      'file_too_large',
      what === 'file'
        ? `ファイルが大きすぎます（上限は${megabytes(limitBytes)}です）`
        : `ファイルが大きすぎます（展開後のサイズが上限の${megabytes(limitBytes)}を超えています）`,
      { limitBytes, what, ...(actualBytes === undefined ? {} : { actualBytes }) },
    ),
  invalidText: (reason: string, line?: number, messageJa?: string) =>
    new SheetFormatError('invalid_text', messageJa, { reason, ...(line === undefined ? {} : { line }) }),
};
