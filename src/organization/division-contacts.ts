import { DomainError } from '../common/domain-error';

// A division's contact addresses (reminder mails go there). Addresses are matched values: NFKC
// (full-width ＠ and letters typed in a Japanese IME become ASCII), trimmed, domain lower-cased.

export const MAX_CONTACTS = 20;
const MAX_ADDRESS_LENGTH = 254;
// Deliberately plain: one @, a dotted domain, no spaces or quotes. Exotic RFC 5322 forms are not
// used by a city hall's mailboxes, and refusing them keeps the SMTP envelope simple.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function normalizeEmail(raw: string): string {
  const value = raw.normalize('NFKC').trim();
  const at = value.lastIndexOf('@');
  return at < 0 ? value : `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`;
}

/** Checked, normalized, de-duplicated addresses; throws 400 invalid_email naming the value. */
export function parseContactEmails(values: unknown, where = 'emails'): string[] {
  if (!Array.isArray(values)) throw new DomainError('invalid_email', `${where} はメールアドレスの配列で指定してください`, 400, { field: where });
  if (values.length > MAX_CONTACTS) {
    throw new DomainError('too_many_contacts', `連絡先は${MAX_CONTACTS}件までです（${values.length}件）`, 400, { field: where, max: MAX_CONTACTS });
  }
  const out: string[] = [];
  values.forEach((value, index) => {
    const address = typeof value === 'string' ? normalizeEmail(value) : '';
    if (!address || address.length > MAX_ADDRESS_LENGTH || !ADDRESS.test(address) || address.includes('..')) {
      throw new DomainError('invalid_email', `メールアドレス「${String(value)}」が正しくありません（${where}[${index}]）`, 400, {
        field: `${where}.${index}`,
        value,
      });
    }
    if (!out.includes(address)) out.push(address);
  });
  return out;
}

/** The seed's cell: addresses separated by ; , or spaces. */
export function splitContactCell(cell: string | undefined): string[] {
  return (cell ?? '')
    .normalize('NFKC')
    .split(/[;,\s]+/)
    .filter(Boolean);
}

export function contactsFromColumn(stored: string | null): string[] {
  return stored ? (JSON.parse(stored) as string[]) : [];
}
