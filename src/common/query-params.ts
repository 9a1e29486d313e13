import { isSupportedDate, parseDeadline, parseJapaneseDate, SUPPORTED_RANGE_LABEL } from '../calendar';
import { clip, DomainError } from './domain-error';

// Query and path parameters are normalized here, at the edge, with the same rules as sheets.

export function parseAsOf(value: string): string {
  // the same forms as a deadline: any date, or 令和7年度末 (31 March)
  const date = parseDeadline(value);
  if (!date) throw new DomainError('invalid_date', `基準日「${clip(value)}」は日付として読めません（例: 2026-11-24、令和8年11月24日、令和7年度末）`);
  if (!isSupportedDate(date)) throw dateOutOfRange('基準日', value);
  return date;
}

/** A date parameter (asOf, from, to …): readable, and inside the supported window, else 400. */
export function parseDateParameter(value: string, name: string): string {
  const date = parseJapaneseDate(value);
  if (!date) throw new DomainError('invalid_date', `${name}「${clip(value)}」は日付として読めません（例: 2026-11-24、令和8年11月24日）`);
  if (!isSupportedDate(date)) throw dateOutOfRange(name, value);
  return date;
}

export function dateOutOfRange(name: string, value: string): DomainError {
  return new DomainError('date_out_of_range', `${name}「${clip(value)}」は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`);
}

export function parsePositiveInt(value: string | undefined, name: string, fallback: number, max?: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value.normalize('NFKC'));
  if (!Number.isInteger(number) || number < 1) throw new DomainError('invalid_parameter', `${name} は1以上の整数で指定してください`);
  return max ? Math.min(number, max) : number;
}

export function parseDryRun(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new DomainError('invalid_parameter', `dryRun は true か false で指定してください（「${value}」）`);
}
