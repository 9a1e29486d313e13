import { parseJapaneseDate } from '../calendar';
import { DomainError } from './domain-error';

// Query and path parameters are normalized here, at the edge, with the same rules as sheets.

export function parseAsOf(value: string): string {
  const date = parseJapaneseDate(value);
  if (!date) throw new DomainError('invalid_date', `基準日「${value}」は日付として読めません（例: 2026-11-24、令和8年11月24日）`);
  return date;
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
