import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { clip, DomainError } from '../common/domain-error';
import { normalizeMatchValue } from '../sheets/normalize';
import { Department } from './department.entity';
import { contactsFromColumn, parseContactEmails } from './division-contacts';
import { Division, DivisionPeriod } from './division.entity';

export interface OrganizationView {
  asOf: string | null;
  departments: { code: string; name: string; divisions: { code: string; name: string; contacts: string[] }[] }[];
}

export interface DivisionContactsView {
  code: string;
  name: string;
  contacts: string[];
}

export interface DivisionRef {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
}

/** In-memory index of the divisions in force, for matching many sheet rows without a query each. */
export class DivisionIndex {
  private readonly byKey = new Map<string, DivisionRef>();
  constructor(readonly divisions: DivisionRef[]) {
    for (const division of divisions) {
      this.byKey.set(`code:${division.code.toLowerCase()}`, division);
      this.byKey.set(`name:${normalizeMatchValue(division.name)}`, division);
    }
  }
  /** A division by its code or name (already normalized with normalizeMatchValue). */
  find(value: string): DivisionRef | undefined {
    return this.byKey.get(`code:${value.toLowerCase()}`) ?? this.byKey.get(`name:${value}`);
  }
  byId(id: number): DivisionRef | undefined {
    return this.divisions.find((division) => division.id === id);
  }
}

const inForce = (row: { validFrom: string | null; validTo: string | null }, date: string) =>
  (!row.validFrom || row.validFrom <= date) && (!row.validTo || row.validTo >= date);

@Injectable()
export class OrganizationService {
  constructor(
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @InjectRepository(DivisionPeriod) private readonly periods: Repository<DivisionPeriod>,
    private readonly audit: AuditService,
  ) {}

  async departmentNamesById(): Promise<Map<number, string>> {
    const rows = await this.departments.find();
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  async resolveDepartment(value: string, asOf: string): Promise<Department> {
    const wanted = normalizeMatchValue(value);
    const rows = await this.departments.find({ order: { id: 'ASC' } });
    const found =
      rows.find((row) => row.code.toLowerCase() === wanted.toLowerCase()) ??
      rows.find((row) => normalizeMatchValue(row.name) === wanted && inForce(row, asOf)) ??
      rows.find((row) => normalizeMatchValue(row.name) === wanted);
    if (!found) throw new DomainError('unknown_department', `部局「${clip(value)}」が見つかりません（部局名またはコード）`);
    return found;
  }

  /** The divisions in force now (not closed), with their current department. */
  async currentDivisions(): Promise<DivisionIndex> {
    const rows = await this.divisions
      .createQueryBuilder('division')
      .innerJoin(Department, 'department', 'department.id = division.department_id')
      .select([
        'division.id AS id',
        'division.code AS code',
        'division.name AS name',
        'department.id AS "departmentId"',
        'department.code AS "departmentCode"',
        'department.name AS "departmentName"',
      ])
      .where('division.valid_to IS NULL')
      .orderBy('division.code', 'ASC')
      .getRawMany<DivisionRef>();
    return new DivisionIndex(rows.map((row) => ({ ...row, id: Number(row.id), departmentId: Number(row.departmentId) })));
  }

  async resolveDivision(value: string): Promise<DivisionRef> {
    const index = await this.currentDivisions();
    const found = index.find(normalizeMatchValue(value));
    if (!found) throw unknownDivision(value);
    return found;
  }

  /** Replaces a current division's contact addresses (reminder mails go there). */
  async setContacts(code: string, emails: unknown, actor: Actor): Promise<DivisionContactsView> {
    const contacts = parseContactEmails(emails);
    const ref = await this.resolveDivision(code);
    const division = await this.divisions.findOneByOrFail({ id: ref.id });
    const before = contactsFromColumn(division.contactEmails);
    await this.divisions.update({ id: division.id }, { contactEmails: JSON.stringify(contacts) });
    await this.audit.record(actor, 'contacts_set', { division: division.code, before, after: contacts });
    return { code: division.code, name: division.name, contacts };
  }

  /** Current divisions with their contact addresses (null when none were ever set), by code. */
  async divisionContacts(): Promise<Map<string, { name: string; contacts: string[] | null }>> {
    const rows = await this.divisions.find({ order: { code: 'ASC' } });
    return new Map(
      rows.filter((row) => !row.validTo).map((row) => [row.code, { name: row.name, contacts: row.contactEmails === null ? null : contactsFromColumn(row.contactEmails) }]),
    );
  }

  /** The organization in force on `asOf` (null: as it stands now). */
  async organization(asOf: string | null): Promise<OrganizationView> {
    const departments = await this.departments.find({ order: { code: 'ASC' } });
    const divisions = await this.divisions.find({ order: { code: 'ASC' } });
    const periods = await this.periods.find({ order: { id: 'ASC' } });
    const byDepartment = new Map<number, { code: string; name: string; contacts: string[] }[]>();
    for (const division of divisions) {
      let departmentId: number | undefined;
      let name = division.name;
      if (asOf === null) {
        if (division.validTo) continue;
        departmentId = division.departmentId;
      } else {
        const period = periods.find((p) => p.divisionId === division.id && inForce(p, asOf));
        if (!period) continue;
        departmentId = period.departmentId;
        name = period.name;
      }
      const list = byDepartment.get(departmentId) ?? [];
      list.push({ code: division.code, name, contacts: contactsFromColumn(division.contactEmails) });
      byDepartment.set(departmentId, list);
    }
    return {
      asOf,
      departments: departments
        .filter((department) => (asOf === null ? !department.validTo : inForce(department, asOf)))
        .map((department) => ({ code: department.code, name: department.name, divisions: byDepartment.get(department.id) ?? [] })),
    };
  }
}

export function unknownDivision(value: string): DomainError {
  return new DomainError('unknown_division', `所管課「${clip(value)}」が見つかりません（課名またはコード）`);
}
