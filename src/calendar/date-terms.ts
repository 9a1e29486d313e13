// Dates written as periods (年度末, 第2四半期, 令和8年4月) where one day is expected.
// Kept apart from the strict parsers in wareki.ts: those say exactly what a string is; these decide
// which single day a period written in a date field or a deadline stands for.
import { isFiscalYearEnd } from './fiscal-year';
import { endOfMonth, IsoDate, monthOf } from './iso-date';
import { formatDeadline, formatWarekiDate, formatWarekiMonth, parseFiscalTerm, parseJapaneseDate, parseJapaneseMonth } from './wareki';

/**
 * A plain date field (as-of, 完了日, 適用日, a sheet's date column): an exact day in any form
 * parseJapaneseDate accepts, or a fiscal term, which stands for its last day:
 * '令和8年度末' → 2027-03-31, '令和8年度第2四半期' → 2026-09-30, '令和8年度' → 2027-03-31.
 * A bare month ('令和8年4月') is refused (null): it names no day of its own, and a completion or
 * effective date made up from it (1st or last day) would be a guess written into the history.
 * Deadlines take months too: see parseDeadlineTerm.
 */
export function parseDateOrTermEnd(input: string): IsoDate | null {
  const date = parseJapaneseDate(input);
  if (date !== null) return date;
  const term = parseFiscalTerm(input);
  return term ? term.end : null;
}

// The policy's own timing words: '令和8年9月まで', '令和7年度中', '令和8年4月末', '令和8年度末まで'.
const DEADLINE_SUFFIX = /(?:末まで|まで|迄|中|までに|末)$/u;

/**
 * A deadline ("by …"): everything parseDateOrTermEnd accepts plus a month, each meaning the last
 * day it names: '令和8年4月' → 2026-04-30, '令和8年度第2四半期まで' → 2026-09-30,
 * '令和7年度中' → 2026-03-31, '令和8年度末' → 2027-03-31. A trailing まで／中 is allowed.
 */
export function parseDeadlineTerm(input: string): IsoDate | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.normalize('NFKC').replace(/\s+/g, '');
  const stripped = trimmed.replace(DEADLINE_SUFFIX, '');
  for (const candidate of stripped === trimmed ? [trimmed] : [trimmed, stripped]) {
    const date = parseDateOrTermEnd(candidate);
    if (date !== null) return date;
    const month = parseJapaneseMonth(candidate);
    if (month !== null) return endOfMonth(month);
  }
  return null;
}

/**
 * A due date as the policy says it: 31 March → '令和8年度末', another month's last day →
 * '令和8年4月末', any other day → '令和8年4月15日'. The inverse of parseDeadlineTerm for the
 * dates it produces.
 */
export function formatDueDate(date: IsoDate): string {
  if (isFiscalYearEnd(date)) return formatDeadline(date);
  const month = monthOf(date);
  if (endOfMonth(month) === date) return `${formatWarekiMonth(month)}末`;
  return formatWarekiDate(date, 'long');
}
