import { addDays, addMonths, addMonthsToMonth, daysBetween, maxIsoDate, minIsoDate, monthOf, startOfMonth } from '../calendar';
import { monthSpan } from '../plans/plan-math';
import { ItemValues, itemValues } from '../items/item-fields';
import { getProgram, isDoneState } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';

// A deterministic sample city: N items over the three programs and the real divisions, each with
// the status changes that brought it to where it stands (dated over the past months), plus the
// timelines of the seeded national procedures, monthly plans and channel volumes. The demo
// command writes it; the benchmark streams it (200,000 items) to build sheets and databases.
// Everything is a lazy generator over one seeded PRNG: same options, same city, O(1) memory.

export const SAMPLE_PREFIX = '【サンプル】';
export const SAMPLE_NOTE = 'デモ用のサンプルデータ';
/** History rows of the sample are recorded as this user. */
export const SAMPLE_USER = 'サンプルデータ';
export const DEFAULT_SAMPLE_SEED = 20261124;
/** How far back the sample's status changes reach. */
export const DEFAULT_HISTORY_MONTHS = 24;

/** mulberry32: tiny, fast and good enough to spread sample data; never for anything secret. */
export class SampleRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    let roll = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
}

/** A status change of the sample, with the fields that change with it. */
export interface SampleChange {
  status: string;
  /** The effective date: the completion date for a done state. */
  on: string;
  /** Fields set by this change (a reason in 備考, 根拠法令, 代替方法 …). */
  fields?: Partial<ItemValues>;
}

export interface SampleItem {
  program: ProgramKey;
  /** The item as it entered the inventory, in the program's initial state (division = its code). */
  initial: ItemValues;
  createdOn: string;
  /** Oldest first; empty when the item is still in its initial state. */
  changes: SampleChange[];
}

export interface SampleOptions {
  /** Items to generate over the three programs (besides the seeded national procedures). */
  count: number;
  /** The date the sample is drawn as of: nothing in it happens later. */
  today: string;
  /** The real divisions' codes, in a stable order. */
  divisionCodes: readonly string[];
  seed?: number;
  historyMonths?: number;
}

/** Sample items per program: mostly seal forms, then analog provisions, then the city's own procedures. */
export function splitCount(count: number): Record<string, number> {
  const counts: Record<string, number> = {};
  let left = count;
  SAMPLE_PROFILES.forEach((profile, index) => {
    const share = index === SAMPLE_PROFILES.length - 1 ? left : Math.round(count * profile.share);
    counts[profile.program] = Math.max(0, share);
    left -= counts[profile.program];
  });
  return counts;
}

export function historyStart(today: string, historyMonths = DEFAULT_HISTORY_MONTHS): string {
  return startOfMonth(monthOf(addMonths(today, -historyMonths)));
}

// ---------------------------------------------------------------------------
// Words the names are made of

const SEAL_SUBJECTS = [
  '道路占用許可', '行政財産使用許可', '公民館使用', '補助金交付', '補助金実績報告', '犬の登録', '住宅改修費支給', '農地転用',
  '屋外広告物許可', '水道使用開始', '放課後児童クラブ入所', '就学援助', '介護保険負担限度額認定', '軽自動車税減免', '固定資産評価証明交付',
  '図書館利用者登録', '防火対象物使用開始', '家屋滅失', '公園占用許可', '物品購入見積', '指名競争入札参加資格', '口座振替依頼', '職員採用試験受験',
  '給水装置工事', '浄化槽設置補助', '子ども医療費助成', '国民健康保険税減免', '後期高齢者医療葬祭費', '市営住宅入居', '開発行為許可',
] as const;
const SEAL_FORMS = ['申請書', '届出書', '請求書', '申出書', '同意書', '委任状', '報告書', '変更届', '廃止届', '誓約書'] as const;
const REGULATIONS = [
  '市道路占用規則', '市都市公園条例施行規則', '市文書取扱規程', '市補助金等交付規則', '市消防本部査察規程', '市公共下水道条例施行規則',
  '市浄化槽設置整備事業補助金交付要綱', '市営住宅条例施行規則', '市立図書館管理規則', '市火災予防規則', '市契約規則', '市財務規則',
  '市屋外広告物条例施行規則', '市水道事業給水条例施行規程', '市建築基準法施行細則',
] as const;
const ONLINE_SUBJECTS = [
  '粗大ごみ収集の申込み', '各種証明書の交付請求', '施設予約', '児童クラブの利用申込み', '防災行政無線の戸別受信機貸与', '道路損傷の通報',
  '講座・イベントの申込み', '図書の予約', '犬の死亡届', '水道の開始・中止届', '罹災証明書の交付申請', '就学援助の申請', '各種補助金の申請',
  '住宅用太陽光発電設備補助の申請', '入札参加資格の申請', '情報公開請求', '職員採用試験の申込み', '市民意見の提出',
] as const;
const ONLINE_CATEGORIES = ['くらし', '子育て', '教育', '福祉', '環境', '防災', '産業', '行政'] as const;
const SEAL_LAWS = ['不動産登記令第16条', '地方自治法施行規則第12条の5', '印鑑登録証明事務処理要領', '商業登記規則第9条'] as const;

/**
 * The sample city's inventory of one program, in the order they are generated: its share of the
 * items, its codes, and how its items move (final states and their shares; the path from the
 * program's initial state to each). The states are the program definition's keys, checked
 * against it by the spec; the initial state and done/excluded states come from the definition.
 */
export interface SampleProfile {
  program: string;
  /** Share of the sample's items (the last profile takes what is left). */
  share: number;
  codePrefix: string;
  exclusionReasons: readonly string[];
  finalStates: Readonly<Record<string, number>>;
  paths: Readonly<Record<string, readonly string[]>>;
}

export const SAMPLE_PROFILES: readonly SampleProfile[] = [
  {
    program: 'seal',
    share: 0.55,
    codePrefix: 'SMP-S',
    exclusionReasons: ['法令で押印が定められている', '金融機関との取決めによる', '登記手続に実印が必要'],
    finalStates: { abolished: 52, legally_required: 7, reviewing: 18, seal_required: 23 },
    paths: { seal_required: [], reviewing: ['reviewing'], abolished: ['reviewing', 'abolished'], legally_required: ['reviewing', 'legally_required'] },
  },
  {
    program: 'analog',
    share: 0.35,
    codePrefix: 'SMP-A',
    exclusionReasons: ['既にデジタル技術で代替済み', '規定の対象が既に存在しない', '法令上の義務で見直し不要'],
    finalStates: { amended: 22, operation_changed: 16, no_change_needed: 12, direction_decided: 15, inspected: 20, not_inspected: 15 },
    paths: {
      not_inspected: [],
      inspected: ['inspected'],
      direction_decided: ['inspected', 'direction_decided'],
      amended: ['inspected', 'direction_decided', 'amended'],
      operation_changed: ['inspected', 'direction_decided', 'operation_changed'],
      no_change_needed: ['inspected', 'no_change_needed'],
    },
  },
  {
    program: 'online',
    share: 0,
    codePrefix: 'SMP-C',
    exclusionReasons: ['本人確認のため対面が必要', '件数が極めて少ない', '国の様式改正待ち'],
    finalStates: { online: 45, not_applicable: 5, in_progress: 20, planning: 15, not_started: 15 },
    paths: {
      not_started: [],
      planning: ['planning'],
      in_progress: ['planning', 'in_progress'],
      online: ['planning', 'in_progress', 'online'],
      not_applicable: ['planning', 'not_applicable'],
    },
  },
];

const profileOf = (program: string): SampleProfile => SAMPLE_PROFILES.find((profile) => profile.program === program)!;

function emptyValues(): Pick<ItemValues, 'completedOn' | 'dueOn' | 'note'> {
  const { completedOn, dueOn, note } = itemValues({ code: '', name: '', division: '', status: '', note: SAMPLE_NOTE });
  return { completedOn, dueOn, note };
}

/**
 * `count` sorted dates from `from` to `to` (inclusive), later dates more likely (the pace of a
 * program picks up as it goes): the last is the final change, the others lead up to it.
 */
function changeDates(random: SampleRandom, from: string, to: string, count: number): string[] {
  const span = Math.max(0, daysBetween(from, to));
  // sqrt skews toward `to`: completions accelerate over the window.
  const final = Math.floor(Math.sqrt(random.next()) * (span + 1));
  const dates = [final];
  for (let index = 1; index < count; index++) dates.push(random.int(0, final));
  return dates.sort((a, b) => a - b).map((offset) => addDays(from, Math.min(offset, span)));
}

function fieldsFor(program: ProgramKey, status: string, random: SampleRandom): Partial<ItemValues> | undefined {
  if (getProgram(program).excludedStates.includes(status)) {
    const fields: Partial<ItemValues> = { note: `${SAMPLE_NOTE}（${random.pick(profileOf(program).exclusionReasons)}）` };
    if (getProgram(program).legalBasisStates.includes(status)) fields.legalBasis = random.pick(SEAL_LAWS);
    return fields;
  }
  if (program === 'seal' && status === 'abolished') return { replacement: random.weighted({ signature: 30, name_entry: 25, seal_optional: 30, form_abolished: 10, other: 5 }) };
  if (program === 'online' && status === 'online') return { channel: '電子申請・窓口・郵送' };
  return undefined;
}

function initialValues(program: ProgramKey, code: string, division: string, serial: number, random: SampleRandom): ItemValues {
  const base = { ...emptyValues(), code, division, status: getProgram(program).initialState };
  if (program === 'seal') {
    return {
      ...base,
      name: `${SAMPLE_PREFIX}${random.pick(SEAL_SUBJECTS)}${random.pick(SEAL_FORMS)}（様式第${(serial % 60) + 1}号）`,
      annualVolume: random.int(0, 40) === 0 ? 0 : Math.round(Math.exp(random.next() * 8)),
      basisLevel: random.weighted({ ordinance: 20, rule: 45, guideline: 25, law: 5, ministerial_ordinance: 5 }),
      sealKind: random.weighted({ personal: 80, registered: 10, other: 10 }),
    };
  }
  if (program === 'analog') {
    const article = random.int(1, 40);
    return {
      ...base,
      name: `${SAMPLE_PREFIX}${random.pick(REGULATIONS)}第${article}条`,
      article: `第${article}条${random.chance(0.5) ? `第${random.int(1, 4)}項` : ''}`,
      analogType: random.weighted({
        visual_inspection: 20, onsite_audit: 15, periodic_inspection: 15, posting: 15, resident_staff: 5, in_person_training: 10, in_person_viewing: 12, physical_media: 5, other: 3,
      }),
    };
  }
  return {
    ...base,
    name: `${SAMPLE_PREFIX}${random.pick(ONLINE_SUBJECTS)}（${serial + 1}）`,
    nationalGroup: 'city',
    category: random.pick(ONLINE_CATEGORIES),
    annualVolume: Math.round(Math.exp(2 + random.next() * 5.5)),
    channel: '窓口・郵送',
  };
}

/** The sample items, one at a time: seal forms, then analog provisions, then city procedures. */
export function* sampleItems(options: SampleOptions): Generator<SampleItem, void, undefined> {
  if (!options.divisionCodes.length) throw new Error('sampleItems needs at least one division');
  const random = new SampleRandom(options.seed ?? DEFAULT_SAMPLE_SEED);
  const start = historyStart(options.today, options.historyMonths);
  // A few divisions own far more forms than others (窓口 divisions): fixed per seed.
  const divisionWeights = options.divisionCodes.map(() => 1 + Math.floor(random.next() * random.next() * 12));
  const weightTotal = divisionWeights.reduce((sum, weight) => sum + weight, 0);
  const pickDivision = () => {
    let roll = random.next() * weightTotal;
    for (let index = 0; index < divisionWeights.length; index++) {
      roll -= divisionWeights[index];
      if (roll < 0) return options.divisionCodes[index];
    }
    return options.divisionCodes[options.divisionCodes.length - 1];
  };
  const counts = splitCount(options.count);
  for (const profile of SAMPLE_PROFILES) {
    const program = profile.program;
    const width = Math.max(5, String(counts[program]).length);
    for (let serial = 0; serial < counts[program]; serial++) {
      const code = `${profile.codePrefix}${String(serial + 1).padStart(width, '0')}`;
      const initial = initialValues(program, code, pickDivision(), serial, random);
      // The inventory was taken over the first two months of the window.
      const createdOn = addDays(start, Math.min(random.int(0, 60), Math.max(0, daysBetween(start, options.today))));
      const final = random.weighted(profile.finalStates);
      const path = profile.paths[final];
      const dates = changeDates(random, createdOn, options.today, path.length);
      const changes: SampleChange[] = path.map((status, index) => {
        const fields = fieldsFor(program, status, random);
        return fields ? { status, on: dates[index], fields } : { status, on: dates[index] };
      });
      // Some open items carry their own due date, a few of them already past.
      if (!isDoneState(program, final) && random.chance(0.4)) initial.dueOn = addDays(options.today, random.int(-120, 400));
      yield { program, initial, createdOn, changes };
    }
  }
}

/** The same stream in arrays of `size` (for batched inserts). */
export function* sampleItemBatches(options: SampleOptions, size = 500): Generator<SampleItem[], void, undefined> {
  let batch: SampleItem[] = [];
  for (const item of sampleItems(options)) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The item as a sheet row after all its changes (what an import of the sample would carry). */
export function finalValues(item: SampleItem): ItemValues {
  const values: ItemValues = { ...item.initial };
  for (const change of item.changes) {
    Object.assign(values, change.fields ?? {});
    values.status = change.status;
    values.completedOn = isDoneState(item.program, change.status) ? change.on : null;
  }
  return values;
}

// ---------------------------------------------------------------------------
// The seeded national procedures (51): their path to online, around their target's deadline

export interface SeededProcedure {
  code: string;
  nationalGroup: string | null;
}

export interface SeededTimeline {
  /** Edits made when the sample starts: the 【サンプル】 label, the note, the yearly volume. */
  edit: Partial<ItemValues>;
  editOn: string;
  changes: SampleChange[];
}

/**
 * Timelines for the seeded procedures: most of each national group goes online in the year
 * before its deadline (`deadlines` by national group), a few late or not yet, one excluded.
 */
export function seededTimelines(
  procedures: readonly (SeededProcedure & { name: string })[],
  options: { today: string; deadlines: Readonly<Record<string, string>>; seed?: number; historyMonths?: number },
): Map<string, SeededTimeline> {
  const random = new SampleRandom((options.seed ?? DEFAULT_SAMPLE_SEED) ^ 0x51);
  const start = historyStart(options.today, options.historyMonths);
  const result = new Map<string, SeededTimeline>();
  // The 27 My Number procedures carry about 18,000 cases a year between them.
  const mynumber = procedures.filter((procedure) => procedure.nationalGroup === 'mynumber27').length || 1;
  for (const procedure of procedures) {
    const deadline = options.deadlines[procedure.nationalGroup ?? ''] ?? options.today;
    const annualVolume =
      procedure.nationalGroup === 'mynumber27' ? Math.round((18000 / mynumber) * (0.3 + random.next() * 1.4)) : Math.round(Math.exp(3 + random.next() * 4.5));
    const edit: Partial<ItemValues> = { name: `${SAMPLE_PREFIX}${procedure.name}`, note: SAMPLE_NOTE, annualVolume, channel: '窓口・郵送' };
    const outcome = random.weighted(procedure.nationalGroup === 'mynumber27' ? { onTime: 25, late: 2, open: 0, excluded: 0 } : { onTime: 19, late: 3, open: 1, excluded: 1 });
    // Work happens in the year before the deadline (within the sample's window, never after today).
    const from = minIsoDate(maxIsoDate(start, addDays(deadline, -330)), options.today);
    const to = maxIsoDate(from, minIsoDate(deadline, options.today));
    const path = outcome === 'open' ? ['planning', 'in_progress'] : outcome === 'excluded' ? ['planning', 'not_applicable'] : ['planning', 'in_progress', 'online'];
    const dates = changeDates(random, from, to, path.length);
    if (outcome === 'late') {
      // Online only after the deadline, within about half a year of it.
      const lateFrom = maxIsoDate(dates[1], minIsoDate(addDays(deadline, 1), options.today));
      const lateTo = maxIsoDate(lateFrom, minIsoDate(addDays(deadline, 200), options.today));
      dates[2] = addDays(lateFrom, random.int(0, daysBetween(lateFrom, lateTo)));
    }
    const changes = path.map((status, index): SampleChange => {
      const fields = status === 'not_applicable' ? { note: `${SAMPLE_NOTE}（${random.pick(profileOf('online').exclusionReasons)}）` } : status === 'online' ? { channel: '電子申請・窓口・郵送' } : undefined;
      return fields ? { status, on: dates[index], fields } : { status, on: dates[index] };
    });
    result.set(procedure.code, { edit, editOn: minIsoDate(start, from), changes });
  }
  return result;
}

// ---------------------------------------------------------------------------
// Plans and volumes

/** An even plan: `total` completions over the months from `from` to `to`, remainders first. */
export function evenPlan(total: number, from: string, to: string): { month: string; planned: number }[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = addMonthsToMonth(month, 1)) months.push(month);
  if (!months.length) return [];
  const base = Math.floor(total / months.length);
  const extra = total - base * months.length;
  return months.map((month, index) => ({ month, planned: base + (index < extra ? 1 : 0) }));
}

export interface VolumeProcedure {
  code: string;
  annualVolume: number;
  /** The date it went online; null = not online (no online cases). */
  onlineSince: string | null;
}

/**
 * Monthly cases per procedure over `months`: a yearly rhythm (April and March are busy), and once
 * online a take-up that grows toward a ceiling of its own; some stay near 3 % long after going
 * online, the case the reform office most needs to see.
 */
export function* sampleVolumes(
  procedures: readonly VolumeProcedure[],
  months: readonly string[],
  seed = DEFAULT_SAMPLE_SEED,
): Generator<{ code: string; month: string; online: number; offline: number }, void, undefined> {
  const random = new SampleRandom(seed ^ 0x7a1e);
  // January … December: April (moves, new school year) and March are the busy months.
  const season = [1.0, 0.9, 1.3, 1.6, 0.9, 0.8, 0.9, 1.0, 0.9, 0.8, 0.8, 1.0];
  for (const procedure of procedures) {
    const ceiling = random.chance(0.2) ? 0.02 + random.next() * 0.04 : 0.25 + random.next() * 0.55;
    for (const month of months) {
      const seasonal = season[Number(month.slice(5, 7)) - 1];
      const cases = Math.max(0, Math.round((procedure.annualVolume / 12) * seasonal * (0.8 + random.next() * 0.4)));
      let share = 0;
      if (procedure.onlineSince && monthOf(procedure.onlineSince) <= month) {
        const monthsOnline = monthSpan(monthOf(procedure.onlineSince), month) - 1;
        share = ceiling * Math.min(1, 0.25 + monthsOnline / 12);
      }
      const online = Math.round(cases * share);
      yield { code: procedure.code, month, online, offline: cases - online };
    }
  }
}
