import { SUPPORTED_RANGE_LABEL } from '../calendar';
import { controlCharacterIn, showControlCharacters } from '../common/control-characters';
import { clip, FieldProblem } from '../common/domain-error';
import { getProgram, programFields } from '../programs/program-definitions';
import { Choice, FieldDefinition, ProgramKey } from '../programs/program.types';
import { CellValue, normalizeCode, normalizeFreeText, normalizeMatchValue, parseDateCell, parseIntegerCell } from '../sheets/normalize';

// Normalization of item fields at the edge, shared by the API and the importer: matched values
// (codes, divisions, states, choices, dates, numbers) are NFKC-folded; free text is only trimmed.

export interface ItemValues {
  code: string;
  name: string;
  /** A division's code or name, normalized; resolved to an id by the caller. */
  division: string;
  status: string;
  completedOn: string | null;
  dueOn: string | null;
  note: string | null;
  /** The program's own fields, by the keys its definition gives them. */
  [field: string]: string | number | null;
}

export type ItemFieldKey = keyof ItemValues;

/** An item's values with the given ones set and every other common field empty. */
export function itemValues(given: Pick<ItemValues, 'code' | 'name' | 'division' | 'status'> & Partial<ItemValues>): ItemValues {
  return { completedOn: null, dueOn: null, note: null, ...given } as ItemValues;
}

export const fieldMessages = {
  missing_required: (header: string) => `${header}は必須です`,
  invalid_status: (header: string, value: string, choices: readonly Choice[]) =>
    `${header}「${value}」は使えません（${choices.map((c) => c.label).join('・')} のいずれか）`,
  invalid_choice: (header: string, value: string, choices: readonly Choice[]) =>
    `${header}「${value}」は使えません（${choices.map((c) => c.label).join('・')} のいずれか）`,
  invalid_number: (header: string, value: string) => `${header}「${value}」は整数ではありません`,
  negative_number: (header: string, value: string) => `${header}「${value}」は0以上の整数で入力してください`,
  invalid_date: (header: string, value: string) =>
    `${header}「${value}」は日付として読めません（例: 2026/4/1、令和8年4月1日、R8.4.1）`,
  date_out_of_range: (header: string, value: string) => `${header}「${value}」は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`,
  invalid_character: (header: string, codePoint: string) => `${header}に使えない制御文字（${codePoint}）が含まれています`,
  too_long: (header: string, max: number) => `${header}は${max}文字以内で入力してください`,
  not_applicable: (header: string, programLabel: string) => `${header}は${programLabel}の列ではありません`,
};

// A label folded once per choice object, not once per cell (an import matched every row's state
// and choices against every label; definitions are replaced, never mutated, so the key holds).
const foldedLabels = new WeakMap<Choice, string>();
function foldedLabel(choice: Choice): string {
  let folded = foldedLabels.get(choice);
  if (folded === undefined) foldedLabels.set(choice, (folded = normalizeMatchValue(choice.label)));
  return folded;
}

export function matchChoice(choices: readonly Choice[], value: string): string | undefined {
  const folded = value.toLowerCase();
  for (const choice of choices) {
    if (choice.key === folded || foldedLabel(choice) === value) return choice.key;
  }
  return undefined;
}

function display(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return value === null || value === undefined ? '' : clip(String(value));
}

/** Normalizes one field's raw value. Returns the value (null = empty) or a problem. */
export function normalizeField(
  program: ProgramKey,
  field: FieldDefinition,
  raw: unknown,
): { value: string | number | null } | { problem: FieldProblem } {
  const cell = raw as CellValue;
  const problem = (code: keyof typeof fieldMessages, message: string): { problem: FieldProblem } => ({
    problem: { field: field.key, value: display(raw), code, message },
  });
  if (raw !== null && raw !== undefined && typeof raw === 'object' && !(raw instanceof Date)) {
    return problem('invalid_choice', `${field.header}の値の形式が正しくありません`);
  }
  if (typeof raw === 'string') {
    const codePoint = controlCharacterIn(raw);
    if (codePoint) {
      return { problem: { field: field.key, value: clip(showControlCharacters(raw)), code: 'invalid_character', message: fieldMessages.invalid_character(field.header, codePoint) } };
    }
  }
  switch (field.kind) {
    case 'code':
    case 'division': {
      const value = field.kind === 'code' ? normalizeCode(cell) : normalizeMatchValue(cell);
      if (field.maxLength && value.length > field.maxLength) return problem('too_long', fieldMessages.too_long(field.header, field.maxLength));
      return { value: value || null };
    }
    case 'freeText': {
      const value = normalizeFreeText(cell);
      if (field.maxLength && value.length > field.maxLength) return problem('too_long', fieldMessages.too_long(field.header, field.maxLength));
      return { value: value || null };
    }
    case 'status':
    case 'choice': {
      const value = normalizeMatchValue(cell);
      if (!value) return { value: null };
      const choices = field.kind === 'status' ? getProgram(program).states : field.choices ?? [];
      const key = matchChoice(choices, value);
      if (!key) {
        const code = field.kind === 'status' ? 'invalid_status' : 'invalid_choice';
        return problem(code, fieldMessages[code](field.header, display(raw), choices));
      }
      return { value: key };
    }
    case 'integer': {
      const parsed = parseIntegerCell(cell);
      if ('error' in parsed) return problem('invalid_number', fieldMessages.invalid_number(field.header, display(raw)));
      if (parsed.value !== null && parsed.value < 0) return problem('negative_number', fieldMessages.negative_number(field.header, display(raw)));
      return { value: parsed.value };
    }
    case 'date': {
      const parsed = parseDateCell(cell);
      if ('error' in parsed) return problem(parsed.error, fieldMessages[parsed.error](field.header, display(raw)));
      return { value: parsed.value };
    }
  }
}

/**
 * Normalizes the fields present in `raw` (keys as in the sheet layout). With `requireAll`, the
 * program's required fields must be present and non-empty (creation); otherwise only the fields
 * given are checked, and a required field given empty is still an error (an update cannot clear it).
 */
export function normalizeItemFields(
  program: ProgramKey,
  raw: Record<string, unknown>,
  options: { requireAll: boolean },
): { values: Partial<ItemValues>; problems: FieldProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const field of programFields(program)) {
    const present = Object.prototype.hasOwnProperty.call(raw, field.key) && raw[field.key] !== undefined;
    if (!present) {
      if (options.requireAll && field.required) {
        problems.push({ field: field.key, value: '', code: 'missing_required', message: fieldMessages.missing_required(field.header) });
      }
      continue;
    }
    const result = normalizeField(program, field, raw[field.key]);
    if ('problem' in result) {
      problems.push(result.problem);
      continue;
    }
    if (field.required && result.value === null) {
      problems.push({ field: field.key, value: '', code: 'missing_required', message: fieldMessages.missing_required(field.header) });
      continue;
    }
    values[field.key] = result.value;
  }
  return { values: values as Partial<ItemValues>, problems };
}

/** Lower-cased NFKC "code name", the text `q` matches against. */
export function searchTextOf(code: string, name: string): string {
  return normalizeMatchValue(`${code} ${name}`).toLowerCase();
}
