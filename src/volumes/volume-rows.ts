import { fieldMessages, normalizeField } from '../items/item-fields';
import { normalizeMonth } from '../plans/month-value';
import { FieldDefinition } from '../programs/program.types';
import { ColumnSpec } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';

// One row of the volumes sheet 件数 (管理番号, 月, オンライン件数, 窓口件数), normalized at the
// edge with the item fields' rules: the code is NFKC-folded, counts are integers ≥ 0.

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
  column: VolumeColumn;
  code: string;
  message: string;
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
    if ('problem' in result) problems.push({ column, code: result.problem.code, message: result.problem.message });
    else if (result.value === null) problems.push({ column, code: 'missing_required', message: fieldMessages.missing_required(field.header) });
    else (values as Record<string, unknown>)[column] = result.value;
  }
  const month = normalizeMonth(cells.month ?? null, MONTH_HEADER);
  if ('problem' in month) problems.push({ column: 'month', code: month.problem.code, message: month.problem.message });
  else if (month.month > currentMonth) problems.push({ column: 'month', code: 'month_in_future', message: volumeMessages.futureMonth(month.month, currentMonth) });
  else values.month = month.month;
  // Problems in the order of the template's columns, as the clerk reads the row.
  const order: VolumeColumn[] = ['code', 'month', 'online', 'offline'];
  problems.sort((a, b) => order.indexOf(a.column) - order.indexOf(b.column));
  return problems.length ? { problems } : { values: values as VolumeValues };
}
