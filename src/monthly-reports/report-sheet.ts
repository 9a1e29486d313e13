import { formatWarekiMonth } from '../calendar';
import { ItemMonthSheetRules, StoredCodes } from '../sheet-import/item-month-sheet';
import { SheetContext } from '../sheet-import/sheet-pipeline';
import { ColumnSpec, normalizeMatchValue, SheetRow } from '../sheets';
import type { CellValue } from '../sheets/sheet-reader';
import {
  MAX_COMMENT_LENGTH,
  MAX_MILESTONE_LENGTH,
  parsePercent,
  parseReportMonth,
  parseText,
  PlanEntry,
  planProblems,
  reportMessages,
  ReportValues,
  RuleProblem,
} from './report-rules';

// The sheet 月次報告 (管理番号, 月, 進捗率, コメント, 計画進捗率, マイルストーン) for the one sheet
// pipeline: one row per item and month, the items looked up per chunk, and after the last row the
// plan each item would have checked as a whole (it must never go down).

/** The sheet the office collects by Excel: one row per initiative and month. */
export const REPORT_COLUMNS: ColumnSpec[] = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'month', header: '月', aliases: ['年月', '対象月', '報告月'], required: true },
  { key: 'progress', header: '進捗率', aliases: ['進捗', '進捗率（%）', '進捗率(%)', '実績'], required: false },
  { key: 'comment', header: 'コメント', aliases: ['報告', '進捗状況', '状況説明'], required: false },
  { key: 'planned', header: '計画進捗率', aliases: ['計画', '計画（%）', '計画(%)'], required: false },
  { key: 'milestone', header: 'マイルストーン', aliases: ['予定', '実施予定', '月別業務計画'], required: false },
];
export const REPORT_SHEET_NAMES = ['月次報告'];

export interface ReportSheetRow {
  row: SheetRow;
  code: string;
  month: string;
  report: ReportValues | null;
  plan: PlanEntry | null;
}

/** A row whose item is known and may be reported on. */
export type ResolvedReportRow = ReportSheetRow & { itemId: number };

/** One row's cells → its report and plan entry, or its problems. */
export function parseReportRow(row: SheetRow, cells: Record<string, CellValue>, currentMonth: string): ReportSheetRow | { problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const code = normalizeMatchValue(cells.code ?? null);
  if (!code) problems.push({ field: 'code', value: '', code: 'missing_required', message: '管理番号は必須です' });
  const progress = parsePercent(cells.progress ?? null, '進捗率', 'progress');
  if ('problem' in progress) problems.push(progress.problem);
  const hasProgress = 'value' in progress && progress.value !== null;
  // A plan month may lie ahead; a report may not.
  const month = parseReportMonth(cells.month ?? null, hasProgress ? currentMonth : '9999-12');
  if ('problem' in month) problems.push(month.problem);
  const comment = parseText(cells.comment ?? null, 'コメント', 'comment', MAX_COMMENT_LENGTH);
  if ('problem' in comment) problems.push(comment.problem);
  const planned = parsePercent(cells.planned ?? null, '計画進捗率', 'planned');
  if ('problem' in planned) problems.push(planned.problem);
  const milestone = parseText(cells.milestone ?? null, 'マイルストーン', 'milestone', MAX_MILESTONE_LENGTH);
  if ('problem' in milestone) problems.push(milestone.problem);
  if (problems.length) return { problems };
  const values = {
    progress: (progress as { value: number | null }).value,
    comment: (comment as { value: string | null }).value,
    planned: (planned as { value: number | null }).value,
    milestone: (milestone as { value: string | null }).value,
  };
  if (values.progress === null && values.comment !== null) return { problems: [{ field: 'progress', value: '', code: 'missing_required', message: reportMessages.commentWithoutProgress() }] };
  if (values.progress === null && values.planned === null && values.milestone === null) return { problems: [{ field: 'progress', value: '', code: 'empty_row', message: reportMessages.emptyRow() }] };
  const resolvedMonth = (month as { month: string }).month;
  return {
    row,
    code,
    month: resolvedMonth,
    report: values.progress === null ? null : { month: resolvedMonth, progress: values.progress, comment: values.comment },
    plan: values.planned === null && values.milestone === null ? null : { month: resolvedMonth, planned: values.planned, milestone: values.milestone },
  };
}

export class ReportSheetRules extends ItemMonthSheetRules<ReportSheetRow> {
  readonly columns = REPORT_COLUMNS;
  readonly preferredSheetNames = REPORT_SHEET_NAMES;
  /** The rows without an error, with their items. */
  readonly rows: ResolvedReportRow[] = [];

  constructor(
    private readonly currentMonth: string,
    stored: StoredCodes,
    /** The stored monthly plans of these items. */
    private readonly storedPlans: (itemIds: number[]) => Promise<(PlanEntry & { itemId: number })[]>,
  ) {
    super(stored);
  }

  protected parse(row: SheetRow, cells: Record<string, CellValue>): ReportSheetRow | { problems: RuleProblem[] } {
    return parseReportRow(row, cells, this.currentMonth);
  }

  protected duplicateMessage(entry: ReportSheetRow, firstRow: number): string {
    return `管理番号「${entry.code}」の${formatWarekiMonth(entry.month)}が${firstRow}行目と重複しています`;
  }

  protected accept(entry: ReportSheetRow, itemId: number): void {
    this.rows.push({ ...entry, itemId });
  }

  /** The plan each item would have after the import must still never go down. */
  async checkSheet(sheet: SheetContext): Promise<void> {
    const planRows = this.rows.filter((entry) => entry.plan && entry.plan.planned !== null);
    if (!planRows.length) return;
    const itemIds = [...new Set(planRows.map((entry) => entry.itemId))];
    const stored = await this.storedPlans(itemIds);
    for (const itemId of itemIds) {
      const merged = new Map<string, PlanEntry>();
      for (const row of stored.filter((entry) => entry.itemId === itemId)) merged.set(row.month, { month: row.month, planned: row.planned, milestone: row.milestone });
      const own = planRows.filter((entry) => entry.itemId === itemId);
      for (const entry of own) merged.set(entry.month, { month: entry.month, planned: entry.plan!.planned, milestone: null });
      for (const problem of planProblems([...merged.values()])) {
        if (problem.code !== 'plan_decreases') continue;
        // named on the file's row for that month, else on the item's last row (a stored month is the other side)
        const row = own.find((entry) => entry.month === problem.month) ?? own[own.length - 1];
        sheet.errors.addRow(row.row, [problem]);
      }
    }
  }
}
