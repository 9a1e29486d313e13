import type { ColumnSpec, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';
import type { RowErrorCollector, RowProblem } from './row-errors';
import type { SheetContext, SheetRules } from './sheet-pipeline';

// Sheets that add to stored items month by month (channel volumes, monthly reports): each row
// names an item by 管理番号 and a month, once per sheet; the items are looked up once per chunk of
// rows, and each must exist and belong to a department the importer may edit. The messages are
// the kind's own.

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
async function resolveStoredCodes<R extends CodedRow>(rows: readonly R[], stored: StoredCodes, errors: RowErrorCollector): Promise<{ entry: R; itemId: number }[]> {
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

/** A checked row of an item-and-month sheet. */
export interface ItemMonthRow extends CodedRow {
  month: string;
}

/** The rules of an item-and-month sheet; a kind gives its columns, its row rule and what it keeps of a resolved row. */
export abstract class ItemMonthSheetRules<R extends ItemMonthRow> implements SheetRules<R> {
  abstract readonly columns: ColumnSpec[];
  abstract readonly preferredSheetNames: string[];

  constructor(private readonly stored: StoredCodes) {}

  /** The row's cells → the checked row, or its problems. */
  protected abstract parse(row: SheetRow, cells: Record<string, CellValue>): R | { problems: RowProblem[] };
  /** The message of a second row for the same item and month. */
  protected abstract duplicateMessage(entry: R, firstRow: number): string;
  /** A row without an error, with its item. */
  protected abstract accept(entry: R, itemId: number): void;

  checkRow(row: SheetRow, sheet: SheetContext): R | undefined {
    const parsed = this.parse(row, sheet.cells(row));
    if ('problems' in parsed) {
      sheet.errors.addRow(row, parsed.problems);
      return undefined;
    }
    const first = sheet.errors.firstRow(`${parsed.code}\u0000${parsed.month}`, row.rowNumber);
    if (first !== undefined) {
      sheet.errors.addRow(row, [{ field: 'month', code: 'duplicate_row', message: this.duplicateMessage(parsed, first) }]);
      return undefined;
    }
    return parsed;
  }

  async checkChunk(rows: R[], sheet: SheetContext): Promise<void> {
    for (const { entry, itemId } of await resolveStoredCodes(rows, this.stored, sheet.errors)) this.accept(entry, itemId);
  }
}
