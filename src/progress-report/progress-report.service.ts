import { Injectable } from '@nestjs/common';
import { addMonthsToMonth, monthOf, startOfMonth } from '../calendar';
import { DomainError } from '../common/domain-error';
import { percentDone, VERDICT_LABELS } from '../progress/progress-math';
import { GroupProgress, ProgressReport, ProgressService } from '../progress/progress.service';
import { confirmsDone, isProgramKey, programLabel } from '../programs/program-definitions';
import { ReformService } from '../reform/reform.service';
import { normalizeMatchValue } from '../sheets';
import { HandoutCount, HandoutData, HandoutTableRow, HandoutTarget } from './handout-data';

/** Months of the burn-up charts up to the as-of month. */
const CHART_MONTHS = 12;

function sumCounts(rows: Pick<GroupProgress, 'total' | 'done' | 'reported' | 'excluded'>[]): HandoutCount {
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  const done = rows.reduce((sum, row) => sum + row.done, 0);
  const reported = rows.reduce((sum, row) => sum + (row.reported ?? 0), 0);
  const excluded = rows.reduce((sum, row) => sum + row.excluded, 0);
  return { done, reported, denominator: total - excluded, percent: percentDone(total, done, excluded) };
}

@Injectable()
export class ProgressReportService {
  constructor(
    private readonly progress: ProgressService,
    private readonly reform: ReformService,
  ) {}

  /** Everything the two pages show, as of `asOf`, for the city or one department (name or code). */
  async data(asOf: string, departmentInput?: string): Promise<HandoutData> {
    const report = await this.progress.progress(asOf);
    const department = departmentInput === undefined ? null : this.department(report, departmentInput);
    const programs = [...new Set(report.targets.map((target) => target.program))].map((key) => ({ key, label: programLabel(key) }));
    const programKeys = new Set(programs.map((program) => program.key));
    const targets = await Promise.all(report.targets.map((target) => this.target(target, asOf)));
    const reform = await this.reform.progress(asOf, report);
    if (department) {
      const placements = await this.progress.placements(asOf);
      const own = new Set([...placements.values()].filter((entry) => entry.departmentCode === department.code).map((entry) => entry.divisionName));
      for (const area of reform.areas) area.initiatives = area.initiatives.filter((initiative) => own.has(initiative.division));
    }
    const procedureRows = report.departments.filter((row) => programKeys.has(row.program));
    const cityTotal = { ...sumCounts(procedureRows), programs: programs.length, confirming: programs.some((program) => isProgramKey(program.key) && confirmsDone(program.key)) };
    const cellsOf = (rows: GroupProgress[]): Record<string, HandoutCount | null> => {
      const cells: Record<string, HandoutCount | null> = {};
      for (const program of programs) {
        const own = rows.filter((row) => row.program === program.key);
        cells[program.key] = own.length ? sumCounts(own) : null;
      }
      cells.all = rows.length ? sumCounts(rows) : null;
      return cells;
    };
    let table: HandoutData['table'];
    if (department) {
      const divisions = report.divisions.filter((row) => row.departmentCode === department.code && programKeys.has(row.program));
      const names = [...new Set(divisions.map((row) => row.division))];
      table = {
        heading: `課別の進捗（${department.name}）`,
        rows: names.map((name): HandoutTableRow => ({ name, cells: cellsOf(divisions.filter((row) => row.division === name)) })),
        total: { name: `${department.name} 計`, cells: cellsOf(procedureRows.filter((row) => row.departmentCode === department.code)) },
      };
    } else {
      const order = [...new Map(procedureRows.map((row) => [row.departmentCode, row.department])).entries()].sort((a, b) => a[0].localeCompare(b[0]));
      table = {
        heading: '部局別の進捗',
        rows: order.map(([code, name]): HandoutTableRow => ({ name, cells: cellsOf(procedureRows.filter((row) => row.departmentCode === code)) })),
        total: { name: '全庁計', cells: cellsOf(procedureRows) },
      };
    }
    return { asOf, department: department?.name ?? null, targets, cityTotal, reform, programs, table };
  }

  private department(report: ProgressReport, input: string): { code: string; name: string } {
    const wanted = normalizeMatchValue(input);
    const found = report.departments.find((row) => row.departmentCode === wanted || normalizeMatchValue(row.department) === wanted);
    if (!found) throw new DomainError('unknown_department', `部局「${input}」は基準日に存在しないか、項目がありません`, 404);
    return { code: found.departmentCode, name: found.department };
  }

  private async target(target: ProgressReport['targets'][number], asOf: string): Promise<HandoutTarget> {
    const from = startOfMonth(addMonthsToMonth(monthOf(asOf), -(CHART_MONTHS - 1)));
    const series = await this.progress.series(target.id, from, asOf);
    return {
      id: target.id,
      label: target.label,
      percent: target.percent,
      verdict: target.verdict,
      verdictLabel: VERDICT_TEXT[target.verdict] ?? target.verdict,
      done: target.done,
      reported: isProgramKey(target.program) && confirmsDone(target.program) ? target.reported : null,
      denominator: target.total - target.excluded,
      excluded: target.excluded,
      deadline: target.deadline,
      deadlineLabel: target.deadlineLabel,
      pacePerMonth: target.pacePerMonth,
      neededPerMonth: target.neededPerMonth,
      projectedCompletion: target.projectedCompletion,
      plannedToDate: target.plannedToDate,
      series: series.points.map((point) => ({ month: point.month, done: point.done, goal: point.total - point.excluded })),
    };
  }
}

const VERDICT_TEXT: Record<string, string> = VERDICT_LABELS;
