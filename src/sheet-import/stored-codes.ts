import type { SheetRow } from '../sheets';
import type { RowErrorCollector } from './row-errors';

// Sheets that add to stored items (channel volumes, monthly reports) name each item by 管理番号:
// one lookup per chunk of rows, then every row's item must exist and belong to a department the
// importer may edit. Both messages are the kind's own.

export interface StoredItemRef {
  id: number;
  code: string;
  divisionId: number;
}

export interface StoredCodes {
  /** The stored items with these codes (of the kind's program). */
  find(codes: string[]): Promise<StoredItemRef[]>;
  /** Every division, closed ones too: the owner of a stored item. */
  owners: ReadonlyMap<number, { name: string; departmentId: number }>;
  /** May the importer change items of this department? */
  mayEdit(departmentId: number): boolean;
  unknownCode(code: string): string;
  forbidden(code: string, divisionName: string): string;
}

export interface CodedRow {
  row: SheetRow;
  code: string;
}

/** The rows whose code names an item the importer may change, each with its item's id; the others are reported on 管理番号. */
export async function resolveStoredCodes<R extends CodedRow>(rows: readonly R[], stored: StoredCodes, errors: RowErrorCollector): Promise<{ entry: R; itemId: number }[]> {
  if (!rows.length) return [];
  const found = await stored.find([...new Set(rows.map((entry) => entry.code))]);
  const byCode = new Map(found.map((item) => [item.code, item]));
  const resolved: { entry: R; itemId: number }[] = [];
  for (const entry of rows) {
    const item = byCode.get(entry.code);
    if (!item) {
      errors.addRow(entry.row, [{ field: 'code', code: 'unknown_code', message: stored.unknownCode(entry.code) }]);
      continue;
    }
    const owner = stored.owners.get(item.divisionId);
    if (!owner || !stored.mayEdit(owner.departmentId)) {
      errors.addRow(entry.row, [{ field: 'code', code: 'forbidden_division', message: stored.forbidden(entry.code, owner?.name ?? String(item.divisionId)) }]);
      continue;
    }
    resolved.push({ entry, itemId: item.id });
  }
  return resolved;
}
