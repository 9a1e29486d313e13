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

export const notFound = (what: string, id: unknown) =>
  new DomainError('not_found', `${what}が見つかりません: ${String(id)}`, 404);

export const forbidden = (message = 'この操作の権限がありません') => new DomainError('forbidden', message, 403);
