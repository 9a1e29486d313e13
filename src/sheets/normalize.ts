import { excelSerialToIsoDate, isSupportedDate, isValidIsoDate, parseDateOrTermEnd, parseJapaneseDate } from '../calendar';
import type { CellValue } from './sheet-reader';

export type { CellValue } from './sheet-reader';

// Cell values → what the importer stores or compares. Matched values (codes, divisions, states,
// choices, dates, numbers) are folded so that 全角/半角 and stray spaces do not matter; free text
// (名称, 備考, 根拠法令, 条項) keeps ①, ㈱ and 全角 punctuation exactly as typed.

// \s covers U+3000 and NBSP; zero-width spaces and BOMs also come in through copy and paste.
const SPACES = /[\s\u200B\uFEFF]+/gu;

/** Numbers as a spreadsheet shows them: 12 not 12.0, 0.3 not 0.30000000000000004. */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : n.toLocaleString('en-US', { useGrouping: false });
  return String(Number(n.toPrecision(15)));
}

function isoFromDateCell(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  // exceljs builds date cells at UTC midnight; local parts would shift the day east of UTC.
  const y = d.getUTCFullYear();
  const iso = `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return isValidIsoDate(iso) ? iso : null;
}

function plainText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return isoFromDateCell(v) ?? '';
}

/** NFKC, every run of whitespace (U+3000 included) folded to one space, trimmed. */
export function normalizeMatchValue(v: CellValue | undefined): string {
  const text = plainText(v);
  // Most cells are short printable ASCII with single spaces: NFKC cannot change them.
  if (PLAIN_ASCII.test(text)) return text.trim();
  // The rest (課名, state and choice labels) repeats from row to row: each distinct text is
  // folded once. Bounded, so a sheet of distinct free values cannot grow it without limit.
  if (text.length > FOLDED_MAX_LENGTH) return fold(text);
  let folded = FOLDED.get(text);
  if (folded === undefined) {
    folded = fold(text);
    if (FOLDED.size >= FOLDED_LIMIT) FOLDED.clear();
    FOLDED.set(text, folded);
  }
  return folded;
}

const fold = (text: string): string => text.normalize('NFKC').replace(SPACES, ' ').trim();
const FOLDED = new Map<string, string>();
const FOLDED_LIMIT = 4096;
const FOLDED_MAX_LENGTH = 200;

const PLAIN_ASCII = /^(?:[\x21-\x7e]| (?! ))*$/;

// Dashes NFKC leaves alone (‐ ‑ ‒ – — ― ⁃ − ﹘): typed by IMEs and word processors where a
// hyphen-minus was meant. U+FF0D and U+FE63 NFKC already folds.
const DASHES = /[\u2010-\u2015\u2043\u2212\uFE58]/g;
const LOWER_ASCII = /[a-z]+/g;

/**
 * An item code (管理番号) as it is stored and matched: like every matched value (NFKC, spaces),
 * and moreover every dash is a hyphen-minus and ASCII letters are upper case, so `mn‐01`,
 * `MN−01` and `ＭＮ－０１` are the one code MN-01.
 */
export function normalizeCode(v: CellValue | undefined): string {
  return normalizeMatchValue(v).replace(DASHES, '-').replace(LOWER_ASCII, (letters) => letters.toUpperCase());
}

/** Only trimmed: no NFKC, so ①, ㈱ and 全角 punctuation survive. */
export function normalizeFreeText(v: CellValue | undefined): string {
  return plainText(v).trim();
}

export type IntegerCellResult = { value: number | null } | { error: 'invalid_number' };
/** `date_out_of_range`: a real date outside the supported window (calendar/supported-range.ts); `date` is it. */
export type DateCellResult = { value: string | null } | { error: 'invalid_date' } | { error: 'date_out_of_range'; date: string };

const PLAIN_INTEGER = /^[+-]?\d+$/;
const GROUPED_INTEGER = /^[+-]?\d{1,3}(?:,\d{3})+$/;

/**
 * An integer from a number cell or text: 全角 digits, thousands separators ('1,234', '１，２３４'),
 * a sign. Decimals and anything else are `invalid_number`; negative values are returned as they
 * are (the caller decides). Empty → null.
 */
export function parseIntegerCell(v: CellValue | undefined): IntegerCellResult {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { error: 'invalid_number' };
    const rounded = Math.round(v);
    // Formula results carry float noise (1100.0000000000002) that Excel does not show.
    if (Math.abs(v - rounded) > 1e-9 * Math.max(1, Math.abs(v)) || !Number.isSafeInteger(rounded)) {
      return { error: 'invalid_number' };
    }
    return { value: rounded === 0 ? 0 : rounded };
  }
  if (typeof v !== 'string') return { error: 'invalid_number' };
  // NFKC turns 全角 digits, '，' and '－' into ASCII; U+2212 (minus sign) it leaves alone.
  const s = v.normalize('NFKC').replace(SPACES, '').replace(/\u2212/g, '-');
  if (s === '') return { value: null };
  if (!PLAIN_INTEGER.test(s) && !GROUPED_INTEGER.test(s)) return { error: 'invalid_number' };
  const n = Number(s.replace(/,/g, ''));
  if (!Number.isSafeInteger(n)) return { error: 'invalid_number' };
  // -0 would print as 0 but compare oddly.
  return { value: n === 0 ? 0 : n };
}

// Excel serials for 1900-01-01 … 9999-12-31.
const MIN_SERIAL = 1;
const MAX_SERIAL = 2958465;

function isoFromSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < MIN_SERIAL || serial >= MAX_SERIAL + 1) return null;
  try {
    const iso = excelSerialToIsoDate(serial);
    return isValidIsoDate(iso) ? iso : null;
  } catch {
    // Serial 60 is Excel's 1900-02-29, which never existed.
    return null;
  }
}

/**
 * A date from a date cell (UTC parts), an Excel serial number, an 8-digit number 20260401, or text
 * ('2026/4/1', '令和8年4月1日', 'R8.4.1', 全角 digits, …). Empty → null.
 */
export function parseDateCell(v: CellValue | undefined): DateCellResult {
  const parsed = readDateCell(v);
  if ('value' in parsed && parsed.value !== null && !isSupportedDate(parsed.value)) return { error: 'date_out_of_range', date: parsed.value };
  return parsed;
}

function readDateCell(v: CellValue | undefined): { value: string | null } | { error: 'invalid_date' } {
  if (v === null || v === undefined) return { value: null };
  if (v instanceof Date) {
    const iso = isoFromDateCell(v);
    return iso === null ? { error: 'invalid_date' } : { value: iso };
  }
  if (typeof v === 'number') {
    // yyyymmdd typed into a number cell is common in city-hall sheets and is far beyond any
    // serial that means a real date, so the two cannot be confused.
    if (Number.isInteger(v) && v >= 10000101 && v <= 99991231) {
      const s = String(v);
      const iso = parseJapaneseDate(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`);
      return iso === null ? { error: 'invalid_date' } : { value: iso };
    }
    const iso = isoFromSerial(v);
    return iso === null ? { error: 'invalid_date' } : { value: iso };
  }
  if (typeof v !== 'string') return { error: 'invalid_date' };
  if (v.normalize('NFKC').replace(SPACES, '') === '') return { value: null };
  // 年度末・第N四半期 in a date column mean their last day (see calendar/date-terms.ts).
  const iso = parseDateOrTermEnd(v);
  return iso === null ? { error: 'invalid_date' } : { value: iso };
}
