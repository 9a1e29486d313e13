import { Choice, FieldDefinition, ProgramDefinition, ProgramKey, PROGRAM_KEYS } from './program.types';

// The three programs as data (DESIGN.md "The three programs"): states, which count as done,
// which leave the denominator, and the extra columns each adds to the shared item model.

export const NATIONAL_GROUPS: readonly Choice[] = [
  { key: 'mynumber27', label: 'マイナンバー27' },
  { key: 'priority24', label: '優先24' },
  { key: 'city', label: '市独自' },
];

export const BASIS_LEVELS: readonly Choice[] = [
  { key: 'law', label: '法律' },
  { key: 'cabinet_order', label: '政令' },
  { key: 'ministerial_ordinance', label: '省令' },
  { key: 'ordinance', label: '条例' },
  { key: 'rule', label: '規則' },
  { key: 'guideline', label: '要綱' },
  { key: 'other', label: 'その他' },
];

export const SEAL_KINDS: readonly Choice[] = [
  { key: 'registered', label: '実印' },
  { key: 'personal', label: '認印' },
  { key: 'other', label: 'その他' },
];

export const SEAL_REPLACEMENTS: readonly Choice[] = [
  { key: 'signature', label: '署名' },
  { key: 'name_entry', label: '記名' },
  { key: 'seal_optional', label: '押印任意' },
  { key: 'form_abolished', label: '様式廃止' },
  { key: 'other', label: 'その他' },
];

export const ANALOG_TYPES: readonly Choice[] = [
  { key: 'visual_inspection', label: '目視' },
  { key: 'onsite_audit', label: '実地監査' },
  { key: 'periodic_inspection', label: '定期検査・点検' },
  { key: 'posting', label: '書面掲示' },
  { key: 'resident_staff', label: '常駐・専任' },
  { key: 'in_person_training', label: '対面講習' },
  { key: 'in_person_viewing', label: '往訪閲覧・縦覧' },
  { key: 'physical_media', label: 'FD等記録媒体' },
  { key: 'other', label: 'その他' },
];

const TEXT_MAX = 2000;

/** Columns every program has, in sheet order (CONTRACT.md "Sheet layout"). */
export const COMMON_FIELDS: readonly FieldDefinition[] = [
  { key: 'code', header: '管理番号', kind: 'code', required: true, maxLength: 64 },
  { key: 'name', header: '名称', kind: 'freeText', required: true, maxLength: 500 },
  { key: 'division', header: '所管課', kind: 'division', required: true },
  { key: 'status', header: '状況', kind: 'status', required: true },
  { key: 'completedOn', header: '完了日', kind: 'date' },
  { key: 'dueOn', header: '予定日', kind: 'date' },
  { key: 'note', header: '備考', kind: 'freeText', maxLength: TEXT_MAX },
];

const nationalGroup: FieldDefinition = { key: 'nationalGroup', header: '国の区分', kind: 'choice', choices: NATIONAL_GROUPS };
const category: FieldDefinition = { key: 'category', header: '分野', kind: 'freeText', maxLength: 100 };
const annualVolume: FieldDefinition = { key: 'annualVolume', header: '年間件数', kind: 'integer' };
const channel: FieldDefinition = { key: 'channel', header: '申請方法', kind: 'freeText', maxLength: 200 };
const basisLevel: FieldDefinition = { key: 'basisLevel', header: '根拠区分', kind: 'choice', choices: BASIS_LEVELS };
const legalBasis: FieldDefinition = { key: 'legalBasis', header: '根拠法令', kind: 'freeText', maxLength: 500 };
const sealKind: FieldDefinition = { key: 'sealKind', header: '押印種別', kind: 'choice', choices: SEAL_KINDS };
const replacement: FieldDefinition = { key: 'replacement', header: '代替方法', kind: 'choice', choices: SEAL_REPLACEMENTS };
const article: FieldDefinition = { key: 'article', header: '条項', kind: 'freeText', maxLength: 200 };
const analogType: FieldDefinition = { key: 'analogType', header: '類型', kind: 'choice', choices: ANALOG_TYPES };

export const PROGRAMS: Readonly<Record<ProgramKey, ProgramDefinition>> = {
  online: {
    key: 'online',
    label: 'オンライン化',
    itemNoun: '手続',
    states: [
      { key: 'not_started', label: '未着手' },
      { key: 'planning', label: '検討中' },
      { key: 'in_progress', label: '構築中' },
      { key: 'online', label: 'オンライン化済' },
      { key: 'not_applicable', label: '対象外' },
    ],
    initialState: 'not_started',
    doneStates: ['online'],
    excludedStates: ['not_applicable'],
    legalBasisStates: [],
    extraFields: [nationalGroup, category, annualVolume, channel, legalBasis],
  },
  seal: {
    key: 'seal',
    label: '押印廃止',
    itemNoun: '様式',
    states: [
      { key: 'seal_required', label: '押印必要' },
      { key: 'reviewing', label: '検討中' },
      { key: 'abolished', label: '廃止済' },
      { key: 'legally_required', label: '法令上存続' },
    ],
    initialState: 'seal_required',
    doneStates: ['abolished'],
    excludedStates: ['legally_required'],
    legalBasisStates: ['legally_required'],
    confirmDone: true,
    extraFields: [annualVolume, basisLevel, legalBasis, sealKind, replacement],
  },
  analog: {
    key: 'analog',
    label: 'アナログ規制見直し',
    itemNoun: '規定',
    states: [
      { key: 'not_inspected', label: '未点検' },
      { key: 'inspected', label: '点検済' },
      { key: 'direction_decided', label: '方針決定' },
      { key: 'amended', label: '改正済' },
      { key: 'operation_changed', label: '運用変更済' },
      { key: 'no_change_needed', label: '見直し不要' },
    ],
    initialState: 'not_inspected',
    doneStates: ['amended', 'operation_changed'],
    excludedStates: ['no_change_needed'],
    legalBasisStates: [],
    confirmDone: true,
    extraFields: [legalBasis, article, analogType],
  },
};

const FIELDS_BY_PROGRAM = Object.fromEntries(
  PROGRAM_KEYS.map((key) => [key, Object.freeze([...COMMON_FIELDS, ...PROGRAMS[key].extraFields])]),
) as Record<ProgramKey, readonly FieldDefinition[]>;

const FIELD_KEYS_BY_PROGRAM = Object.fromEntries(
  PROGRAM_KEYS.map((key) => [key, new Set(FIELDS_BY_PROGRAM[key].map((field) => field.key))]),
) as unknown as Record<ProgramKey, ReadonlySet<string>>;

/** Every column a program's sheet has, in order (built once: imports ask for it per row). */
export function programFields(program: ProgramKey): readonly FieldDefinition[] {
  return FIELDS_BY_PROGRAM[program];
}

/** The keys of programFields(program). */
export function programFieldKeys(program: ProgramKey): ReadonlySet<string> {
  return FIELD_KEYS_BY_PROGRAM[program];
}

/** Union of the program-specific keys: the item model stores each in its own column. */
export const EXTRA_FIELD_KEYS = [
  'nationalGroup',
  'category',
  'annualVolume',
  'channel',
  'basisLevel',
  'legalBasis',
  'sealKind',
  'replacement',
  'article',
  'analogType',
] as const;
export type ExtraFieldKey = (typeof EXTRA_FIELD_KEYS)[number];

export function isProgramKey(value: unknown): value is ProgramKey {
  return typeof value === 'string' && (PROGRAM_KEYS as readonly string[]).includes(value);
}

export function getProgram(key: ProgramKey): ProgramDefinition {
  return PROGRAMS[key];
}

export function stateLabel(program: ProgramKey, state: string): string {
  return PROGRAMS[program].states.find((s) => s.key === state)?.label ?? state;
}

export function isDoneState(program: ProgramKey, state: string): boolean {
  return PROGRAMS[program].doneStates.includes(state);
}

export function isExcludedState(program: ProgramKey, state: string): boolean {
  return PROGRAMS[program].excludedStates.includes(state);
}

/** Whether an editor's completion in this program waits for an administrator's confirmation. */
export function confirmsDone(program: ProgramKey): boolean {
  return PROGRAMS[program].confirmDone === true;
}
