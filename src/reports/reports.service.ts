import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type * as ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Repository } from 'typeorm';
import { auditRange } from '../audit/audit-range';
import { AuditService } from '../audit/audit.service';
import { addMonthsToMonth, fiscalYearOf, fiscalYearStart, formatWarekiDate, monthOf } from '../calendar';
import { Actor } from '../common/actor';
import { SURVEY_STATUS_SOURCE, SurveyStatusSource } from '../common/survey-answers';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, forbidden } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { matchChoice } from '../items/item-fields';
import { Department } from '../organization/department.entity';
import { Division } from '../organization/division.entity';
import { OrganizationService } from '../organization/organization.service';
import { getProgram, programFields, programKeys, stateLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { overdueReasons } from '../progress/overdue';
import { ProgressService } from '../progress/progress.service';
import { TargetView } from '../targets/target-rules';
import { TargetsService } from '../targets/targets.service';
import { normalizeMatchValue } from '../sheets/normalize';
import { DEFAULT_TAKE_UP_MONTHS } from '../volumes/take-up';
import { VolumesService } from '../volumes/volumes.service';
import {
  departmentColumns,
  departmentGroups,
  departmentRows,
  HISTORY_COLUMNS,
  historyRow,
  monthPeriodLabel,
  NO_PLAN_NOTE,
  OVERDUE_COLUMNS,
  overdueRow,
  periodLabel,
  PLAN_COLUMNS,
  PLAN_NOTES,
  planRows,
  reportTitle,
  SHEET_NAMES,
  SUMMARY_COLUMNS,
  SURVEY_COLUMNS,
  surveyStatusRow,
  SUMMARY_NOTES,
  SUMMARY_VERDICT_COLUMN,
  summaryRow,
  summaryTotalRow,
  TAKE_UP_COLUMNS,
  TAKE_UP_NOTES,
  takeUpGroupRow,
  takeUpItemRow,
  takeUpTotalRow,
  verdictFill,
} from './compliance-sheets';
import { exportItem } from './export-item';
import { complianceFileName, ExportFileName, itemsFileName } from './report-format';
import { EXPORT_PAGE_SIZE, ItemPageFilter, ItemPageRow, ReportsRepository } from './reports.repository';
import { CsvItemWriter, XlsxItemWriter } from './item-sheet-writers';
import { commitWorkbook, streamingWorkbook, TableSheet } from '../sheets/table-sheet';

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Filters of a program's export; raw values as typed (normalized here, at the edge of the service). */
export interface ItemExportRequest {
  program: ProgramKey;
  format: ExportFormat;
  /** YYYY-MM-DD; the state as of that date. Without it: the items as they stand (what re-imports unchanged). */
  asOf?: string;
  department?: string;
  division?: string;
  status?: string;
  nationalGroup?: string;
  q?: string;
}

export interface ComplianceRequest {
  /** YYYY-MM-DD; default today. */
  asOf?: string;
  department?: string;
  /** The period of 変更履歴 (YYYY-MM-DD, both included); default the fiscal year of the as-of date, up to it. */
  from?: string;
  to?: string;
}

export interface ExportResult {
  /** Data rows written: items (a program export) or items over the program sheets (the workbook). */
  rows: number;
}

/** An export that passed its checks: its name, and the writing, which ends `out` when done. */
export interface PreparedExport extends ExportFileName {
  contentType: string;
  write(out: Writable): Promise<ExportResult>;
}

/** The compliance workbook being written, and what every one of its sheets is about. */
interface ComplianceBook {
  workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  out: Writable;
  asOf: string;
  /** The period of 変更履歴. */
  from: string;
  to: string;
  scope: ExportScope;
  labels: Map<number, string>;
  /** 対象 in the subtitles: the department's name, or 全庁. */
  departmentText: string;
}

type ProgressReport = Awaited<ReturnType<ProgressService['progress']>>;

/** Who may see what: the department filter in force, and the divisions it covers on the date. */
interface ExportScope {
  department: { code: string; name: string } | null;
  division: { id: number; name: string } | null;
  /** undefined: every division. */
  divisionIds?: number[];
  placements: Awaited<ReturnType<ProgressService['placements']>>;
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly progress: ProgressService,
    private readonly targets: TargetsService,
    private readonly organization: OrganizationService,
    private readonly volumes: VolumesService,
    private readonly audit: AuditService,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SURVEY_STATUS_SOURCE) private readonly surveyStatus?: SurveyStatusSource,
  ) {}

  /**
   * The department and divisions an export covers. Reading is one rule everywhere: every role reads
   * every item (the list API, progress and exports alike); only changes are limited to an editor's
   * own department. An editor's export without a department or division filter is of its own
   * department (what a department coordinator circulates); with a filter, what the filter names.
   * Departments are the organization in force on `date` (a report by department uses its date).
   */
  private async scope(actor: Actor, date: string, department?: string, division?: string): Promise<ExportScope> {
    const placements = await this.progress.placements(date);
    let chosen: Department | null = department ? await this.organization.resolveDepartment(department, date) : null;
    if (actor.role !== 'admin' && actor.role !== 'viewer' && actor.role !== 'editor') throw forbidden();
    if (actor.role === 'editor' && !chosen && !division && actor.departmentId !== null) {
      chosen = await this.departments.findOne({ where: { id: actor.departmentId } });
    }
    let divisionIds: number[] | undefined;
    let divisionRef: ExportScope['division'] = null;
    if (chosen) {
      const code = chosen.code;
      divisionIds = [...placements].filter(([, placement]) => placement.departmentCode === code).map(([id]) => id);
    }
    if (division) {
      const found = await this.organization.resolveDivision(division);
      divisionRef = { id: found.id, name: found.name };
      divisionIds = divisionIds ? divisionIds.filter((id) => id === found.id) : [found.id];
    }
    return { department: chosen ? { code: chosen.code, name: chosen.name } : null, division: divisionRef, divisionIds, placements };
  }

  /**
   * What 所管課 says for each division: its name when the name finds it again on import, else its
   * code (two divisions with one name, or a division no longer in force).
   */
  private async divisionLabels(): Promise<Map<number, string>> {
    const index = await this.organization.currentDivisions();
    const all = await this.divisions.find({ select: { id: true, code: true, name: true } });
    const labels = new Map<number, string>();
    for (const division of all) {
      const byName = index.find(normalizeMatchValue(division.name));
      labels.set(division.id, byName?.id === division.id ? division.name : division.code);
    }
    return labels;
  }

  private statusKey(program: ProgramKey, raw: string): string {
    const key = matchChoice(getProgram(program).states, normalizeMatchValue(raw));
    if (!key) throw new DomainError('invalid_status', `状況「${raw}」は${getProgram(program).label}にありません`);
    return key;
  }

  private nationalGroupKey(program: ProgramKey, raw: string): string {
    const field = programFields(program).find((candidate) => candidate.key === 'nationalGroup');
    const key = field?.choices ? matchChoice(field.choices, normalizeMatchValue(raw)) : undefined;
    if (!key) throw new DomainError('invalid_choice', `国の区分「${raw}」は使えません`);
    return key;
  }

  private asOfOrToday(asOf: string | undefined): string {
    const today = this.clock.today();
    const date = asOf ?? today;
    if (date > today) throw new DomainError('as_of_in_future', `基準日 ${date} は今日（${today}）より後にできません`);
    return date;
  }

  /** One program's items in the import layout, as CSV or xlsx. */
  async prepareItems(request: ItemExportRequest, actor: Actor): Promise<PreparedExport> {
    const { program, format } = request;
    const definition = getProgram(program);
    const date = this.asOfOrToday(request.asOf);
    const scope = await this.scope(actor, date, request.department, request.division);
    const filter: ItemPageFilter = {
      program,
      asOf: request.asOf,
      divisionIds: scope.divisionIds,
      status: request.status ? this.statusKey(program, request.status) : undefined,
      initialState: definition.initialState,
      nationalGroup: request.nationalGroup ? this.nationalGroupKey(program, request.nationalGroup) : undefined,
      searchNeedle: request.q ? normalizeMatchValue(request.q).toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`) : undefined,
    };
    const labels = await this.divisionLabels();
    await this.audit.record(actor, 'export', {
      kind: 'items',
      program,
      format,
      filters: compact({
        asOf: request.asOf,
        department: scope.department?.name,
        division: scope.division?.name,
        status: filter.status,
        nationalGroup: filter.nationalGroup,
        q: request.q,
      }),
    });
    const name = itemsFileName(definition.label, program, date, format, scope.department?.name);
    const title = `${definition.label} 一覧（${formatWarekiDate(date)}現在）`;
    const subtitle = filterLabel([
      ['部局', scope.department?.name],
      ['所管課', scope.division?.name],
      ['状況', filter.status ? stateLabel(program, filter.status) : undefined],
      ['国の区分', request.nationalGroup],
      ['検索', request.q],
    ]);
    return {
      ...name,
      contentType: CONTENT_TYPES[format],
      write: async (out) => {
        if (format === 'csv') {
          const writer = new CsvItemWriter(program, out);
          await writer.start();
          await this.eachItemPage(filter, (rows) => writer.writeItems(rows.map((row) => exportItem(program, row, request.asOf, labels))));
          out.end();
          await finished(out);
          return { rows: writer.rowCount };
        }
        const workbook = streamingWorkbook(out);
        const writer = new XlsxItemWriter(program, workbook, definition.label, { title, subtitle, out });
        await this.eachItemPage(filter, (rows) => writer.writeItems(rows.map((row) => exportItem(program, row, request.asOf, labels))));
        writer.finish();
        await commitWorkbook(workbook, out);
        return { rows: writer.rowCount };
      },
    };
  }

  private async eachItemPage(filter: ItemPageFilter, work: (rows: ItemPageRow[]) => Promise<void>): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const page = await this.repository.itemPage(filter, after, EXPORT_PAGE_SIZE);
      if (page.length) await work(page);
      if (page.length < EXPORT_PAGE_SIZE) return;
      after = page[page.length - 1].code;
    }
  }

  /** The compliance workbook: 概要, 月別, 部局別, 利用率, one sheet per program, 期限超過, 変更履歴. */
  async prepareCompliance(request: ComplianceRequest, actor: Actor): Promise<PreparedExport> {
    const asOf = this.asOfOrToday(request.asOf);
    const from = request.from ?? fiscalYearStart(fiscalYearOf(asOf));
    const to = request.to ?? asOf;
    if (from > to) throw new DomainError('invalid_range', `変更履歴の期間の開始日（${from}）が終了日（${to}）より後になっています`);
    const scope = await this.scope(actor, asOf, request.department);
    const labels = await this.divisionLabels();
    await this.audit.record(actor, 'export', {
      kind: 'compliance',
      format: 'xlsx',
      filters: compact({ asOf: request.asOf, department: scope.department?.name, from: request.from, to: request.to }),
      asOf,
      historyFrom: from,
      historyTo: to,
    });
    return {
      ...complianceFileName(asOf, scope.department?.name),
      contentType: CONTENT_TYPES.xlsx,
      write: (out) => this.writeCompliance(out, { asOf, from, to, scope, labels }),
    };
  }

  /** The compliance workbook, sheet by sheet in the order a reader meets them. */
  private async writeCompliance(
    out: Writable,
    { asOf, from, to, scope, labels }: { asOf: string; from: string; to: string; scope: ExportScope; labels: Map<number, string> },
  ): Promise<ExportResult> {
    const report = await this.progress.progress(asOf);
    const targets = await this.targets.list();
    const book: ComplianceBook = {
      workbook: streamingWorkbook(out),
      out,
      asOf,
      from,
      to,
      scope,
      labels,
      departmentText: scope.department ? scope.department.name : '全庁',
    };
    await this.writeSummarySheet(book, report);
    await this.writePlanSheet(book, report);
    await this.writeDepartmentSheet(book, report);
    await this.writeTakeUpSheet(book);
    const rows = await this.writeProgramSheets(book);
    await this.writeOverdueSheet(book, targets);
    await this.writeSurveySheet(book);
    await this.writeHistorySheet(book);
    await commitWorkbook(book.workbook, out);
    return { rows };
  }

  /** 概要: the targets, exactly as the progress report has them (city-wide). */
  private async writeSummarySheet({ workbook, out, asOf, from, to, departmentText }: ComplianceBook, report: ProgressReport): Promise<void> {
    const summary = new TableSheet(workbook, SHEET_NAMES.summary, {
      title: reportTitle(asOf),
      subtitle: `基準日 ${formatWarekiDate(asOf)}（${asOf}）／対象 ${departmentText}（目標の数値は全庁）／変更履歴 ${periodLabel(from, to)}`,
      columns: SUMMARY_COLUMNS,
      out,
    });
    for (const target of report.targets) {
      const row = summary.addRow(summaryRow(target));
      summary.styleCell(row.getCell(SUMMARY_VERDICT_COLUMN), {
        fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: verdictFill(target.verdict) } },
        font: { bold: true },
        alignment: { vertical: 'top', horizontal: 'center' },
      });
    }
    summary.addTotalRow(summaryTotalRow(report.targets, report.departments));
    await summary.flush();
    summary.finish(SUMMARY_NOTES);
  }

  /** 月別: the monthly plans month by month, from the same report (targets are city-wide). */
  private async writePlanSheet({ workbook, out, asOf }: ComplianceBook, report: ProgressReport): Promise<void> {
    const planSheet = new TableSheet(workbook, SHEET_NAMES.plan, {
      title: `月別業務計画と実績（${formatWarekiDate(asOf)}現在）`,
      subtitle: '目標ごとに計画の最初の月から最後の月まで（目標の数値は全庁）',
      columns: PLAN_COLUMNS,
      out,
    });
    for (const target of report.targets) for (const values of planRows(target)) planSheet.addRow(values);
    await planSheet.flush();
    planSheet.finish(planSheet.dataRows ? PLAN_NOTES : [NO_PLAN_NOTE, ...PLAN_NOTES]);
  }

  /** 部局別: department × program, from the same report. */
  private async writeDepartmentSheet({ workbook, out, asOf, scope, departmentText }: ComplianceBook, report: ProgressReport): Promise<void> {
    const departments = new TableSheet(workbook, SHEET_NAMES.departments, {
      title: `部局別の進捗（${formatWarekiDate(asOf)}現在）`,
      subtitle: `組織は基準日の組織／対象 ${departmentText}`,
      columns: departmentColumns(),
      groups: departmentGroups(),
      out,
    });
    const departmentProgress = scope.department ? report.departments.filter((row) => row.departmentCode === scope.department!.code) : report.departments;
    for (const values of departmentRows(departmentProgress)) departments.addRow(values);
    await departments.flush();
    departments.finish();
  }

  /**
   * 利用率: the online procedures' take-up over the twelve months up to the as-of month, as
   * GET /api/v1/take-up answers it (city-wide, like the targets).
   */
  private async writeTakeUpSheet({ workbook, out, asOf }: ComplianceBook): Promise<void> {
    const takeUpTo = monthOf(asOf);
    const takeUp = await this.volumes.takeUp({ from: addMonthsToMonth(takeUpTo, -(DEFAULT_TAKE_UP_MONTHS - 1)), to: takeUpTo });
    const takeUpSheet = new TableSheet(workbook, SHEET_NAMES.takeUp, {
      title: `オンライン利用率（${monthPeriodLabel(takeUp.from, takeUp.to)}）`,
      subtitle: `オンライン化の手続、${takeUp.from}〜${takeUp.to} の件数（全庁）`,
      columns: TAKE_UP_COLUMNS,
      out,
    });
    for (const item of takeUp.items) takeUpSheet.addRow(takeUpItemRow(item));
    for (const group of takeUp.groups) takeUpSheet.addTotalRow(takeUpGroupRow(group));
    takeUpSheet.addTotalRow(takeUpTotalRow(takeUp.total, takeUp.items.length));
    await takeUpSheet.flush();
    takeUpSheet.finish(TAKE_UP_NOTES);
  }

  /** One sheet per program, the import layout with the state as of the date; returns the item rows written. */
  private async writeProgramSheets({ workbook, out, asOf, scope, labels, departmentText }: ComplianceBook): Promise<number> {
    let rows = 0;
    for (const program of programKeys()) {
      const definition = getProgram(program);
      const writer = new XlsxItemWriter(program, workbook, definition.label, {
        title: `${definition.label} 一覧（${formatWarekiDate(asOf)}現在）`,
        subtitle: `対象 ${departmentText}／この表は取り込み様式と同じ列です（そのまま取り込めます）`,
        out,
      });
      const filter: ItemPageFilter = { program, asOf, divisionIds: scope.divisionIds, initialState: definition.initialState };
      await this.eachItemPage(filter, (page) => writer.writeItems(page.map((row) => exportItem(program, row, asOf, labels))));
      writer.finish();
      rows += writer.rowCount;
    }
    return rows;
  }

  /**
   * 期限超過: items open on the date past their own due date or a covering target's deadline
   * (the rule of the overdue list, overdueReasons), program by program, by code.
   */
  private async writeOverdueSheet({ workbook, out, asOf, scope, departmentText }: ComplianceBook, targets: TargetView[]): Promise<void> {
    const overdue = new TableSheet(workbook, SHEET_NAMES.overdue, {
      title: `期限超過の一覧（${formatWarekiDate(asOf)}現在）`,
      subtitle: `対象 ${departmentText}／期限 = 予定日または目標の期限のうち早い方、超過日数 = 期限から基準日まで`,
      columns: OVERDUE_COLUMNS,
      out,
    });
    for (const program of programKeys()) {
      const filter: ItemPageFilter = { program, asOf, divisionIds: scope.divisionIds, initialState: getProgram(program).initialState };
      await this.eachItemPage(filter, async (page) => {
        for (const row of page) {
          const placement = scope.placements.get(row.divisionId);
          const reasons = overdueReasons(
            { id: row.id, program, code: row.code, name: row.name, state: row.state, dueOn: row.dueOn, nationalGroup: (row.fields.nationalGroup as string | undefined) ?? null, divisionId: row.divisionId, fields: row.fields },
            asOf,
            targets,
            placement?.departmentCode,
          );
          if (!reasons.length) continue;
          overdue.addRow(
            overdueRow(
              {
                program,
                code: row.code,
                name: row.name,
                state: row.state,
                dueOn: row.dueOn,
                divisionName: placement?.divisionName ?? '',
                departmentName: placement?.departmentName ?? '',
                reasons,
              },
              asOf,
            ),
          );
        }
        await overdue.flush();
      });
    }
    overdue.finish();
  }

  /** 回答状況: every 照会 round's divisions (late as of the workbook's date); within a department's scope, its divisions. */
  private async writeSurveySheet({ workbook, out, asOf, scope, departmentText }: ComplianceBook): Promise<void> {
    const surveySheet = new TableSheet(workbook, SHEET_NAMES.surveys, {
      title: `照会の回答状況（${formatWarekiDate(asOf)}現在）`,
      subtitle: `対象 ${departmentText}／期限超過 = 回答期限を過ぎて未回答または差戻しのまま`,
      columns: SURVEY_COLUMNS,
      out,
    });
    const surveyLines = this.surveyStatus ? await this.surveyStatus.statusLines(asOf) : [];
    for (const line of surveyLines) {
      if (scope.department && line.departmentCode !== scope.department.code) continue;
      surveySheet.addRow(surveyStatusRow(line, this.config.timeZone));
    }
    await surveySheet.flush();
    surveySheet.finish(surveySheet.dataRows ? [] : ['照会はまだありません。']);
  }

  /** 変更履歴: every history row made in the period (days in the city's time zone). */
  private async writeHistorySheet({ workbook, out, from, to, scope, departmentText }: ComplianceBook): Promise<void> {
    const history = new TableSheet(workbook, SHEET_NAMES.history, {
      title: `変更履歴（${periodLabel(from, to)}）`,
      subtitle: `対象 ${departmentText}／日時は変更を記録した時刻、適用日はその状況が効力を持つ日`,
      columns: HISTORY_COLUMNS,
      out,
    });
    const range = auditRange(from, to, this.config.timeZone);
    let afterId = 0;
    for (;;) {
      const page = await this.repository.historyPage(
        { fromInstant: range.fromInstant!, toInstant: range.toInstant!, divisionIds: scope.divisionIds },
        afterId,
        EXPORT_PAGE_SIZE,
      );
      for (const line of page) history.addRow(historyRow(line, this.config.timeZone));
      await history.flush();
      if (page.length < EXPORT_PAGE_SIZE) break;
      afterId = page[page.length - 1].id;
    }
    history.finish();
  }
}

function compact(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function filterLabel(parts: [string, string | undefined][]): string | undefined {
  const given = parts.filter(([, value]) => value);
  return given.length ? given.map(([label, value]) => `${label}: ${value}`).join('／') : undefined;
}
