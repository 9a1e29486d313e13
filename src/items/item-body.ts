import { BodyRuleProblem, ruleProblemsError, unknownFieldError } from '../common/domain-error';
import { allPrograms, COMMON_FIELDS } from '../programs/program-definitions';
import { FieldDefinition } from '../programs/program.types';

// The shape check of an item body (POST/PATCH), derived from the program definitions instead of a
// DTO class: which keys exist at all (any program's field, plus effectiveOn and, on update,
// version), their JSON types and lengths. The answers are those the validation pipe gives for
// DTOs (unknown_field, too_long, validation_failed); the program's own rules come after, in the
// service (field_not_in_program, invalid_choice, …).

/** Lengths a matched value may have before it is normalized (dates, states, division names). */
const MATCHED_MAX: Partial<Record<FieldDefinition['kind'], number>> = { division: 100, status: 32, date: 32, choice: 32, integer: 120 };

interface BodyField {
  key: string;
  number: boolean;
  maxLength: number;
}

function bodyFields(): BodyField[] {
  const fields = new Map<string, BodyField>();
  const add = (field: FieldDefinition) => {
    if (fields.has(field.key)) return;
    const maxLength = field.maxLength ?? MATCHED_MAX[field.kind] ?? 2000;
    fields.set(field.key, { key: field.key, number: field.kind === 'integer', maxLength });
  };
  COMMON_FIELDS.forEach(add);
  for (const program of allPrograms()) program.extraFields.forEach(add);
  fields.set('effectiveOn', { key: 'effectiveOn', number: false, maxLength: 32 });
  return [...fields.values()];
}

/** Checks an item body's keys and value types; returns it as a plain record or throws. */
export function checkItemBody(body: unknown, options: { update: boolean }): Record<string, unknown> {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const fields = bodyFields();
  const known = new Set(fields.map((field) => field.key));
  if (options.update) known.add('version');
  const unknown = Array.isArray(body) ? ['0'] : Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length) {
    throw unknownFieldError(unknown);
  }
  const problems: BodyRuleProblem[] = [];
  for (const field of fields) {
    const value = record[field.key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && field.number && Number.isFinite(value)) continue;
    if (typeof value !== 'string') {
      problems.push({ field: field.key, constraints: [field.number ? `${field.key} must be a string or a number` : `${field.key} must be a string`] });
    } else if (value.length > field.maxLength) {
      problems.push({ field: field.key, constraints: [`${field.key} must be shorter than or equal to ${field.maxLength} characters`], maxLength: field.maxLength });
    }
  }
  if (options.update && !(typeof record.version === 'number' && Number.isInteger(record.version))) {
    problems.push({ field: 'version', constraints: ['version must be an integer number'] });
  }
  if (!problems.length) return record;
  throw ruleProblemsError(problems);
}
