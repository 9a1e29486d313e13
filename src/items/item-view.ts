import { getProgram, stateLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { parseFields } from '../database/json-fields';
import { Item } from './item.entity';
import { ITEM_COLUMNS } from './items.repository';

// Items are read with raw SQL: the query builder's entity mapping cost more than the query.
/** The item select over `source` (the items table, or a PATCH's `UPDATE … RETURNING` row). */
export const itemSelectFrom = (source: string): string => `SELECT i.id AS "id", ${ITEM_COLUMNS.map(([key, column]) => `i.${column} AS "${key}"`).join(', ')},
  d.code AS "divisionCode", d.name AS "divisionName", d.department_id AS "departmentId",
  dep.code AS "departmentCode", dep.name AS "departmentName", r.reported_at AS "reportedAt", r.reported_by AS "reportedBy"
  FROM ${source} i JOIN divisions d ON d.id = i.division_id JOIN departments dep ON dep.id = d.department_id
  LEFT JOIN item_reports r ON r.item_id = i.id`;
export const ITEM_SELECT = itemSelectFrom('items');

const INTEGER_KEYS = ['id', 'divisionId', 'version'] as const;

/** A row of ITEM_SELECT → the item and where it sits (drivers differ in how they return integers). */
export function toItemWithOrganization(row: Record<string, unknown>): ItemWithOrganization {
  const item = {} as Record<string, unknown>;
  for (const [key] of ITEM_COLUMNS) item[key] = row[key] ?? null;
  item.id = row.id;
  item.fields = parseFields(row.fields);
  for (const key of INTEGER_KEYS) if (item[key] !== null && item[key] !== undefined) item[key] = Number(item[key]);
  return {
    item: item as unknown as Item,
    departmentId: Number(row.departmentId),
    divisionCode: String(row.divisionCode),
    divisionName: String(row.divisionName),
    departmentCode: String(row.departmentCode),
    departmentName: String(row.departmentName),
    reportedAt: (row.reportedAt as string | null | undefined) ?? null,
    reportedBy: (row.reportedBy as string | null | undefined) ?? null,
  };
}

export interface ItemView {
  id: number;
  program: string;
  code: string;
  name: string;
  status: string;
  statusLabel: string;
  statusEffectiveOn: string | null;
  division: { code: string; name: string };
  department: { code: string; name: string };
  dueOn: string | null;
  completedOn: string | null;
  note: string | null;
  version: number;
  updatedAt: string;
  /** A completion awaiting an administrator's confirmation (報告済): when and by whom it was reported. */
  reported: { at: string; by: string } | null;
  [extraField: string]: unknown;
}

export interface ItemWithOrganization {
  item: Item;
  departmentId: number;
  divisionCode: string;
  divisionName: string;
  departmentCode: string;
  departmentName: string;
  /** Set while a reported completion awaits confirmation. */
  reportedAt?: string | null;
  reportedBy?: string | null;
}

/** The API shape of an item: common fields, then its program's own fields by their keys. */
export function toItemView({ item, divisionCode, divisionName, departmentCode, departmentName, reportedAt, reportedBy }: ItemWithOrganization): ItemView {
  const program = item.program as ProgramKey;
  const view: ItemView = {
    id: item.id,
    program,
    code: item.code,
    name: item.name,
    status: item.status,
    statusLabel: stateLabel(program, item.status),
    statusEffectiveOn: item.statusEffectiveOn,
    division: { code: divisionCode, name: divisionName },
    department: { code: departmentCode, name: departmentName },
    dueOn: item.dueOn,
    completedOn: item.completedOn,
    note: item.note,
    version: item.version,
    updatedAt: item.updatedAt,
    reported: reportedAt ? { at: reportedAt, by: reportedBy ?? '' } : null,
  };
  for (const field of getProgram(program).extraFields) view[field.key] = item.fields[field.key] ?? null;
  return view;
}
