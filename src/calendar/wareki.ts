// Japanese era (和暦) formatting and parsing.
// Era names, era years and era boundaries all come from the platform's ICU Japanese calendar
// (Intl 'ja-JP-u-ca-japanese'), never from a hand-written table, so era edges are exactly ICU's.
import {
  DateRange,
  IsoDate,
  IsoMonth,
  isoDateParts,
  toIsoDate,
  toIsoMonth,
  endOfMonth,
  startOfMonth,
} from './iso-date';
import {
  FiscalQuarter,
  fiscalQuarterOf,
  fiscalQuarterRange,
  fiscalYearEnd,
  fiscalYearOf,
  fiscalYearStart,
  isFiscalYearEnd,
} from './fiscal-year';

export interface EraYear {
  /** Era name, e.g. '令和'. */
  era: string;
  /** Latin initial used in short forms, e.g. 'R'. */
  eraLetter: string;
  /** 1-based year within the era (元年 = 1). */
  eraYear: number;
}

export interface EraDefinition {
  name: string;
  letter: string;
  /** Gregorian year containing the era's first day (era year 1). */
  firstYear: number;
}

export type WarekiStyle = 'long' | 'short';

export type FiscalTermKind = 'fiscalYear' | 'quarter' | 'fiscalYearEnd';

/** A parsed fiscal term; start/end are inclusive. For 'fiscalYearEnd' (年度末) start === end === 31 March. */
export interface FiscalTerm extends DateRange {
  kind: FiscalTermKind;
  fiscalYear: number;
  quarter: FiscalQuarter | null;
}

// ---------------------------------------------------------------------------
// Intl access

interface JapaneseParts {
  era: string;
  eraYear: number;
}

let longFormatter: Intl.DateTimeFormat | undefined;
let narrowFormatter: Intl.DateTimeFormat | undefined;

function makeFormatter(era: 'long' | 'narrow'): Intl.DateTimeFormat {
  const f = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    timeZone: 'UTC',
  });
  // A small-ICU build silently falls back to the Gregorian calendar; fail loudly instead.
  if (f.resolvedOptions().calendar !== 'japanese') {
    throw new Error('This runtime lacks the ICU Japanese calendar (full-icu Node is required)');
  }
  return f;
}

function getLongFormatter(): Intl.DateTimeFormat {
  return (longFormatter ??= makeFormatter('long'));
}

function getNarrowFormatter(): Intl.DateTimeFormat {
  return (narrowFormatter ??= makeFormatter('narrow'));
}

// new Date(0) + setUTCFullYear avoids Date.UTC's 0–99 → 1900s remapping; UTC avoids TZ shifts.
function utcDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

function partValue(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? '';
}

// Some ICU patterns render era year 1 as '元'.
function eraYearFromPart(value: string): number {
  return value === '元' ? 1 : Number(value);
}

function japaneseParts(year: number, month: number, day: number): JapaneseParts {
  const parts = getLongFormatter().formatToParts(utcDate(year, month, day));
  return { era: partValue(parts, 'era'), eraYear: eraYearFromPart(partValue(parts, 'year')) };
}

// ---------------------------------------------------------------------------
// Era table, derived once from Intl

// 明治 (the oldest era we support) began in 1868; the upper bound only needs to reach past
// the newest era ICU knows about.
const FIRST_SCAN_YEAR = 1868;
const LAST_SCAN_YEAR = 2200;

interface EraTable {
  eras: EraDefinition[];
  byName: Map<string, EraDefinition>;
  byLetter: Map<string, EraDefinition>;
}

let eraTable: EraTable | undefined;

function getEraTable(): EraTable {
  if (eraTable) return eraTable;
  const table: EraTable = { eras: [], byName: new Map(), byLetter: new Map() };
  // Every supported era spans at least one 31 December, so probing each year's last day finds
  // them all; era year N on a date in Gregorian year Y means era year 1 was Y − N + 1.
  for (let y = FIRST_SCAN_YEAR; y <= LAST_SCAN_YEAR; y++) {
    const { era, eraYear } = japaneseParts(y, 12, 31);
    if (table.byName.has(era)) continue;
    const narrow = partValue(getNarrowFormatter().formatToParts(utcDate(y, 12, 31)), 'era');
    const def: EraDefinition = {
      name: era,
      letter: /^[A-Z]$/.test(narrow) ? narrow : '',
      firstYear: y - eraYear + 1,
    };
    table.eras.push(def);
    table.byName.set(def.name, def);
    if (def.letter) table.byLetter.set(def.letter, def);
  }
  return (eraTable = table);
}

/** Eras accepted by the parsers, oldest first (明治, 大正, 昭和, 平成, 令和 with current ICU data). */
export function supportedEras(): readonly EraDefinition[] {
  return getEraTable().eras.map((e) => ({ ...e }));
}

function lookupEra(token: string): EraDefinition | undefined {
  const table = getEraTable();
  return /^[A-Za-z]$/.test(token) ? table.byLetter.get(token.toUpperCase()) : table.byName.get(token);
}

function isInEraYear(year: number, month: number, day: number, era: EraDefinition, eraYear: number): boolean {
  const p = japaneseParts(year, month, day);
  return p.era === era.name && p.eraYear === eraYear;
}

// ---------------------------------------------------------------------------
// Formatting

/** Era of a date. Throws RangeError for dates before 明治 (not supported). */
export function eraOf(date: IsoDate): EraYear {
  const { year, month, day } = isoDateParts(date);
  const p = japaneseParts(year, month, day);
  const def = getEraTable().byName.get(p.era);
  if (!def) throw new RangeError(`Dates before 明治 are not supported: ${date}`);
  return { era: def.name, eraLetter: def.letter, eraYear: p.eraYear };
}

function eraYearLabel(eraYear: number): string {
  return eraYear === 1 ? '元' : String(eraYear);
}

/** long: '令和8年4月1日' ('令和元年5月1日' in year 1); short: 'R8.4.1' (year 1 stays 'R1.5.1'). */
export function formatWarekiDate(date: IsoDate, style: WarekiStyle = 'long'): string {
  const { month, day } = isoDateParts(date);
  const e = eraOf(date);
  if (style === 'short') return `${e.eraLetter}${e.eraYear}.${month}.${day}`;
  return `${e.era}${eraYearLabel(e.eraYear)}年${month}月${day}日`;
}

/**
 * '2026-04' → '令和8年4月'. A month split by an era change is named by its first day
 * ('1989-01' → '昭和64年1月', '2019-05' → '令和元年5月').
 */
export function formatWarekiMonth(month: IsoMonth): string {
  const start = startOfMonth(month);
  const e = eraOf(start);
  return `${e.era}${eraYearLabel(e.eraYear)}年${isoDateParts(start).month}月`;
}

/**
 * FY2026 → '令和8年度'. A fiscal year is named by the era of its first day (1 April), so
 * FY2019 → '平成31年度' and FY1989 → '平成元年度'. (Many offices call FY2019 '令和元年度';
 * parseFiscalTerm accepts both names.)
 */
export function formatFiscalYear(fy: number): string {
  const e = eraOf(fiscalYearStart(fy));
  return `${e.era}${eraYearLabel(e.eraYear)}年度`;
}

/** 2026-08-15 → '令和8年度第2四半期'; 2027-02-01 → '令和8年度第4四半期'. */
export function formatFiscalQuarter(date: IsoDate): string {
  return `${formatFiscalYear(fiscalYearOf(date))}第${fiscalQuarterOf(date)}四半期`;
}

/** 31 March → '令和9年度末' (2028-03-31); any other date → long form '令和7年9月30日'. */
export function formatDeadline(date: IsoDate): string {
  if (isFiscalYearEnd(date)) return `${formatFiscalYear(fiscalYearOf(date))}末`;
  return formatWarekiDate(date, 'long');
}

// ---------------------------------------------------------------------------
// Parsing

// Full-width digits/letters/punctuation and ㋿-style era ligatures are handled by NFKC;
// dash look-alikes are not, so map them explicitly. All whitespace is dropped because
// official documents pad dates for alignment ('令和８年　４月　１日').
function normalizeInput(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  return input
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\u30FC\uFF70]/g, '-')
    .replace(/\s+/g, '');
}

const ERA = String.raw`(\p{Script=Han}+?|[A-Za-z])`;
const ERA_YEAR = String.raw`(\d{1,3}|元)`;
const SEP = String.raw`([-/.])`;

const GREGORIAN_DATE_SEP = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const GREGORIAN_DATE_KANJI = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const ERA_DATE_KANJI = new RegExp(String.raw`^${ERA}${ERA_YEAR}年(\d{1,2})月(\d{1,2})日$`, 'u');
const ERA_DATE_SEP = new RegExp(String.raw`^${ERA}${ERA_YEAR}${SEP}(\d{1,2})\3(\d{1,2})$`, 'u');

const GREGORIAN_MONTH_SEP = /^(\d{4})[-/.](\d{1,2})$/;
const GREGORIAN_MONTH_KANJI = /^(\d{4})年(\d{1,2})月$/;
const ERA_MONTH_KANJI = new RegExp(String.raw`^${ERA}${ERA_YEAR}年(\d{1,2})月$`, 'u');
const ERA_MONTH_SEP = new RegExp(String.raw`^${ERA}${ERA_YEAR}[-/.](\d{1,2})$`, 'u');

const QUARTER = '([1-4一二三四])';
const TERM_SUFFIX = String.raw`年度(?:(末)|第${QUARTER}四半期)?$`;
const GREGORIAN_TERM = new RegExp(String.raw`^(\d{4})${TERM_SUFFIX}`, 'u');
const ERA_TERM = new RegExp(String.raw`^${ERA}${ERA_YEAR}${TERM_SUFFIX}`, 'u');

const KANJI_QUARTERS: Record<string, FiscalQuarter> = { 一: 1, 二: 2, 三: 3, 四: 4 };

interface EraYearRef {
  era: EraDefinition;
  eraYear: number;
  /** Gregorian year of that era year. */
  year: number;
}

function resolveEraYear(eraToken: string, eraYearToken: string): EraYearRef | null {
  const era = lookupEra(eraToken);
  const eraYear = eraYearFromPart(eraYearToken);
  if (!era || !Number.isInteger(eraYear) || eraYear < 1) return null;
  return { era, eraYear, year: era.firstYear + eraYear - 1 };
}

/**
 * Parses a date written in any common Japanese office form; null when invalid.
 * Accepts (after NFKC + whitespace removal): '2026-04-01', '2026/4/1', '2026.4.1', '2026年4月1日',
 * '令和8年4月1日', '令和元年5月1日', 'R8.4.1', 'R8/4/1', 'R8-4-1', 'r8.4.1', 'R8年4月1日', '令和8.4.1'.
 * Era dates must really belong to that era year: '平成31年5月1日' and '令和元年4月30日' → null.
 */
export function parseJapaneseDate(input: string): IsoDate | null {
  const s = normalizeInput(input);
  if (s === null) return null;

  const g = GREGORIAN_DATE_SEP.exec(s);
  if (g) return toIsoDate(Number(g[1]), Number(g[3]), Number(g[4]));
  const gk = GREGORIAN_DATE_KANJI.exec(s);
  if (gk) return toIsoDate(Number(gk[1]), Number(gk[2]), Number(gk[3]));

  let eraToken: string, eraYearToken: string, monthToken: string, dayToken: string;
  const ek = ERA_DATE_KANJI.exec(s);
  const es = ek ? null : ERA_DATE_SEP.exec(s);
  if (ek) [, eraToken, eraYearToken, monthToken, dayToken] = ek;
  else if (es) [, eraToken, eraYearToken, , monthToken, dayToken] = es;
  else return null;

  const ref = resolveEraYear(eraToken, eraYearToken);
  if (!ref) return null;
  const month = Number(monthToken);
  const day = Number(dayToken);
  const iso = toIsoDate(ref.year, month, day);
  if (iso === null || !isInEraYear(ref.year, month, day, ref.era, ref.eraYear)) return null;
  return iso;
}

/**
 * Parses a month: '2026-04', '2026/4', '2026.4', '2026年4月', '令和8年4月', 'R8.4', 'R8/4', 'R8-4'.
 * An era month is valid when any day of it lies in that era year ('昭和64年1月' and '平成元年1月'
 * are both 1989-01; '令和元年4月' → null).
 */
export function parseJapaneseMonth(input: string): IsoMonth | null {
  const s = normalizeInput(input);
  if (s === null) return null;

  const g = GREGORIAN_MONTH_SEP.exec(s) ?? GREGORIAN_MONTH_KANJI.exec(s);
  if (g) return toIsoMonth(Number(g[1]), Number(g[2]));

  const e = ERA_MONTH_KANJI.exec(s) ?? ERA_MONTH_SEP.exec(s);
  if (!e) return null;
  const ref = resolveEraYear(e[1], e[2]);
  if (!ref) return null;
  const month = toIsoMonth(ref.year, Number(e[3]));
  if (month === null) return null;
  // Eras change at most once within a month, so checking both ends covers every day.
  const first = isoDateParts(startOfMonth(month));
  const last = isoDateParts(endOfMonth(month));
  const inEra =
    isInEraYear(first.year, first.month, first.day, ref.era, ref.eraYear) ||
    isInEraYear(last.year, last.month, last.day, ref.era, ref.eraYear);
  return inEra ? month : null;
}

/**
 * Parses a fiscal term:
 *  - '令和8年度' / 'R8年度' / '2026年度'      → { kind: 'fiscalYear', start: 2026-04-01, end: 2027-03-31 }
 *  - '令和8年度第2四半期' (also 第二四半期)    → { kind: 'quarter', quarter: 2, start: 2026-07-01, end: 2026-09-30 }
 *  - '令和9年度末' / '2027年度末'             → { kind: 'fiscalYearEnd', start = end = 2028-03-31 }
 * An era fiscal year is valid when any day of it lies in that era year, so FY2019 is both
 * '平成31年度' and '令和元年度', while '平成32年度' and '昭和64年度' → null.
 */
export function parseFiscalTerm(input: string): FiscalTerm | null {
  const s = normalizeInput(input);
  if (s === null) return null;

  let fy: number;
  let endMark: string | undefined;
  let quarterToken: string | undefined;
  const g = GREGORIAN_TERM.exec(s);
  const e = g ? null : ERA_TERM.exec(s);
  if (g) {
    fy = Number(g[1]);
    [, , endMark, quarterToken] = g;
  } else if (e) {
    const ref = resolveEraYear(e[1], e[2]);
    if (!ref) return null;
    fy = ref.year;
    [, , , endMark, quarterToken] = e;
    // FY N runs 1 April N .. 31 March N+1; the era year (calendar year N) overlaps it iff
    // 1 April N or 31 December N lies in that era year.
    if (!isInEraYear(fy, 4, 1, ref.era, ref.eraYear) && !isInEraYear(fy, 12, 31, ref.era, ref.eraYear)) {
      return null;
    }
  } else {
    return null;
  }
  if (fy < 1 || fy > 9998) return null;

  if (endMark) {
    const end = fiscalYearEnd(fy);
    return { kind: 'fiscalYearEnd', fiscalYear: fy, quarter: null, start: end, end };
  }
  if (quarterToken) {
    const quarter = KANJI_QUARTERS[quarterToken] ?? (Number(quarterToken) as FiscalQuarter);
    return { kind: 'quarter', fiscalYear: fy, quarter, ...fiscalQuarterRange(fy, quarter) };
  }
  return { kind: 'fiscalYear', fiscalYear: fy, quarter: null, start: fiscalYearStart(fy), end: fiscalYearEnd(fy) };
}

/**
 * Parses a deadline as written by formatDeadline: '令和9年度末' → '2028-03-31', or any date form
 * parseJapaneseDate accepts. A bare fiscal year or quarter ('令和8年度') is ambiguous as a
 * deadline and returns null; use parseFiscalTerm(...).end if "by the end of" is meant.
 */
export function parseDeadline(input: string): IsoDate | null {
  const term = parseFiscalTerm(input);
  if (term) return term.kind === 'fiscalYearEnd' ? term.end : null;
  return parseJapaneseDate(input);
}
