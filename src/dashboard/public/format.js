// Japanese labels and number/date formatting for the page. Dates are ISO strings from the API
// (YYYY-MM-DD); they are formatted as calendar dates in UTC so no time zone can shift a day.

const warekiDate = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const warekiMonthShort = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'narrow', year: 'numeric', month: 'numeric', timeZone: 'UTC' });
const warekiMonthLong = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', timeZone: 'UTC' });
const integer = new Intl.NumberFormat('ja-JP');
const dateTime = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });

export const VERDICTS = {
  met: '達成',
  on_track: '順調',
  at_risk: '要注意',
  behind: '遅れ',
  missed: '期限超過',
  no_items: '未登録',
};

const asUtc = (iso) => new Date(`${iso}T00:00:00Z`);

/** 2026-11-24 → 令和8年11月24日 */
export function wareki(iso) {
  return iso ? warekiDate.format(asUtc(iso)) : '—';
}

/** 2026-11 → R8.11 (chart ticks) */
export function shortMonth(month) {
  const parts = warekiMonthShort.formatToParts(asUtc(`${month}-01`));
  const part = (type) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('era')}${part('year')}.${part('month')}`;
}

/** 2026-11 → 令和8年11月 */
export function longMonth(month) {
  return warekiMonthLong.format(asUtc(`${month}-01`));
}

export function count(value) {
  return value === null || value === undefined ? '—' : `${integer.format(value)}件`;
}

export function number(value) {
  return value === null || value === undefined ? '—' : integer.format(value);
}

export function percent(value) {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)}%`;
}

export function perMonth(value) {
  return value === null || value === undefined ? '—' : `月${value.toFixed(1)}件`;
}

export function timestamp(iso) {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** Months from `first` to `last` inclusive, as YYYY-MM. */
export function monthRange(first, last) {
  const result = [];
  let [year, month] = first.split('-').map(Number);
  const [lastYear, lastMonth] = last.split('-').map(Number);
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    result.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return result;
}

/** A difference with its sign: +5件, −3件 (a true minus sign), ±0件. */
export function signedCount(value) {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '±0件';
  return `${value > 0 ? '+' : '−'}${integer.format(Math.abs(value))}件`;
}

/** One month as a number, to count the months between two (2026-11 → 24322). */
export function monthIndex(month) {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** The month `offset` months after (or before, when negative) `month`. */
export function addMonth(month, offset) {
  const index = monthIndex(month) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
