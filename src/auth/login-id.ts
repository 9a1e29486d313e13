import { DomainError } from '../common/domain-error';

// Login IDs are matched after NFKC and case folding, so ＹＡＭＡＤＡ, Yamada and yamada are one ID;
// the ID is kept as typed (after NFKC and trimming) for display.

/** The form stored for display: NFKC, spaces trimmed. */
export function displayLogin(raw: string): string {
  return String(raw ?? '').normalize('NFKC').trim();
}

/** The form compared and unique in the database. */
export function loginKey(raw: string): string {
  return displayLogin(raw).toLowerCase();
}

const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

/** A new login ID: 2–64 letters, digits and . _ @ - (after NFKC), starting with a letter or digit. */
export function validateNewLogin(raw: string): string {
  const login = displayLogin(raw);
  if (!LOGIN_PATTERN.test(login)) {
    throw new DomainError(
      'invalid_login',
      `ログインID「${login}」は使えません。半角英数字と . _ @ - で2〜64文字、先頭は英数字にしてください`,
    );
  }
  return login;
}
