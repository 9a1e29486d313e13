import { Actor } from '../common/actor';
import { FieldProblem } from '../common/domain-error';
import { getProgram } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { Item, ItemFields } from './item.entity';
import { ItemValues, searchTextOf } from './item-fields';
import { StatusHistory } from './status-history.entity';
import { planStatusChange } from './status-rules';

// Pure planning of item writes, shared by the API and the importer: what the row becomes and
// which history row goes with it. The callers do the I/O in one transaction.

export type ItemRow = Omit<Item, 'id' | 'division'>;
export type HistoryRow = Omit<StatusHistory, 'id' | 'itemId'>;

export interface ChangeContext {
  actor: Actor;
  /** The as-of date of the change (default completion date; latest allowed effective date). */
  today: string;
  /** The instant the change is recorded. */
  nowIso: string;
}

const COMMON_KEYS = ['name', 'dueOn', 'note'] as const;

/** The program's own fields of `values`, empty ones left out (what items.fields stores). */
function programFieldValues(program: ProgramKey, values: Partial<ItemValues>): ItemFields {
  const fields: ItemFields = {};
  for (const field of getProgram(program).extraFields) {
    const value = values[field.key];
    if (value !== null && value !== undefined) fields[field.key] = value;
  }
  return fields;
}

export function planCreate(
  program: ProgramKey,
  values: ItemValues,
  divisionId: number,
  options: ChangeContext & { effectiveOn?: string | null },
): { row: ItemRow; history: HistoryRow } | { problems: FieldProblem[] } {
  const result = planStatusChange(
    program,
    null,
    {
      status: values.status,
      completedOn: values.completedOn ?? undefined,
      effectiveOn: options.effectiveOn ?? undefined,
      changeNote: values.note,
      resultingNote: values.note,
      resultingLegalBasis: (values.legalBasis as string | null | undefined) ?? null,
    },
    options.today,
  );
  if ('problems' in result) return result;
  const row: ItemRow = {
    program,
    code: values.code,
    name: values.name,
    status: result.plan.status,
    statusEffectiveOn: result.plan.effectiveOn,
    divisionId,
    dueOn: values.dueOn ?? null,
    completedOn: result.plan.completedOn,
    note: values.note ?? null,
    // each program keeps only its own fields
    fields: programFieldValues(program, values),
    searchText: searchTextOf(values.code, values.name),
    version: 1,
    createdAt: options.nowIso,
    updatedAt: options.nowIso,
  };
  const history: HistoryRow = {
    at: options.nowIso,
    by: options.actor.name,
    fromStatus: null,
    toStatus: row.status,
    effectiveOn: result.plan.effectiveOn,
    note: values.note ?? null,
    changes: null,
  };
  return { row, history };
}

export interface UpdatePlan {
  /** Columns to set (empty when nothing changes). */
  set: Partial<ItemRow>;
  /** The history row to append, or null when nothing changed. */
  history: HistoryRow | null;
  changed: boolean;
}

/**
 * Plans an update of `existing` with the fields present in `values` (absent = unchanged). A
 * status change follows the program's rules; an edit without a status change is recorded too.
 */
export function planUpdate(
  existing: Item,
  values: Partial<ItemValues>,
  divisionId: number | undefined,
  options: ChangeContext & { effectiveOn?: string | null },
): { plan: UpdatePlan } | { problems: FieldProblem[] } {
  const program = existing.program as ProgramKey;
  const given = (key: string) => key in values && values[key] !== undefined;
  const next = (key: 'note' | 'legalBasis') =>
    given(key) ? values[key] : key === 'note' ? existing.note : (existing.fields[key] ?? null);
  const status = values.status ?? existing.status;
  const noteGiven = values.note !== undefined && values.note !== existing.note ? values.note : undefined;
  const result = planStatusChange(
    program,
    { status: existing.status, statusEffectiveOn: existing.statusEffectiveOn, completedOn: existing.completedOn },
    {
      status,
      completedOn: values.completedOn === undefined ? undefined : values.completedOn,
      effectiveOn: options.effectiveOn ?? undefined,
      changeNote: noteGiven ?? (status !== existing.status ? values.note : undefined) ?? null,
      resultingNote: next('note') as string | null,
      resultingLegalBasis: next('legalBasis') as string | null,
    },
    options.today,
  );
  if ('problems' in result) return result;
  const { plan } = result;

  const set: Partial<ItemRow> = {};
  const changes: Record<string, [unknown, unknown]> = {};
  const compare = (key: keyof ItemRow, value: unknown) => {
    const before = (existing as unknown as Record<string, unknown>)[key];
    if ((before ?? null) !== (value ?? null)) {
      (set as Record<string, unknown>)[key] = value ?? null;
      changes[key] = [before ?? null, value ?? null];
    }
  };
  for (const key of COMMON_KEYS) if (given(key)) compare(key, values[key]);
  // program fields: compared one by one (the history names each), written as one new object
  let fields: ItemFields | null = null;
  for (const field of getProgram(program).extraFields) {
    if (!given(field.key)) continue;
    const before = existing.fields[field.key] ?? null;
    const after = values[field.key] ?? null;
    if (before === after) continue;
    fields ??= { ...existing.fields };
    if (after === null) delete fields[field.key];
    else fields[field.key] = after;
    changes[field.key] = [before, after];
  }
  if (fields) set.fields = fields;
  if (values.code !== undefined) compare('code', values.code);
  if (divisionId !== undefined) compare('divisionId', divisionId);
  compare('status', plan.status);
  compare('completedOn', plan.completedOn);
  if (plan.writesHistory) compare('statusEffectiveOn', plan.effectiveOn);
  if (set.code !== undefined || set.name !== undefined) {
    set.searchText = searchTextOf(set.code ?? existing.code, set.name ?? existing.name);
  }
  const changed = Object.keys(changes).length > 0;
  if (!changed) return { plan: { set: {}, history: null, changed: false } };
  set.updatedAt = options.nowIso;
  const statusOnly = Object.keys(changes).every((key) => ['status', 'completedOn', 'statusEffectiveOn', 'note'].includes(key));
  const history: HistoryRow = {
    at: options.nowIso,
    by: options.actor.name,
    fromStatus: existing.status,
    toStatus: plan.status,
    // An edit that leaves the status alone keeps the status's own effective date.
    effectiveOn: plan.writesHistory ? plan.effectiveOn : existing.statusEffectiveOn,
    note: values.note !== undefined ? values.note : null,
    changes: statusOnly ? null : JSON.stringify(changes),
  };
  return { plan: { set, history, changed } };
}
