import { getProgram, stateLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { Item } from './item.entity';

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
  [extraField: string]: unknown;
}

export interface ItemWithOrganization {
  item: Item;
  divisionCode: string;
  divisionName: string;
  departmentCode: string;
  departmentName: string;
}

/** The API shape of an item: common fields, then its program's own fields by their keys. */
export function toItemView({ item, divisionCode, divisionName, departmentCode, departmentName }: ItemWithOrganization): ItemView {
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
  };
  for (const field of getProgram(program).extraFields) {
    view[field.key] = (item as unknown as Record<string, unknown>)[field.key] ?? null;
  }
  return view;
}
