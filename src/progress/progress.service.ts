import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DataVersion, VersionedMemo } from '../database/data-version';
import { addMonths } from '../calendar';
import { Department } from '../organization/department.entity';
import { Division, DivisionPeriod } from '../organization/division.entity';
import { OrganizationService } from '../organization/organization.service';
import { getProgram, isDoneState, isExcludedState, programKeys, stateLabel } from '../programs/program-definitions';
import { PlanFields } from '../plans/plan-math';
import { PlansService } from '../plans/plans.service';
import { ProgramKey } from '../programs/program.types';
import { forecast, Forecast, PACE_WINDOW_MONTHS, percentDone } from './progress-math';
import { closedStates, compareOverdue, OverdueReason, overdueReasons } from './overdue';
import { seriesMonths } from './progress-series';
import { ProgressRepository, StateCountRow } from './progress.repository';
import { inTargetScope } from '../targets/target-scope';
import { TargetView } from '../targets/target-rules';
import { TargetsService } from '../targets/targets.service';

export interface TargetProgress extends Forecast, PlanFields {
  id: string;
  program: string;
  label: string;
  deadline: string;
  deadlineLabel: string;
  scope: TargetView['scope'];
  total: number;
  done: number;
  /** Completions awaiting an administrator's confirmation (報告済); not in `done` nor `percent`. */
  reported: number;
  excluded: number;
}

export interface GroupProgress {
  program: string;
  total: number;
  done: number;
  reported: number;
  excluded: number;
  remaining: number;
  percent: number | null;
}

export interface DepartmentProgress extends GroupProgress {
  department: string;
  departmentCode: string;
}

export interface DivisionProgress extends GroupProgress {
  division: string;
  divisionCode: string;
  department: string;
  departmentCode: string;
}

export interface ProgressReport {
  asOf: string;
  targets: TargetProgress[];
  departments: DepartmentProgress[];
  divisions: DivisionProgress[];
}

export interface SeriesPoint {
  month: string;
  monthLabel: string;
  asOf: string;
  total: number;
  done: number;
  excluded: number;
}

export interface ProgressSeries {
  target: Pick<TargetView, 'id' | 'program' | 'label' | 'deadline' | 'deadlineLabel'>;
  from: string;
  to: string;
  points: SeriesPoint[];
}

export interface OverdueItem {
  id: number;
  program: string;
  code: string;
  name: string;
  /** The state as of the date. */
  status: string;
  statusLabel: string;
  division: { code: string; name: string };
  department: { code: string; name: string };
  dueOn: string | null;
  /** The earliest date the item is overdue from (the day after it). */
  since: string;
  reasons: OverdueReason[];
}

export interface OverdueReport {
  asOf: string;
  total: number;
  limit: number;
  items: OverdueItem[];
}

/** The overdue list answers at most this many items (the total is always counted). */
export const MAX_OVERDUE_LIMIT = 1000;

interface OrganizationSnapshot {
  departments: Department[];
  divisions: Division[];
  periods: DivisionPeriod[];
}

interface Placement {
  divisionCode: string;
  divisionName: string;
  departmentCode: string;
  departmentName: string;
}

interface Tally {
  total: number;
  done: number;
  reported: number;
  excluded: number;
  pastDue: number;
}

function tally(rows: StateCountRow[]): Tally {
  const result: Tally = { total: 0, done: 0, reported: 0, excluded: 0, pastDue: 0 };
  for (const row of rows) {
    const program = row.program as ProgramKey;
    const state = row.state ?? getProgram(program).initialState;
    result.total += row.count;
    if (isDoneState(program, state)) {
      // a reported completion is done only once confirmed
      result.done += row.count - row.reportedCount;
      result.reported += row.reportedCount;
    }
    else if (isExcludedState(program, state)) result.excluded += row.count;
    else result.pastDue += row.pastDueCount;
  }
  return result;
}

const inForce = (row: { validFrom: string | null; validTo: string | null }, date: string) =>
  (!row.validFrom || row.validFrom <= date) && (!row.validTo || row.validTo >= date);

// A division with no period in force on the date did not exist then: one created later (a split)
// takes its first placement, one merged away its last, rather than wherever it sits today.
function nearestPeriod<T extends { validFrom: string | null; validTo: string | null }>(periods: T[], date: string): T | undefined {
  const ended = periods.filter((row) => row.validTo !== null && row.validTo < date).sort((a, b) => a.validTo!.localeCompare(b.validTo!));
  if (ended.length) return ended[ended.length - 1];
  return periods.filter((row) => row.validFrom !== null && row.validFrom > date).sort((a, b) => a.validFrom!.localeCompare(b.validFrom!))[0];
}

@Injectable()
export class ProgressService {
  constructor(
    private readonly repository: ProgressRepository,
    private readonly targets: TargetsService,
    private readonly plans: PlansService,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @InjectRepository(DivisionPeriod) private readonly periods: Repository<DivisionPeriod>,
    private readonly dataVersion: DataVersion,
    private readonly organization: OrganizationService,
  ) {}

  // A dashboard asks the same question again and again between changes: the answer is reused
  // until any row changes (see DataVersion), and recomputed in the database after that.
  private readonly memo = new VersionedMemo<ProgressReport>();

  private async organizationSnapshot(): Promise<OrganizationSnapshot> {
    const [departments, divisions, periods] = await Promise.all([this.departments.find(), this.divisions.find(), this.periods.find()]);
    return { departments, divisions, periods };
  }

  /** Where each division sat on `date`: its name and department then (else its nearest placement, else now). */
  async placements(date: string, snapshot?: OrganizationSnapshot): Promise<Map<number, Placement>> {
    const { departments, divisions, periods } = snapshot ?? (await this.organizationSnapshot());
    const departmentById = new Map(departments.map((row) => [row.id, row]));
    const result = new Map<number, Placement>();
    for (const division of divisions) {
      const own = periods.filter((row) => row.divisionId === division.id);
      const period = own.filter((row) => inForce(row, date)).pop() ?? nearestPeriod(own, date);
      const department = departmentById.get(period?.departmentId ?? division.departmentId)!;
      result.set(division.id, {
        divisionCode: division.code,
        divisionName: period?.name ?? division.name,
        departmentCode: department.code,
        departmentName: department.name,
      });
    }
    return result;
  }

  async progress(asOf: string): Promise<ProgressReport> {
    // callers get their own copy: the memoized report must not be changed through them
    const report = await this.memo.get(asOf, await this.dataVersion.current(), () => this.computeProgress(asOf));
    return structuredClone(report);
  }

  /** Progress computed in the database, without the memo (the benchmark times both). */
  async computeProgress(asOf: string): Promise<ProgressReport> {
    const windowStart = addMonths(asOf, -PACE_WINDOW_MONTHS);
    const [targets, rowsNow, rowsBefore, placements] = await Promise.all([
      this.targets.list(),
      this.repository.stateCounts(asOf),
      this.repository.stateCounts(windowStart),
      this.placements(asOf),
    ]);

    const targetProgress: TargetProgress[] = [];
    const plans = await this.plans.plansByTarget();
    for (const target of targets) {
      const select = async (rows: StateCountRow[], date: string) => {
        const source = target.scope.codes || target.scope.fields ? await this.repository.stateCounts(date, { program: target.program, codes: target.scope.codes, fields: target.scope.fields }) : rows;
        return source.filter((row) =>
          inTargetScope(target, { program: row.program, nationalGroup: row.nationalGroup, departmentCode: placements.get(row.divisionId)?.departmentCode }),
        );
      };
      const now = tally(await select(rowsNow, asOf));
      const before = tally(await select(rowsBefore, windowStart));
      targetProgress.push({
        id: target.id,
        program: target.program,
        label: target.label,
        deadline: target.deadline,
        deadlineLabel: target.deadlineLabel,
        scope: target.scope,
        total: now.total,
        done: now.done,
        reported: now.reported,
        excluded: now.excluded,
        ...forecast({
          asOf,
          deadline: target.deadline,
          total: now.total,
          done: now.done,
          excluded: now.excluded,
          pastDue: now.pastDue,
          doneAtWindowStart: before.done,
        }),
        // 月別業務計画: plan to date and variance, its months against the burn-up series' points
        ...(await this.plans.planFields(plans.get(target.id) ?? [], { asOf, deadline: target.deadline, done: now.done }, async (from, to) =>
          (await this.series(target.id, from, to)).points,
        )),
      });
    }

    const group = <K extends string>(keyOf: (row: StateCountRow) => K) => {
      const groups = new Map<K, StateCountRow[]>();
      for (const row of rowsNow) {
        const key = keyOf(row);
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      return groups;
    };
    const summarize = (rows: StateCountRow[], program: string): GroupProgress => {
      const counts = tally(rows);
      return {
        program,
        total: counts.total,
        done: counts.done,
        reported: counts.reported,
        excluded: counts.excluded,
        remaining: counts.total - counts.done - counts.excluded,
        percent: percentDone(counts.total, counts.done, counts.excluded),
      };
    };
    const programOrder = programKeys();
    const departments: DepartmentProgress[] = [...group((row) => `${placements.get(row.divisionId)!.departmentCode}\u0000${row.program}`)]
      .map(([key, rows]) => {
        const placement = placements.get(rows[0].divisionId)!;
        return { department: placement.departmentName, departmentCode: placement.departmentCode, ...summarize(rows, key.split('\u0000')[1]) };
      })
      .sort((a, b) => a.departmentCode.localeCompare(b.departmentCode) || programOrder.indexOf(a.program) - programOrder.indexOf(b.program));
    const divisions: DivisionProgress[] = [...group((row) => `${row.divisionId}\u0000${row.program}`)]
      .map(([key, rows]) => {
        const placement = placements.get(rows[0].divisionId)!;
        return {
          division: placement.divisionName,
          divisionCode: placement.divisionCode,
          department: placement.departmentName,
          departmentCode: placement.departmentCode,
          ...summarize(rows, key.split('\u0000')[1]),
        };
      })
      .sort((a, b) => a.divisionCode.localeCompare(b.divisionCode) || programOrder.indexOf(a.program) - programOrder.indexOf(b.program));

    return { asOf, targets: targetProgress, departments, divisions };
  }

  /** Monthly burn-up points of one target: done and total at each month's end, up to `to`. */
  async series(targetId: string, from: string, to: string): Promise<ProgressSeries> {
    const months = seriesMonths(from, to);
    const target = await this.targets.get(targetId);
    const snapshot = await this.organizationSnapshot();
    const points: SeriesPoint[] = [];
    // One as-of aggregate per month, in turn: SQLite shares one connection anyway, and on
    // PostgreSQL this keeps a burst of chart requests from taking the whole pool.
    for (const { month, monthLabel, asOf } of months) {
      const placements = await this.placements(asOf, snapshot);
      const rows = await this.repository.stateCounts(asOf, { program: target.program, codes: target.scope.codes, fields: target.scope.fields });
      const counts = tally(
        rows.filter((row) =>
          inTargetScope(target, { program: row.program, nationalGroup: row.nationalGroup, departmentCode: placements.get(row.divisionId)?.departmentCode }),
        ),
      );
      points.push({ month, monthLabel, asOf, total: counts.total, done: counts.done, excluded: counts.excluded });
    }
    const { id, program, label, deadline, deadlineLabel } = target;
    return { target: { id, program, label, deadline, deadlineLabel }, from, to, points };
  }

  /** Items open on `asOf` past their own due date or a covering target's deadline. */
  async overdue(asOf: string, options: { program?: ProgramKey; department?: string; division?: string; limit: number }): Promise<OverdueReport> {
    // Matched by code, so a department renamed or a division moved since is still found by its
    // placement on the as-of date.
    const departmentCode = options.department ? (await this.organization.resolveDepartment(options.department, asOf)).code : undefined;
    const divisionCode = options.division ? (await this.organization.resolveDivision(options.division)).code : undefined;
    const targets = (await this.targets.list()).filter((target) => !options.program || target.program === options.program);
    const programsPastDeadline = [...new Set(targets.filter((target) => target.deadline < asOf).map((target) => target.program))];
    const [candidates, placements] = await Promise.all([
      this.repository.openItemCandidates(asOf, { programsPastDeadline, closed: closedStates() }),
      this.placements(asOf),
    ]);
    const overdue: OverdueItem[] = [];
    for (const row of candidates) {
      if (options.program && row.program !== options.program) continue;
      const placement = placements.get(row.divisionId);
      if (departmentCode !== undefined && placement?.departmentCode !== departmentCode) continue;
      if (divisionCode !== undefined && placement?.divisionCode !== divisionCode) continue;
      const reasons = overdueReasons(row, asOf, targets, placement?.departmentCode);
      if (!reasons.length) continue;
      const program = row.program as ProgramKey;
      const status = row.state ?? getProgram(program).initialState;
      overdue.push({
        id: row.id,
        program,
        code: row.code,
        name: row.name,
        status,
        statusLabel: stateLabel(program, status),
        division: { code: placement?.divisionCode ?? '', name: placement?.divisionName ?? '' },
        department: { code: placement?.departmentCode ?? '', name: placement?.departmentName ?? '' },
        dueOn: row.dueOn,
        since: reasons[0].date,
        reasons,
      });
    }
    overdue.sort(compareOverdue);
    return { asOf, total: overdue.length, limit: options.limit, items: overdue.slice(0, options.limit) };
  }
}
