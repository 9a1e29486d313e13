import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { addMonths } from '../calendar';
import { Department } from '../organization/department.entity';
import { Division, DivisionPeriod } from '../organization/division.entity';
import { getProgram, isDoneState, isExcludedState, PROGRAMS } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { forecast, Forecast, PACE_WINDOW_MONTHS, percentDone } from './progress-math';
import { ProgressRepository, StateCountRow } from './progress.repository';
import { TargetsService, TargetView } from './targets.service';

export interface TargetProgress extends Forecast {
  id: string;
  program: string;
  label: string;
  deadline: string;
  deadlineLabel: string;
  scope: TargetView['scope'];
  total: number;
  done: number;
  excluded: number;
}

export interface GroupProgress {
  program: string;
  total: number;
  done: number;
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

interface Placement {
  divisionCode: string;
  divisionName: string;
  departmentCode: string;
  departmentName: string;
}

interface Tally {
  total: number;
  done: number;
  excluded: number;
  pastDue: number;
}

function tally(rows: StateCountRow[]): Tally {
  const result: Tally = { total: 0, done: 0, excluded: 0, pastDue: 0 };
  for (const row of rows) {
    const program = row.program as ProgramKey;
    const state = row.state ?? getProgram(program).initialState;
    result.total += row.count;
    if (isDoneState(program, state)) result.done += row.count;
    else if (isExcludedState(program, state)) result.excluded += row.count;
    else if (row.pastDue) result.pastDue += row.count;
  }
  return result;
}

const inForce = (row: { validFrom: string | null; validTo: string | null }, date: string) =>
  (!row.validFrom || row.validFrom <= date) && (!row.validTo || row.validTo >= date);

@Injectable()
export class ProgressService {
  constructor(
    private readonly repository: ProgressRepository,
    private readonly targets: TargetsService,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @InjectRepository(DivisionPeriod) private readonly periods: Repository<DivisionPeriod>,
  ) {}

  /** Where each division sat on `date`: its name and department then (else now). */
  async placements(date: string): Promise<Map<number, Placement>> {
    const [departments, divisions, periods] = await Promise.all([this.departments.find(), this.divisions.find(), this.periods.find()]);
    const departmentById = new Map(departments.map((row) => [row.id, row]));
    const result = new Map<number, Placement>();
    for (const division of divisions) {
      const period = periods.filter((row) => row.divisionId === division.id && inForce(row, date)).pop();
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
    const windowStart = addMonths(asOf, -PACE_WINDOW_MONTHS);
    const [targets, rowsNow, rowsBefore, placements] = await Promise.all([
      this.targets.list(),
      this.repository.stateCounts(asOf),
      this.repository.stateCounts(windowStart),
      this.placements(asOf),
    ]);

    const targetProgress: TargetProgress[] = [];
    for (const target of targets) {
      const select = async (rows: StateCountRow[], date: string) => {
        const source = target.scope.codes ? await this.repository.stateCounts(date, { program: target.program, codes: target.scope.codes }) : rows;
        return source.filter(
          (row) =>
            row.program === target.program &&
            (!target.scope.nationalGroup || row.nationalGroup === target.scope.nationalGroup) &&
            (!target.scope.department || placements.get(row.divisionId)?.departmentCode === target.scope.department),
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
        excluded: counts.excluded,
        remaining: counts.total - counts.done - counts.excluded,
        percent: percentDone(counts.total, counts.done, counts.excluded),
      };
    };
    const programOrder = Object.keys(PROGRAMS);
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
}
