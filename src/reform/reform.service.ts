import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { monthOf } from '../calendar';
import { parseFields } from '../database/json-fields';
import { MonthlyReportsService } from '../monthly-reports/monthly-reports.service';
import { getProgram } from '../programs/program-definitions';
import { stateAtSql } from '../progress/progress.repository';
import { ProgressReport, ProgressService } from '../progress/progress.service';
import { linkedTargetIds, REFORM_PROGRAM, reformRules } from './reform-definition';
import { InitiativeInput, reformProgress, ReformProgress, TargetCounts } from './reform-progress';

/** An initiative row as stored: the common columns, its state as of the date and its program fields. */
interface InitiativeRow {
  id: number;
  code: string;
  name: string;
  state: string | null;
  dueOn: string | null;
  divisionId: number;
  fields: Record<string, string | number | null>;
}

@Injectable()
export class ReformService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly progressService: ProgressService,
    private readonly reports: MonthlyReportsService,
  ) {}

  private async initiativeRows(asOf: string): Promise<InitiativeRow[]> {
    const sql = `SELECT i.id AS id, i.code AS code, i.name AS name, i.due_on AS due_on, i.division_id AS division_id, i.fields AS fields, ${stateAtSql()} AS state
                 FROM items i WHERE i.program = :program ORDER BY i.code`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, { asOf, program: REFORM_PROGRAM });
    const rows: Record<string, unknown>[] = await this.dataSource.query(query, values);
    return rows.map((row) => ({
      id: Number(row.id),
      code: String(row.code),
      name: String(row.name),
      state: (row.state as string | null) ?? null,
      dueOn: (row.due_on as string | null) ?? null,
      divisionId: Number(row.division_id),
      fields: parseFields(row.fields),
    }));
  }

  /** The policy as of `asOf`; `progress` may be passed when the caller has it already (the printed report). */
  async progress(asOf: string, progress?: ProgressReport): Promise<ReformProgress> {
    // the definition is data (seeds/programs/reform.json, stored in the programs table): an
    // administrator may have renamed an area or added one
    const definition = getProgram(REFORM_PROGRAM);
    const rules = reformRules(definition);
    const month = monthOf(asOf);
    const [rows, report, latest, planned, placements] = await Promise.all([
      this.initiativeRows(asOf),
      progress ?? this.progressService.progress(asOf),
      this.reports.latestReports(REFORM_PROGRAM, month),
      this.reports.plannedPercents(REFORM_PROGRAM, month),
      this.progressService.placements(asOf),
    ]);
    const targets = new Map<string, TargetCounts>(report.targets.map((target) => [target.id, { total: target.total, done: target.done, excluded: target.excluded }]));
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
    const initiatives: InitiativeInput[] = rows.map((row) => {
      const status = row.state ?? definition.initialState;
      return {
        id: row.id,
        code: row.code,
        policyNo: text(row.fields.policyNo),
        name: row.name,
        shortName: text(row.fields.shortName),
        area: text(row.fields.area),
        status,
        statusLabel: rules.stateLabels.get(status) ?? status,
        division: placements.get(row.divisionId)?.divisionName ?? '',
        dueOn: row.dueOn,
        dueLabel: text(row.fields.dueLabel),
        linkedTargets: linkedTargetIds(row.fields.linkedTargets),
        latestReport: latest.get(row.id) ?? null,
        planned: planned.get(row.id) ?? null,
      };
    });
    return reformProgress(asOf, rules, initiatives, targets);
  }
}
