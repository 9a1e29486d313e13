import { Choice, FieldDefinition, ProgramDefinition } from './program.types';

// A program as a JSON document (CONTRACT.md "Programs as data"): its validation, its conversion
// to the definition the code uses, and the rules an update must follow. Plain TS, no I/O: the
// caller supplies what the database knows (which states, fields and choices items use).

export type DocumentFieldKind = 'text' | 'integer' | 'date' | 'choice';

export interface ProgramDocument {
  key: string;
  label: string;
  itemNoun: string;
  /** Where the program sits in lists and workbooks (lower first); programs without one follow. */
  order?: number;
  /** A change into a done state needs an evidence file (根拠資料) attached first. */
  evidenceForDone?: boolean;
  states: Choice[];
  initialState: string;
  doneStates: string[];
  excludedStates: string[];
  legalBasisStates: string[];
  /** An editor's completion counts only once an administrator confirms it (報告済 → 確認済). */
  confirmDone?: boolean;
  fields: { key: string; header: string; kind: DocumentFieldKind; maxLength?: number; choices?: Choice[] }[];
}

export interface ProgramProblem {
  /** Where in the document: `states[2]`, `fields[0].choices[1]`, `initialState`. */
  entry: string;
  code: string;
  message: string;
}

/** The columns every program has; a document cannot redefine them (keys or headers). */
export const COMMON_COLUMNS: readonly { key: string; header: string }[] = [
  { key: 'code', header: '管理番号' },
  { key: 'name', header: '名称' },
  { key: 'division', header: '所管課' },
  { key: 'status', header: '状況' },
  { key: 'completedOn', header: '完了日' },
  { key: 'dueOn', header: '予定日' },
  { key: 'note', header: '備考' },
];
/** Keys the item API already uses for something else. */
const RESERVED_FIELD_KEYS = ['id', 'program', 'version', 'statusLabel', 'statusEffectiveOn', 'department', 'updatedAt', 'createdAt', 'fields', 'searchText', 'divisionId'];

const PROGRAM_KEY = /^[a-z][A-Za-z0-9]*$/;
const FIELD_KEY = /^[a-z][A-Za-z0-9]*$/;
// State and choice keys are stored values; the built-in ones use snake_case (not_started).
const VALUE_KEY = /^[a-z][A-Za-z0-9_]*$/;
const PROGRAM_KEY_MAX = 16;
const STATE_KEY_MAX = 32;
const VALUE_KEY_MAX = 64;
const LABEL_MAX = 100;
export const TEXT_MAX = 2000;
const KINDS: readonly DocumentFieldKind[] = ['text', 'integer', 'date', 'choice'];
const TOP_KEYS = ['key', 'label', 'itemNoun', 'order', 'evidenceForDone', 'states', 'initialState', 'doneStates', 'excludedStates', 'legalBasisStates', 'confirmDone', 'fields'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const fold = (value: string) => value.normalize('NFKC').replace(/\s+/g, ' ').trim();

/**
 * Checks a document and lists every problem (not just the first). On success returns the document
 * normalized (labels trimmed, optional lists defaulted to []).
 */
export function validateProgramDocument(input: unknown): { document: ProgramDocument } | { problems: ProgramProblem[] } {
  const problems: ProgramProblem[] = [];
  const add = (entry: string, code: string, message: string) => problems.push({ entry, code, message });
  if (!isObject(input)) return { problems: [{ entry: '', code: 'invalid_document', message: '取組の定義はJSONオブジェクトで指定してください' }] };
  for (const name of Object.keys(input)) {
    if (!TOP_KEYS.includes(name)) add(name, 'unknown_property', `「${name}」は取組の定義の項目ではありません`);
  }

  const text = (entry: string, value: unknown, max: number, what: string): string => {
    if (typeof value !== 'string' || !value.trim()) {
      add(entry, 'missing_required', `${what}（${entry}）は必須です`);
      return '';
    }
    if (value.trim().length > max) add(entry, 'too_long', `${what}（${entry}）は${max}文字以内で指定してください`);
    return value.trim();
  };
  const keyOf = (entry: string, value: unknown, pattern: RegExp, max: number, what: string): string => {
    if (typeof value !== 'string' || !pattern.test(value) || value.length > max) {
      add(entry, 'invalid_key', `${what}「${String(value ?? '')}」は英小文字で始まる英数字${pattern === VALUE_KEY ? '（_ も可）' : ''}、${max}文字以内で指定してください`);
      return '';
    }
    return value;
  };
  const choiceList = (entry: string, value: unknown, maxKey: number, what: string): Choice[] => {
    if (!Array.isArray(value) || value.length === 0) {
      add(entry, 'missing_required', `${what}（${entry}）を1つ以上指定してください`);
      return [];
    }
    const keys = new Map<string, number>();
    const labels = new Map<string, number>();
    return value.map((raw, index) => {
      const at = `${entry}[${index}]`;
      if (!isObject(raw)) {
        add(at, 'invalid_entry', `${at} は { "key", "label" } で指定してください`);
        return { key: '', label: '' };
      }
      for (const name of Object.keys(raw)) if (name !== 'key' && name !== 'label') add(`${at}.${name}`, 'unknown_property', `「${name}」は${what}の項目ではありません`);
      const key = keyOf(`${at}.key`, raw.key, VALUE_KEY, maxKey, `${what}のキー`);
      const label = text(`${at}.label`, raw.label, LABEL_MAX, `${what}の名称`);
      if (key && keys.has(key)) add(`${at}.key`, 'duplicate_key', `${what}のキー「${key}」が ${entry}[${keys.get(key)}] と重複しています`);
      else if (key) keys.set(key, index);
      // imports accept a label or a key: neither may stand for two entries
      const matched = fold(label);
      const clash = labels.get(matched) ?? labels.get(key);
      if (label && clash !== undefined) add(`${at}.label`, 'duplicate_label', `${what}の名称「${label}」が ${entry}[${clash}] と重複しています`);
      if (label) labels.set(matched, index);
      if (key && !labels.has(key)) labels.set(key, index);
      return { key, label };
    });
  };

  const key = keyOf('key', input.key, PROGRAM_KEY, PROGRAM_KEY_MAX, '取組のキー');
  if (key === 'compliance') add('key', 'reserved_key', '「compliance」は取組状況報告の名前なので取組のキーに使えません');
  const label = text('label', input.label, LABEL_MAX, '取組の名称');
  const itemNoun = text('itemNoun', input.itemNoun, 20, '対象の呼び方');
  let order: number | undefined;
  if (input.order !== undefined) {
    if (typeof input.order !== 'number' || !Number.isInteger(input.order)) add('order', 'invalid_number', '並び順（order）は整数で指定してください');
    else order = input.order;
  }
  let evidenceForDone: boolean | undefined;
  if (input.evidenceForDone !== undefined) {
    if (typeof input.evidenceForDone !== 'boolean') add('evidenceForDone', 'invalid_entry', 'evidenceForDone は true か false で指定してください');
    else evidenceForDone = input.evidenceForDone;
  }
  let confirmDone: boolean | undefined;
  if (input.confirmDone !== undefined) {
    if (typeof input.confirmDone !== 'boolean') add('confirmDone', 'invalid_entry', '完了の確認（confirmDone）は true か false で指定してください');
    else confirmDone = input.confirmDone;
  }
  const states = choiceList('states', input.states, STATE_KEY_MAX, '状況');
  const stateKeys = new Set(states.map((state) => state.key).filter(Boolean));
  const stateRef = (entry: string, value: unknown): string => {
    if (typeof value !== 'string' || !stateKeys.has(value)) {
      add(entry, 'unknown_state', `${entry} の「${String(value ?? '')}」は states にありません`);
      return '';
    }
    return value;
  };
  const initialState = stateRef('initialState', input.initialState);
  const stateList = (name: 'doneStates' | 'excludedStates' | 'legalBasisStates', required: boolean): string[] => {
    const value = input[name] ?? (required ? undefined : []);
    if (!Array.isArray(value)) {
      add(name, 'invalid_entry', `${name} は状況のキーの配列で指定してください`);
      return [];
    }
    if (required && value.length === 0) add(name, 'missing_required', `${name} に状況を1つ以上指定してください`);
    const seen = new Set<string>();
    return value
      .map((entry, index) => {
        const ref = stateRef(`${name}[${index}]`, entry);
        if (ref && seen.has(ref)) add(`${name}[${index}]`, 'duplicate_key', `${name} に「${ref}」が重複しています`);
        seen.add(ref);
        return ref;
      })
      .filter(Boolean);
  };
  const doneStates = stateList('doneStates', true);
  const excludedStates = stateList('excludedStates', false);
  const legalBasisStates = stateList('legalBasisStates', false);
  for (const state of doneStates) {
    if (excludedStates.includes(state)) add('excludedStates', 'state_conflict', `状況「${state}」は完了と対象外の両方には指定できません`);
  }
  if (initialState && (doneStates.includes(initialState) || excludedStates.includes(initialState))) {
    add('initialState', 'state_conflict', `最初の状況「${initialState}」は完了・対象外以外の状況にしてください`);
  }

  const fields: ProgramDocument['fields'] = [];
  const rawFields = input.fields ?? [];
  if (!Array.isArray(rawFields)) add('fields', 'invalid_entry', 'fields は列の定義の配列で指定してください');
  else {
    const keys = new Map<string, string>(COMMON_COLUMNS.map((column) => [column.key, '共通の列']));
    const headers = new Map<string, string>(COMMON_COLUMNS.map((column) => [fold(column.header), '共通の列']));
    for (const reserved of RESERVED_FIELD_KEYS) keys.set(reserved, '予約語');
    rawFields.forEach((raw, index) => {
      const at = `fields[${index}]`;
      if (!isObject(raw)) {
        add(at, 'invalid_entry', `${at} は { "key", "header", "kind" } で指定してください`);
        return;
      }
      for (const name of Object.keys(raw)) {
        if (!['key', 'header', 'kind', 'maxLength', 'choices'].includes(name)) add(`${at}.${name}`, 'unknown_property', `「${name}」は列の定義の項目ではありません`);
      }
      const fieldKey = keyOf(`${at}.key`, raw.key, FIELD_KEY, VALUE_KEY_MAX, '列のキー');
      if (fieldKey && keys.has(fieldKey)) add(`${at}.key`, 'duplicate_key', `列のキー「${fieldKey}」は${keys.get(fieldKey)}と重複しています`);
      else if (fieldKey) keys.set(fieldKey, at);
      const header = text(`${at}.header`, raw.header, LABEL_MAX, '列の見出し');
      const foldedHeader = fold(header);
      // a sheet's header cell may hold the key too, so a header may not be another column's key
      if (header && (headers.has(foldedHeader) || (keys.has(foldedHeader) && foldedHeader !== fieldKey))) {
        add(`${at}.header`, 'duplicate_header', `列の見出し「${header}」は${headers.get(foldedHeader) ?? keys.get(foldedHeader)}と重複しています`);
      } else if (header) headers.set(foldedHeader, at);
      const kind = raw.kind as DocumentFieldKind;
      if (!KINDS.includes(kind)) add(`${at}.kind`, 'invalid_kind', `列の種類「${String(raw.kind ?? '')}」は text / integer / date / choice のいずれかです`);
      let maxLength: number | undefined;
      if (raw.maxLength !== undefined) {
        if (kind !== 'text') add(`${at}.maxLength`, 'invalid_entry', 'maxLength は text の列にだけ指定できます');
        else if (typeof raw.maxLength !== 'number' || !Number.isInteger(raw.maxLength) || raw.maxLength < 1 || raw.maxLength > TEXT_MAX) {
          add(`${at}.maxLength`, 'invalid_number', `maxLength は1〜${TEXT_MAX}の整数で指定してください`);
        } else maxLength = raw.maxLength;
      }
      let choices: Choice[] | undefined;
      if (kind === 'choice') choices = choiceList(`${at}.choices`, raw.choices, VALUE_KEY_MAX, '選択肢');
      else if (raw.choices !== undefined) add(`${at}.choices`, 'invalid_entry', 'choices は choice の列にだけ指定できます');
      fields.push({ key: fieldKey, header, kind, ...(maxLength ? { maxLength } : {}), ...(choices ? { choices } : {}) });
    });
  }
  if (legalBasisStates.length && !fields.some((field) => field.key === 'legalBasis' && field.kind === 'text')) {
    add('legalBasisStates', 'legal_basis_field_missing', '根拠法令が必要な状況を使うには text の列「legalBasis」が必要です');
  }

  if (problems.length) return { problems };
  return {
    document: { key, label, itemNoun, ...(order !== undefined ? { order } : {}), ...(evidenceForDone ? { evidenceForDone } : {}), states, initialState, doneStates, excludedStates, legalBasisStates, ...(confirmDone !== undefined ? { confirmDone } : {}), fields },
  };
}

/** The definition the code works with: document fields become FieldDefinitions (text → freeText). */
export function toDefinition(document: ProgramDocument): ProgramDefinition {
  const extraFields: FieldDefinition[] = document.fields.map((field) => ({
    key: field.key,
    header: field.header,
    kind: field.kind === 'text' ? 'freeText' : field.kind,
    ...(field.kind === 'text' ? { maxLength: field.maxLength ?? TEXT_MAX } : {}),
    ...(field.choices ? { choices: field.choices } : {}),
  }));
  return {
    key: document.key,
    label: document.label,
    itemNoun: document.itemNoun,
    order: document.order,
    evidenceForDone: document.evidenceForDone === true,
    states: document.states,
    initialState: document.initialState,
    doneStates: document.doneStates,
    excludedStates: document.excludedStates,
    legalBasisStates: document.legalBasisStates,
    confirmDone: document.confirmDone === true,
    extraFields,
  };
}

/** What the stored items use of a program, for the update rules. */
export interface ProgramUsage {
  /** State keys that items hold now or held in their history. */
  states: ReadonlySet<string>;
  /** Field keys with a value in at least one item. */
  fields: ReadonlySet<string>;
  /** Field key → choice keys that items hold. */
  choices: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * An update may add states, fields and choices and change labels; it may not remove (or re-key)
 * a state, field or choice that items use, nor change a field's kind. Every problem is listed.
 */
export function checkProgramUpdate(current: ProgramDocument, next: ProgramDocument, usage: ProgramUsage): ProgramProblem[] {
  const problems: ProgramProblem[] = [];
  if (next.key !== current.key) {
    problems.push({ entry: 'key', code: 'key_mismatch', message: `取組のキー「${next.key}」は更新先「${current.key}」と違います（キーは変えられません）` });
    return problems;
  }
  const nextStates = new Set(next.states.map((state) => state.key));
  current.states.forEach((state, index) => {
    if (!nextStates.has(state.key) && usage.states.has(state.key)) {
      problems.push({
        entry: `states[${index}]`,
        code: 'state_in_use',
        message: `状況「${state.label}」（${state.key}）は使われている${current.itemNoun}があるので削除・キー変更できません`,
      });
    }
  });
  const nextFields = new Map(next.fields.map((field) => [field.key, field]));
  current.fields.forEach((field, index) => {
    const replacement = nextFields.get(field.key);
    if (!replacement) {
      if (usage.fields.has(field.key)) {
        problems.push({ entry: `fields[${index}]`, code: 'field_in_use', message: `列「${field.header}」（${field.key}）は値のある${current.itemNoun}があるので削除・キー変更できません` });
      }
      return;
    }
    const nextIndex = next.fields.indexOf(replacement);
    if (replacement.kind !== field.kind) {
      problems.push({
        entry: `fields[${nextIndex}].kind`,
        code: 'field_kind_changed',
        message: `列「${field.header}」（${field.key}）の種類は ${field.kind} から ${replacement.kind} に変えられません`,
      });
      return;
    }
    if (field.kind !== 'choice') return;
    const nextChoices = new Set((replacement.choices ?? []).map((choice) => choice.key));
    const used = usage.choices.get(field.key);
    (field.choices ?? []).forEach((choice, choiceIndex) => {
      if (!nextChoices.has(choice.key) && used?.has(choice.key)) {
        problems.push({
          entry: `fields[${index}].choices[${choiceIndex}]`,
          code: 'choice_in_use',
          message: `列「${field.header}」の選択肢「${choice.label}」（${choice.key}）は使われている${current.itemNoun}があるので削除・キー変更できません`,
        });
      }
    });
  });
  return problems;
}
