import { fieldMessages, normalizeField } from '../items/item-fields';
import { normalizeMonth } from '../plans/month-value';
import { FieldDefinition } from '../programs/program.types';
import { ItemMonthRow, ItemMonthSheetRules, StoredCodes } from '../sheet-import/item-month-sheet';
import { ColumnSpec, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';

// The volumes sheet 件数 (管理番号, 月, オンライン件数, 窓口件数): each row normalized at the edge
// with the item fields' rules (the code NFKC-folded, counts integers ≥ 0), for the sheet pipeline.

export type VolumeColumn = 'code' | 'month' | 'online' | 'offline';

const MONTH_HEADER = '月';

export const VOLUME_FIELDS: Record<Exclude<VolumeColumn, 'month'>, FieldDefinition> = {
  code: { key: 'code', header: '管理番号', kind: 'code', required: true, maxLength: 64 },
  online: { key: 'online', header: 'オンライン件数', kind: 'integer', required: true },
  offline: { key: 'offline', header: '窓口件数', kind: 'integer', required: true },
};

export const VOLUME_COLUMNS: ColumnSpec[] = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'month', header: MONTH_HEADER, aliases: ['年月', '対象月'], required: true },
  { key: 'online', header: 'オンライン件数', aliases: ['オンライン', 'オンライン申請件数'], required: true },
  { key: 'offline', header: '窓口件数', aliases: ['窓口', '窓口・書面件数', '書面件数'], required: true },
];

/** xlsx: the sheet read by default (else the first). */
export const VOLUME_SHEET_NAMES = ['件数'];

export interface VolumeValues {
  code: string;
  month: string;
  online: number;
  offline: number;
}

export interface VolumeProblem {
  field: VolumeColumn;
  code: string;
  message: string;
}

/** One (item, month) count: what a sheet row or the demo writes. */
export interface VolumeWrite {
  itemId: number;
  month: string;
  online: number;
  offline: number;
}

export const volumeMessages = {
  unknownCode: (code: string) => `管理番号「${code}」のオンライン化の手続がありません`,
  forbidden: (code: string, division: string) => `管理番号「${code}」は所属部局外の「${division}」の手続のため取り込めません`,
  duplicate: (code: string, month: string, firstRow: number) => `管理番号「${code}」の${month}が${firstRow}行目と重複しています`,
  futureMonth: (month: string, current: string) => `月 ${month} はまだ来ていません（${current}までの件数を入力してください）`,
};

/** Normalizes one row; `currentMonth` is the latest month cases can have been counted in. */
export function normalizeVolumeRow(cells: Record<string, CellValue>, currentMonth: string): { values: VolumeValues } | { problems: VolumeProblem[] } {
  const problems: VolumeProblem[] = [];
  const values: Partial<VolumeValues> = {};
  for (const column of ['code', 'online', 'offline'] as const) {
    const field = VOLUME_FIELDS[column];
    const result = normalizeField('online', field, cells[column] ?? null);
    if ('problem' in result) problems.push({ field: column, code: result.problem.code, message: result.problem.message });
    else if (result.value === null) problems.push({ field: column, code: 'missing_required', message: fieldMessages.missing_required(field.header) });
    else (values as Record<string, unknown>)[column] = result.value;
  }
  const month = normalizeMonth(cells.month ?? null, MONTH_HEADER);
  if ('problem' in month) problems.push({ field: 'month', code: month.problem.code, message: month.problem.message });
  else if (month.month > currentMonth) problems.push({ field: 'month', code: 'month_in_future', message: volumeMessages.futureMonth(month.month, currentMonth) });
  else values.month = month.month;
  // (the error collector puts a row's problems in the order of the sheet's columns)
  return problems.length ? { problems } : { values: values as VolumeValues };
}

interface VolumeRow extends ItemMonthRow {
  values: VolumeValues;
}

/** The sheet 件数 for the one sheet pipeline: one row per procedure and month. */
export class VolumeSheetRules extends ItemMonthSheetRules<VolumeRow> {
  readonly columns = VOLUME_COLUMNS;
  readonly preferredSheetNames = VOLUME_SHEET_NAMES;
  /** The counts to write, of rows without an error. */
  readonly writes: VolumeWrite[] = [];

  constructor(
    private readonly currentMonth: string,
    stored: StoredCodes,
  ) {
    super(stored);
  }

  protected parse(row: SheetRow, cells: Record<string, CellValue>): VolumeRow | { problems: VolumeProblem[] } {
    const normalized = normalizeVolumeRow(cells, this.currentMonth);
    return 'problems' in normalized ? normalized : { row, code: normalized.values.code, month: normalized.values.month, values: normalized.values };
  }

  protected duplicateMessage(entry: VolumeRow, firstRow: number): string {
    return volumeMessages.duplicate(entry.code, entry.month, firstRow);
  }

  protected accept(entry: VolumeRow, itemId: number): void {
    this.writes.push({ itemId, month: entry.month, online: entry.values.online, offline: entry.values.offline });
  }
}
