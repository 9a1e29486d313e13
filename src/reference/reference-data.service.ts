import { Inject, Injectable, Logger } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSTEM_ACTOR } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Transactions } from '../database/transactions';
import { planCreate } from '../items/item-changes';
import { itemValues } from '../items/item-fields';
import { Item } from '../items/item.entity';
import { createItem, insertHistory, insertItems } from '../items/items.repository';
import { Department } from '../organization/department.entity';
import { parseContactEmails, splitContactCell } from '../organization/division-contacts';
import { Division, DivisionPeriod } from '../organization/division.entity';
import { getProgram } from '../programs/program-definitions';
import { Target } from '../targets/target.entity';
import { normalizeMatchValue } from '../sheets/normalize';
import { MonthlyReportPlan } from '../monthly-reports/monthly-report.entity';
import { reformSeedRows } from './reform-seed';

export interface ReferenceLoadResult {
  departments: number;
  divisions: number;
  items: number;
  initiatives: number;
  targets: number;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, bom: true });
}

// Loads seeds/ on every start. Insert-only by code: a re-run adds what is new in the files and
// never touches a row the city has since changed (a status, a reorganized division).
@Injectable()
export class ReferenceDataService {
  private readonly logger = new Logger('ReferenceData');

  constructor(
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  seedsDir(): string {
    return path.join(this.config.projectRoot, 'seeds');
  }

  async load(): Promise<ReferenceLoadResult> {
    const dir = this.seedsDir();
    const organization = readCsv(path.join(dir, 'organization.csv'));
    const procedures = readCsv(path.join(dir, 'national-procedures.csv'));
    const targets = readCsv(path.join(dir, 'targets.csv'));
    const initiatives = reformSeedRows(readCsv(path.join(dir, 'reform-initiatives.csv')));
    const result: ReferenceLoadResult = { departments: 0, divisions: 0, items: 0, initiatives: 0, targets: 0 };
    const nowIso = this.clock.now().toISOString();

    await this.transactions.run(async (manager) => {
      const departments = manager.getRepository(Department);
      const divisions = manager.getRepository(Division);
      const departmentIds = new Map((await departments.find()).map((row) => [row.code, row.id]));
      const existingDivisions = await divisions.find();
      const divisionIds = new Map(existingDivisions.map((row) => [row.code, row.id]));
      const withoutContacts = new Set(existingDivisions.filter((row) => row.contactEmails === null).map((row) => row.code));

      for (const [index, row] of organization.entries()) {
        // Optional column contact_emails: set on a new division, or on one that has none yet (never overwritten).
        const contacts = row.contact_emails ? JSON.stringify(parseContactEmails(splitContactCell(row.contact_emails), `seeds/organization.csv 行${index + 2} contact_emails`)) : null;
        if (contacts && withoutContacts.has(row.division_code)) {
          await divisions.update({ code: row.division_code }, { contactEmails: contacts });
          withoutContacts.delete(row.division_code);
        }
        let departmentId = departmentIds.get(row.department_code);
        if (departmentId === undefined) {
          const inserted = await departments.insert({ code: row.department_code, name: row.department_name, validFrom: null, validTo: null });
          departmentId = Number(inserted.identifiers[0].id);
          departmentIds.set(row.department_code, departmentId);
          result.departments++;
        }
        if (!row.division_code || divisionIds.has(row.division_code)) continue;
        const inserted = await divisions.insert({
          code: row.division_code,
          name: row.division_name,
          matchName: normalizeMatchValue(row.division_name),
          departmentId,
          validFrom: null,
          validTo: null,
          contactEmails: contacts,
        });
        const divisionId = Number(inserted.identifiers[0].id);
        divisionIds.set(row.division_code, divisionId);
        await manager.getRepository(DivisionPeriod).insert({ divisionId, departmentId, name: row.division_name, validFrom: null, validTo: null });
        result.divisions++;
      }

      const items = manager.getRepository(Item);
      const existingCodes = new Set((await items.find({ where: { program: 'online' }, select: { code: true } })).map((row) => row.code));
      for (const row of procedures) {
        if (existingCodes.has(row.code)) continue;
        const divisionId = divisionIds.get(row.division_code);
        if (divisionId === undefined) throw new Error(`seeds/national-procedures.csv: ${row.code} names unknown division ${row.division_code}`);
        const planned = planCreate(
          'online',
          itemValues({
            code: row.code,
            name: row.name,
            division: row.division_code,
            status: getProgram('online').initialState,
            nationalGroup: row.national_group,
            category: row.category || null,
          }),
          divisionId,
          { actor: SYSTEM_ACTOR, today: this.clock.today(), nowIso },
        );
        if ('problems' in planned) throw new Error(`seeds/national-procedures.csv: ${row.code}: ${planned.problems.map((p) => p.message).join(', ')}`);
        await createItem(manager, planned.row, planned.history);
        result.items++;
      }

      // The reform policy's 30 initiatives (the `reform` program), with the policy's dated
      // milestones as the first months of each initiative's monthly plan.
      const existingInitiatives = new Set((await items.find({ where: { program: 'reform' }, select: { code: true } })).map((row) => row.code));
      const newInitiatives = initiatives.filter((row) => !existingInitiatives.has(row.code));
      const plannedInitiatives = newInitiatives.map((row) => {
        const divisionId = divisionIds.get(row.divisionCode);
        if (divisionId === undefined) throw new Error(`seeds/reform-initiatives.csv: ${row.code} names unknown division ${row.divisionCode}`);
        const planned = planCreate(
          'reform',
          itemValues({ code: row.code, name: row.name, division: row.divisionCode, status: getProgram('reform').initialState, dueOn: row.dueOn, ...row.fields }),
          divisionId,
          { actor: SYSTEM_ACTOR, today: this.clock.today(), nowIso },
        );
        if ('problems' in planned) throw new Error(`seeds/reform-initiatives.csv: ${row.code}: ${planned.problems.map((p) => p.message).join(', ')}`);
        return planned;
      });
      if (plannedInitiatives.length) {
        // one batch each for the items, their history and the plans' milestone months
        const ids = await insertItems(manager, plannedInitiatives.map((planned) => planned.row));
        await insertHistory(manager, plannedInitiatives.map((planned, index) => ({ ...planned.history, itemId: ids[index] })));
        const milestones = newInitiatives.flatMap((row, index) => row.milestones.map((step) => ({ itemId: ids[index], month: step.month, planned: null, milestone: step.milestone })));
        if (milestones.length) await manager.getRepository(MonthlyReportPlan).insert(milestones);
        result.initiatives += ids.length;
      }

      const targetRepository = manager.getRepository(Target);
      const existingTargets = new Set((await targetRepository.find({ select: { id: true } })).map((row) => row.id));
      for (const row of targets) {
        if (existingTargets.has(row.id)) continue;
        const scope = row.national_group ? { nationalGroup: row.national_group } : {};
        await targetRepository.insert({ id: row.id, program: row.program, label: row.label, deadline: row.deadline, scope: JSON.stringify(scope), createdAt: nowIso });
        result.targets++;
      }
    });
    if (result.departments + result.divisions + result.items + result.initiatives + result.targets > 0) {
      this.logger.log(
        `reference data loaded: ${result.departments} departments, ${result.divisions} divisions, ${result.items} procedures, ${result.initiatives} reform initiatives, ${result.targets} targets`,
      );
    }
    return result;
  }
}
