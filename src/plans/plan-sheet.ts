import { SheetContext, SheetRules } from '../sheet-import/sheet-pipeline';
import { ColumnSpec, SheetRow } from '../sheets';
import { normalizePlanEntry, PlanMonth, planMessages, planSpanProblem } from './plan-math';

// The plan sheet (月 and 計画件数) for the one sheet pipeline: each row a month of the target's
// plan, a month once, and after the last row the span of the whole plan.

/** The plan sheet: 月 and 計画件数 (English keys and a few common names accepted too). */
export const PLAN_COLUMNS: ColumnSpec[] = [
  { key: 'month', header: '月', aliases: ['年月', '対象月'], required: true },
  { key: 'planned', header: '計画件数', aliases: ['計画', '計画数'], required: true },
];
export const PLAN_SHEET_NAMES = ['計画', '月別計画', '月別業務計画'];

export class PlanSheetRules implements SheetRules<never> {
  readonly columns = PLAN_COLUMNS;
  readonly preferredSheetNames = PLAN_SHEET_NAMES;
  /** The months of rows without an error, in sheet order, each with its row. */
  readonly months: (PlanMonth & { row: number })[] = [];

  constructor(private readonly deadline: string) {}

  checkRow(row: SheetRow, sheet: SheetContext): undefined {
    const normalized = normalizePlanEntry(sheet.cell(row, 'month'), sheet.cell(row, 'planned'));
    if (normalized.problems.length) sheet.errors.addRow(row, normalized.problems.map((problem) => ({ field: problem.key, code: problem.code, message: problem.message })));
    if (normalized.month === undefined || normalized.planned === undefined) return undefined;
    const first = sheet.errors.firstRow(normalized.month, row.rowNumber);
    if (first !== undefined) {
      const written = sheet.errors.asWritten(row, 'month');
      sheet.errors.addRow(row, [{ field: 'month', code: 'duplicate_month', message: planMessages.duplicateMonth(written, normalized.month, `${first}行目`) }]);
      return undefined;
    }
    this.months.push({ month: normalized.month, planned: normalized.planned, row: row.rowNumber });
    return undefined;
  }

  checkSheet(sheet: SheetContext): void {
    const span = sheet.errors.count ? null : planSpanProblem(this.months, this.deadline);
    if (!span) return;
    // Named on the row of the latest month: the one that stretches the plan too far.
    const latest = this.months.reduce((a, b) => (b.month > a.month ? b : a));
    sheet.errors.addAt(latest.row, { field: 'month', value: latest.month, code: span.code, message: span.message });
  }

  /** The plan the sheet gives, by month. */
  plan(): PlanMonth[] {
    return this.months.map(({ month, planned }) => ({ month, planned })).sort((a, b) => a.month.localeCompare(b.month));
  }
}
