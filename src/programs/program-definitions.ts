import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { projectRoot } from '../config/app-config';
import { COMMON_COLUMNS, ProgramDocument, TEXT_MAX, toDefinition, validateProgramDocument } from './program-document';
import { Choice, FieldDefinition, ProgramDefinition, ProgramKey } from './program.types';

// The registry of program definitions: the one place the code asks "which programs are there,
// what are their states and columns". It starts with the built-in documents in seeds/programs/
// (so plain-TS code and unit tests see them without a database) and is replaced by what the
// `programs` table holds when the application starts (ProgramsService.load), and on every
// program add/update. Lookups are synchronous because sheet parsing asks per row.

/** Where the built-in program documents live: dropping a JSON file here adds a built-in program. */
export const BUILTIN_PROGRAMS_DIR = path.join(projectRoot, 'seeds', 'programs');

/** Reads and validates the built-in documents (a broken one is a packaging error: it throws). */
export function readBuiltinDocuments(dir = BUILTIN_PROGRAMS_DIR): ProgramDocument[] {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort() : [];
  return files.map((name) => {
    const result = validateProgramDocument(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
    if ('problems' in result) {
      throw new Error(`seeds/programs/${name}: ${result.problems.map((problem) => `${problem.entry}: ${problem.message}`).join('; ')}`);
    }
    return result.document;
  });
}

/** Columns every program has, in sheet order (CONTRACT.md "Sheet layout"). */
export const COMMON_FIELDS: readonly FieldDefinition[] = [
  { key: 'code', header: COMMON_COLUMNS[0].header, kind: 'code', required: true, maxLength: 64 },
  { key: 'name', header: COMMON_COLUMNS[1].header, kind: 'freeText', required: true, maxLength: 500 },
  { key: 'division', header: COMMON_COLUMNS[2].header, kind: 'division', required: true },
  { key: 'status', header: COMMON_COLUMNS[3].header, kind: 'status', required: true },
  { key: 'completedOn', header: COMMON_COLUMNS[4].header, kind: 'date' },
  { key: 'dueOn', header: COMMON_COLUMNS[5].header, kind: 'date' },
  { key: 'note', header: COMMON_COLUMNS[6].header, kind: 'freeText', maxLength: TEXT_MAX },
];

interface Registered {
  definition: ProgramDefinition;
  fields: readonly FieldDefinition[];
  fieldKeys: ReadonlySet<string>;
}

let registry = new Map<string, Registered>();
let ordered: ProgramDefinition[] = [];

/**
 * Replaces the registry with these definitions. Listing order: `order` ascending, then the order
 * given (the database's insertion order).
 */
export function setPrograms(definitions: readonly ProgramDefinition[]): void {
  const next = new Map<string, Registered>();
  for (const definition of definitions) {
    const fields = Object.freeze([...COMMON_FIELDS, ...definition.extraFields]);
    next.set(definition.key, { definition, fields, fieldKeys: new Set(fields.map((field) => field.key)) });
  }
  registry = next;
  ordered = definitions
    .map((definition, index) => ({ definition, index }))
    .sort((a, b) => (a.definition.order ?? Infinity) - (b.definition.order ?? Infinity) || a.index - b.index)
    .map(({ definition }) => definition);
}

setPrograms(readBuiltinDocuments().map(toDefinition));

/** Every program, in listing order (built-ins first). */
export function allPrograms(): readonly ProgramDefinition[] {
  return ordered;
}

export function programKeys(): ProgramKey[] {
  return ordered.map((definition) => definition.key);
}

/** "online / seal / analog": the keys for a message. */
export function programKeyList(): string {
  return programKeys().join(' / ');
}

export function isProgramKey(value: unknown): value is ProgramKey {
  return typeof value === 'string' && registry.has(value);
}

export function findProgram(key: string): ProgramDefinition | undefined {
  return registry.get(key)?.definition;
}

function registered(key: ProgramKey): Registered {
  const entry = registry.get(key);
  if (!entry) throw new Error(`unknown program: ${key}`);
  return entry;
}

export function getProgram(key: ProgramKey): ProgramDefinition {
  return registered(key).definition;
}

/** The program's label, or its key when it is not (or no longer) registered. */
export function programLabel(key: string): string {
  return registry.get(key)?.definition.label ?? key;
}

/** Every column a program's sheet has, in order (built once: imports ask for it per row). */
export function programFields(program: ProgramKey): readonly FieldDefinition[] {
  return registered(program).fields;
}

/** The keys of programFields(program). */
export function programFieldKeys(program: ProgramKey): ReadonlySet<string> {
  return registered(program).fieldKeys;
}

/** The choices of a program's choice field ([] when there is no such field). */
export function fieldChoices(program: ProgramKey, field: string): readonly Choice[] {
  return registry.get(program)?.definition.extraFields.find((candidate) => candidate.key === field)?.choices ?? [];
}

/** 国の区分 (online's nationalGroup): take-up, public reporting and targets group by it. */
export function nationalGroups(): readonly Choice[] {
  return fieldChoices('online', 'nationalGroup');
}

export function stateLabel(program: ProgramKey, state: string): string {
  return registry.get(program)?.definition.states.find((s) => s.key === state)?.label ?? state;
}

export function isDoneState(program: ProgramKey, state: string): boolean {
  return registry.get(program)?.definition.doneStates.includes(state) ?? false;
}

export function isExcludedState(program: ProgramKey, state: string): boolean {
  return registry.get(program)?.definition.excludedStates.includes(state) ?? false;
}

/** A program's place in listing order (for sorting; unknown keys last). */
export function programPosition(key: string): number {
  const index = ordered.findIndex((definition) => definition.key === key);
  return index < 0 ? ordered.length : index;
}

/** A program key from a path or query parameter: an unknown one is 404 `unknown_program`. */
export function parseProgram(value: string): ProgramKey {
  if (!isProgramKey(value)) throw new DomainError('unknown_program', `取組「${value}」はありません（${programKeyList()}）`, 404);
  return value;
}

/** Whether an editor's completion in this program waits for an administrator's confirmation (the document's confirmDone). */
export function confirmsDone(program: ProgramKey): boolean {
  return getProgram(program).confirmDone === true;
}
