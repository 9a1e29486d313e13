import { formatWarekiDate, isSupportedDate, parseJapaneseDate, SUPPORTED_RANGE_LABEL } from '../calendar';
import { clip } from '../common/domain-error';
import { normalizeFreeText } from '../sheets/normalize';
import { ReorganizationProblem } from './reorganization.types';

// Reading a reorganization document (CONTRACT.md "Reorganization"): its shape and plain values,
// before anything is looked up in the organization. Every problem names the entry it comes from.

const DOCUMENT_KEYS = ['effectiveOn', 'note', 'newDepartments', 'newDivisions', 'moves', 'merges', 'closeDepartments'];
const ENTRY_KEYS: Record<string, string[]> = {
  newDepartments: ['code', 'name'],
  newDivisions: ['code', 'name', 'department'],
  moves: ['division', 'toDepartment', 'rename'],
  merges: ['division', 'into'],
};
const FIELD_LABELS: Record<string, string> = {
  code: 'コード（code）',
  name: '名称（name）',
  department: '所属部局（department）',
  division: '所管課（division）',
  toDepartment: '移管先の部局（toDepartment）',
  rename: '新しい課名（rename）',
  into: '統合先の課（into）',
};

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A date as the messages show it: 令和8年4月1日（2026-04-01）. */
export const wareki = (date: string) => `${formatWarekiDate(date)}（${date}）`;

/** The problems of one document, in the order they are found (the order the answer lists them). */
export class Problems {
  readonly list: ReorganizationProblem[] = [];

  add(entry: string, code: string, message: string, value?: unknown): void {
    this.list.push(value === undefined || value === null ? { entry, code, message } : { entry, code, message, value: String(value) });
  }

  get count(): number {
    return this.list.length;
  }
}

export interface DocumentLists {
  newDepartments: unknown[];
  newDivisions: unknown[];
  moves: unknown[];
  merges: unknown[];
  closeDepartments: unknown[];
}

export interface DocumentValues {
  /** The date as written, when it reads as one (kept even when out of range, for later messages). */
  effectiveOn: string | null;
  note: string | null;
  lists: DocumentLists;
}

/** The document's own values and its five lists; null when it is not an object at all. */
export function readDocument(document: unknown, today: string, problems: Problems): DocumentValues | null {
  if (!isObject(document)) {
    problems.add('document', 'not_an_object', '改編の内容は JSON オブジェクトで指定してください');
    return null;
  }
  const unknownKeys = Object.keys(document).filter((key) => !DOCUMENT_KEYS.includes(key));
  if (unknownKeys.length) problems.add('document', 'unknown_field', `使えない項目があります: ${unknownKeys.join(', ')}（使える項目: ${DOCUMENT_KEYS.join(', ')}）`);

  const effectiveOn = readEffectiveOn(document.effectiveOn, today, problems);
  let note: string | null = null;
  if (document.note !== undefined && document.note !== null) {
    if (typeof document.note !== 'string') problems.add('note', 'invalid_value', '備考（note）は文字列で指定してください', document.note);
    else note = normalizeFreeText(document.note) || null;
  }

  const list = (key: keyof DocumentLists): unknown[] => {
    const value = document[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problems.add(key, 'not_a_list', `${key} は配列で指定してください`);
      return [];
    }
    return value;
  };
  const lists: DocumentLists = {
    newDepartments: list('newDepartments'),
    newDivisions: list('newDivisions'),
    moves: list('moves'),
    merges: list('merges'),
    closeDepartments: list('closeDepartments'),
  };
  if (Object.values(lists).every((entries) => !entries.length) && !problems.count) {
    problems.add('document', 'empty_reorganization', '改編の内容（newDepartments / newDivisions / moves / merges / closeDepartments）がありません');
  }
  return { effectiveOn, note, lists };
}

function readEffectiveOn(raw: unknown, today: string, problems: Problems): string | null {
  if (raw === undefined || raw === null || raw === '') {
    problems.add('effectiveOn', 'missing_required', '適用日（effectiveOn）は必須です');
    return null;
  }
  const effectiveOn = typeof raw === 'string' ? parseJapaneseDate(raw) : null;
  if (!effectiveOn) problems.add('effectiveOn', 'invalid_date', `適用日「${clip(raw)}」は日付として読めません（例: 2026-04-01、令和8年4月1日）`, raw);
  else if (!isSupportedDate(effectiveOn)) problems.add('effectiveOn', 'date_out_of_range', `適用日「${clip(raw)}」は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`, raw);
  // The current columns (divisions.department_id, name) take the new values at once, so a
  // reorganization is recorded on or after the day it takes effect, never ahead of it.
  else if (effectiveOn > today)
    problems.add('effectiveOn', 'effective_on_in_future', `適用日 ${wareki(effectiveOn)} は今日（${today}）より後です。改編は適用日以降に登録してください`, effectiveOn);
  return effectiveOn;
}

/** Reads the string fields of a list entry; null when the entry is unusable (problems recorded). */
export function entryFields(key: string, index: number, raw: unknown, required: string[], problems: Problems): Record<string, string | null> | null {
  const entry = `${key}[${index}]`;
  if (!isObject(raw)) {
    problems.add(entry, 'not_an_object', `${entry} はオブジェクトで指定してください（使える項目: ${ENTRY_KEYS[key].join(', ')}）`);
    return null;
  }
  let usable = true;
  const extra = Object.keys(raw).filter((field) => !ENTRY_KEYS[key].includes(field));
  if (extra.length) {
    problems.add(entry, 'unknown_field', `${entry} に使えない項目があります: ${extra.join(', ')}（使える項目: ${ENTRY_KEYS[key].join(', ')}）`);
    usable = false;
  }
  const fields: Record<string, string | null> = {};
  for (const field of ENTRY_KEYS[key]) {
    const value = raw[field];
    if (value === undefined || value === null || value === '') fields[field] = null;
    else if (typeof value === 'string' || typeof value === 'number') fields[field] = normalizeFreeText(String(value)) || null;
    else {
      problems.add(entry, 'invalid_value', `${FIELD_LABELS[field]}は文字列で指定してください`, JSON.stringify(value));
      usable = false;
      continue;
    }
    if (fields[field] === null && required.includes(field)) {
      problems.add(entry, 'missing_required', `${FIELD_LABELS[field]}は必須です`);
      usable = false;
    }
  }
  return usable ? fields : null;
}
