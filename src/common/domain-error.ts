// Errors raised by domain code. They carry a stable machine code and a Japanese message for end
// users; the HTTP layer maps `status` to the response, the CLI prints the message.
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;

export interface FieldProblem {
  field: string;
  value: unknown;
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: ErrorStatus = 400,
    readonly details?: FieldProblem[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Longest value echoed in a message: a 3-million-character cell is cut, not repeated whole. */
export const MAX_ECHOED_CHARACTERS = 100;

/** A value as messages quote it: cut to MAX_ECHOED_CHARACTERS with … when longer. */
export function clip(value: unknown, max = MAX_ECHOED_CHARACTERS): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** Every problem of a request body at once: one problem keeps its own code, several are `validation_failed`. */
export function validationError(problems: FieldProblem[]): DomainError {
  const message = problems.map((problem) => problem.message).join('／');
  return new DomainError(problems.length === 1 ? problems[0].code : 'validation_failed', message, 400, problems);
}

/** A body field that broke a rule, as the validation pipe and the item body check report it. */
export interface BodyRuleProblem {
  field: string;
  constraints: string[];
  /** Set when the only broken rule is a maximum length. */
  maxLength?: number;
}

/** Fields a body may not carry: `unknown_field`, naming them. */
export function unknownFieldError(fields: string[]): DomainError {
  return new DomainError('unknown_field', `使えない項目があります: ${fields.join(', ')}`, 400, { fields });
}

/** Broken rules of a body: `too_long` naming each limit when every problem is a length, else `validation_failed`. */
export function ruleProblemsError(problems: BodyRuleProblem[]): DomainError {
  if (problems.every((problem) => problem.maxLength)) {
    return new DomainError(
      'too_long',
      problems.map((problem) => `${problem.field}は${problem.maxLength}文字以内で入力してください`).join('／'),
      400,
      { fields: problems.map(({ field, maxLength }) => ({ field, maxLength })) },
    );
  }
  return new DomainError(
    'validation_failed',
    `入力値が正しくありません: ${problems.map((problem) => `${problem.field}（${problem.constraints.join('; ')}）`).join(', ')}`,
    400,
    { fields: problems },
  );
}

export const notFound = (what: string, id: unknown) =>
  new DomainError('not_found', `${what}が見つかりません: ${clip(id)}`, 404);

export const forbidden = (message = 'この操作の権限がありません') => new DomainError('forbidden', message, 403);
