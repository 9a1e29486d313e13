import { addDays, formatWarekiDate, isSupportedDate, parseJapaneseDate, SUPPORTED_RANGE_LABEL } from '../calendar';
import { normalizeFreeText, normalizeMatchValue } from '../sheets/normalize';
import { clip } from '../common/domain-error';

// A reorganization document (CONTRACT.md "Reorganization") → a validated plan of row changes.
// Pure: it reads a snapshot of the organization and writes nothing, so the whole document is
// checked before anything is applied, and every problem names the entry it comes from.

export interface DepartmentState {
  id: number;
  code: string;
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface DivisionState {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  validFrom: string | null;
  validTo: string | null;
}

export interface PeriodState {
  id: number;
  divisionId: number;
  departmentId: number;
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface OrganizationSnapshot {
  departments: DepartmentState[];
  divisions: DivisionState[];
  periods: PeriodState[];
  /** Items per division id (only what merges move is read). */
  itemCounts: Map<number, number>;
}

export interface ReorganizationProblem {
  /** Where in the document: 'effectiveOn', 'moves[2]', 'closeDepartments[0]', 'document'. */
  entry: string;
  code: string;
  message: string;
  value?: string;
}

/** A department the plan refers to: one that exists, or one this document creates. */
export type DepartmentRef = { kind: 'existing'; id: number; code: string; name: string } | { kind: 'new'; code: string; name: string };
/** A division a merge ends in: one that exists, or one this document creates. */
export type DivisionRef = { kind: 'existing'; id: number; code: string; name: string } | { kind: 'new'; code: string; name: string };

export interface PlannedMove {
  divisionId: number;
  code: string;
  department: DepartmentRef;
  name: string;
  matchName: string;
  moved: boolean;
  renamed: boolean;
  /** 'split': close the open period (if any) the day before and open a new one; 'correct': a
   *  second change on the same date as the open period's start rewrites that period. */
  period: { action: 'split'; closeId: number | null } | { action: 'correct'; id: number };
}

export interface PlannedMerge {
  divisionId: number;
  code: string;
  into: DivisionRef;
  /** The open period to end the day before; or, when it opened on the merge date itself, to drop. */
  closePeriodId: number | null;
  dropPeriodId: number | null;
  items: number;
}

export interface ReorganizationSummary {
  newDepartments: number;
  newDivisions: number;
  moved: number;
  renamed: number;
  merged: number;
  closedDepartments: number;
  itemsMoved: number;
}

export interface ReorganizationPlan {
  effectiveOn: string;
  /** effectiveOn − 1 day: the last day of whatever the reorganization ends. */
  lastDayBefore: string;
  note: string | null;
  newDepartments: { code: string; name: string }[];
  newDivisions: { code: string; name: string; matchName: string; department: DepartmentRef }[];
  moves: PlannedMove[];
  merges: PlannedMerge[];
  closeDepartments: { id: number; code: string; name: string }[];
  summary: ReorganizationSummary;
}

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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const wareki = (date: string) => `${formatWarekiDate(date)}（${date}）`;
const latest = (dates: (string | null)[]) => dates.reduce<string | null>((max, date) => (date && (!max || date > max) ? date : max), null);

export function planReorganization(document: unknown, snapshot: OrganizationSnapshot, today: string): { plan: ReorganizationPlan } | { problems: ReorganizationProblem[] } {
  const problems: ReorganizationProblem[] = [];
  const problem = (entry: string, code: string, message: string, value?: unknown) =>
    problems.push(value === undefined || value === null ? { entry, code, message } : { entry, code, message, value: String(value) });

  if (!isObject(document)) {
    problem('document', 'not_an_object', '改編の内容は JSON オブジェクトで指定してください');
    return { problems };
  }
  const unknownKeys = Object.keys(document).filter((key) => !DOCUMENT_KEYS.includes(key));
  if (unknownKeys.length) problem('document', 'unknown_field', `使えない項目があります: ${unknownKeys.join(', ')}（使える項目: ${DOCUMENT_KEYS.join(', ')}）`);

  // ---- shape and plain values ----
  let effectiveOn: string | null = null;
  if (document.effectiveOn === undefined || document.effectiveOn === null || document.effectiveOn === '') {
    problem('effectiveOn', 'missing_required', '適用日（effectiveOn）は必須です');
  } else {
    effectiveOn = typeof document.effectiveOn === 'string' ? parseJapaneseDate(document.effectiveOn) : null;
    if (!effectiveOn) problem('effectiveOn', 'invalid_date', `適用日「${clip(document.effectiveOn)}」は日付として読めません（例: 2026-04-01、令和8年4月1日）`, document.effectiveOn);
    else if (!isSupportedDate(effectiveOn))
      problem('effectiveOn', 'date_out_of_range', `適用日「${clip(document.effectiveOn)}」は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`, document.effectiveOn);
    // The current columns (divisions.department_id, name) take the new values at once, so a
    // reorganization is recorded on or after the day it takes effect, never ahead of it.
    else if (effectiveOn > today)
      problem('effectiveOn', 'effective_on_in_future', `適用日 ${wareki(effectiveOn)} は今日（${today}）より後です。改編は適用日以降に登録してください`, effectiveOn);
  }
  let note: string | null = null;
  if (document.note !== undefined && document.note !== null) {
    if (typeof document.note !== 'string') problem('note', 'invalid_value', '備考（note）は文字列で指定してください', document.note);
    else note = normalizeFreeText(document.note) || null;
  }

  const list = (key: string): unknown[] => {
    const value = document[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problem(key, 'not_a_list', `${key} は配列で指定してください`);
      return [];
    }
    return value;
  };
  /** Reads the string fields of an entry; null when the entry is unusable (problems recorded). */
  const entryFields = (key: string, index: number, raw: unknown, required: string[]): Record<string, string | null> | null => {
    const entry = `${key}[${index}]`;
    if (!isObject(raw)) {
      problem(entry, 'not_an_object', `${entry} はオブジェクトで指定してください（使える項目: ${ENTRY_KEYS[key].join(', ')}）`);
      return null;
    }
    let usable = true;
    const extra = Object.keys(raw).filter((field) => !ENTRY_KEYS[key].includes(field));
    if (extra.length) {
      problem(entry, 'unknown_field', `${entry} に使えない項目があります: ${extra.join(', ')}（使える項目: ${ENTRY_KEYS[key].join(', ')}）`);
      usable = false;
    }
    const fields: Record<string, string | null> = {};
    for (const field of ENTRY_KEYS[key]) {
      const value = raw[field];
      if (value === undefined || value === null || value === '') fields[field] = null;
      else if (typeof value === 'string' || typeof value === 'number') fields[field] = normalizeFreeText(String(value)) || null;
      else {
        problem(entry, 'invalid_value', `${FIELD_LABELS[field]}は文字列で指定してください`, JSON.stringify(value));
        usable = false;
        continue;
      }
      if (fields[field] === null && required.includes(field)) {
        problem(entry, 'missing_required', `${FIELD_LABELS[field]}は必須です`);
        usable = false;
      }
    }
    return usable ? fields : null;
  };

  const rawNewDepartments = list('newDepartments');
  const rawNewDivisions = list('newDivisions');
  const rawMoves = list('moves');
  const rawMerges = list('merges');
  const rawCloses = list('closeDepartments');
  if (!rawNewDepartments.length && !rawNewDivisions.length && !rawMoves.length && !rawMerges.length && !rawCloses.length && !problems.length) {
    problem('document', 'empty_reorganization', '改編の内容（newDepartments / newDivisions / moves / merges / closeDepartments）がありません');
  }
  const date = effectiveOn ?? today;

  // ---- lookups over the snapshot and the new entries ----
  const departmentById = new Map(snapshot.departments.map((row) => [row.id, row]));
  const periodsOf = new Map<number, PeriodState[]>();
  for (const period of snapshot.periods) periodsOf.set(period.divisionId, [...(periodsOf.get(period.divisionId) ?? []), period]);
  const sameCode = (a: string, b: string) => normalizeMatchValue(a).toLowerCase() === normalizeMatchValue(b).toLowerCase();
  const sameName = (a: string, b: string) => normalizeMatchValue(a) === normalizeMatchValue(b);

  // new departments
  const newDepartments: { code: string; name: string; entry: string }[] = [];
  rawNewDepartments.forEach((raw, index) => {
    const entry = `newDepartments[${index}]`;
    const fields = entryFields('newDepartments', index, raw, ['code', 'name']);
    if (!fields) return;
    const code = normalizeMatchValue(fields.code!);
    const name = fields.name!;
    const existing = snapshot.departments.find((row) => sameCode(row.code, code));
    if (existing) return problem(entry, 'code_exists', `部局コード「${code}」は既にあります（${existing.name}）`, code);
    const twin = newDepartments.find((row) => sameCode(row.code, code));
    if (twin) return problem(entry, 'duplicate_code', `部局コード「${code}」はこの文書の ${twin.entry} でも新設されています`, code);
    newDepartments.push({ code, name, entry });
  });

  const findDepartment = (value: string): { ref: DepartmentRef; state?: DepartmentState } | null => {
    const byCode = snapshot.departments.find((row) => sameCode(row.code, value));
    if (byCode) return { ref: { kind: 'existing', id: byCode.id, code: byCode.code, name: byCode.name }, state: byCode };
    const fresh = newDepartments.find((row) => sameCode(row.code, value)) ?? newDepartments.find((row) => sameName(row.name, value));
    if (fresh) return { ref: { kind: 'new', code: fresh.code, name: fresh.name } };
    const byName = snapshot.departments.find((row) => !row.validTo && sameName(row.name, value)) ?? snapshot.departments.find((row) => sameName(row.name, value));
    return byName ? { ref: { kind: 'existing', id: byName.id, code: byName.code, name: byName.name }, state: byName } : null;
  };
  /** A department that divisions can belong to on the effective date. */
  const departmentForDivisions = (entry: string, value: string): DepartmentRef | null => {
    const found = findDepartment(value);
    if (!found) {
      problem(entry, 'unknown_department', `部局「${clip(value)}」が見つかりません（部局名またはコード）`, value);
      return null;
    }
    const state = found.state;
    if (state?.validTo) {
      problem(entry, 'department_closed', `部局「${state.name}」は ${wareki(state.validTo)} 限りで廃止されています`, value);
      return null;
    }
    if (state?.validFrom && state.validFrom > date) {
      problem(entry, 'department_not_in_force', `部局「${state.name}」は ${wareki(state.validFrom)} からの部局で、適用日 ${wareki(date)} にはまだありません`, value);
      return null;
    }
    return found.ref;
  };

  // new divisions
  const newDivisions: ReorganizationPlan['newDivisions'] = [];
  const newDivisionEntries: string[] = [];
  rawNewDivisions.forEach((raw, index) => {
    const entry = `newDivisions[${index}]`;
    const fields = entryFields('newDivisions', index, raw, ['code', 'name', 'department']);
    if (!fields) return;
    const code = normalizeMatchValue(fields.code!);
    const existing = snapshot.divisions.find((row) => sameCode(row.code, code));
    if (existing) return problem(entry, 'code_exists', `課コード「${code}」は既にあります（${existing.name}）`, code);
    const twinIndex = newDivisions.findIndex((row) => sameCode(row.code, code));
    if (twinIndex >= 0) return problem(entry, 'duplicate_code', `課コード「${code}」はこの文書の ${newDivisionEntries[twinIndex]} でも新設されています`, code);
    const department = departmentForDivisions(entry, fields.department!);
    if (!department) return;
    newDivisions.push({ code, name: fields.name!, matchName: normalizeMatchValue(fields.name!), department });
    newDivisionEntries.push(entry);
  });

  /** A division in force now (not closed), by code or name; problems name the entry. */
  const currentDivision = (entry: string, value: string, role: string): DivisionState | null => {
    const normalized = normalizeMatchValue(value);
    const found =
      snapshot.divisions.find((row) => sameCode(row.code, normalized)) ??
      snapshot.divisions.find((row) => !row.validTo && normalizeMatchValue(row.name) === normalized) ??
      snapshot.divisions.find((row) => normalizeMatchValue(row.name) === normalized);
    if (!found) {
      problem(entry, 'unknown_division', `${role}「${clip(value)}」が見つかりません（課名またはコード）`, value);
      return null;
    }
    if (found.validTo) {
      problem(entry, 'division_closed', `${role}「${found.name}」は ${wareki(found.validTo)} 限りで廃止（統合）されています`, value);
      return null;
    }
    return found;
  };
  /** The latest date a change to the division is recorded from. */
  const lastChange = (division: DivisionState) => latest([division.validFrom, ...(periodsOf.get(division.id) ?? []).map((row) => row.validFrom)]);
  const openPeriod = (division: DivisionState) => (periodsOf.get(division.id) ?? []).find((row) => row.validTo === null) ?? null;
  const notBeforeLastChange = (entry: string, division: DivisionState): boolean => {
    const last = lastChange(division);
    if (effectiveOn && last && effectiveOn < last) {
      problem(entry, 'before_recorded_change', `所管課「${division.name}」には ${wareki(last)} 付けの変更が記録済みです。適用日 ${wareki(effectiveOn)} はそれより前にできません`, division.code);
      return false;
    }
    return true;
  };
  const claimed = new Map<number, string>();
  const claim = (entry: string, division: DivisionState): boolean => {
    const other = claimed.get(division.id);
    if (other) {
      problem(entry, 'duplicate_division', `所管課「${division.name}」はこの文書の ${other} でも指定されています（1つの課は moves か merges の1か所にだけ書いてください）`, division.code);
      return false;
    }
    claimed.set(division.id, entry);
    return true;
  };

  // moves (and renames)
  const moves: PlannedMove[] = [];
  const moveEntries: string[] = [];
  rawMoves.forEach((raw, index) => {
    const entry = `moves[${index}]`;
    const fields = entryFields('moves', index, raw, ['division']);
    if (!fields) return;
    const division = currentDivision(entry, fields.division!, '所管課');
    if (!division || !claim(entry, division)) return;
    if (!fields.toDepartment && !fields.rename) {
      return problem(entry, 'empty_move', '移管先の部局（toDepartment）か新しい課名（rename）のどちらかを指定してください', division.code);
    }
    const department: DepartmentRef | null = fields.toDepartment
      ? departmentForDivisions(entry, fields.toDepartment)
      : { kind: 'existing', id: division.departmentId, code: departmentById.get(division.departmentId)!.code, name: departmentById.get(division.departmentId)!.name };
    if (!department) return;
    const name = fields.rename ?? division.name;
    const moved = department.kind === 'new' || department.id !== division.departmentId;
    const renamed = name !== division.name;
    if (!moved && !renamed) {
      return problem(entry, 'no_change', `所管課「${division.name}」は既に「${department.name}」の「${division.name}」です（変更がありません）`, division.code);
    }
    if (!notBeforeLastChange(entry, division)) return;
    const open = openPeriod(division);
    moves.push({
      divisionId: division.id,
      code: division.code,
      department,
      name,
      matchName: normalizeMatchValue(name),
      moved,
      renamed,
      period: open && effectiveOn && open.validFrom === effectiveOn ? { action: 'correct', id: open.id } : { action: 'split', closeId: open?.id ?? null },
    });
    moveEntries.push(entry);
  });

  // merges
  const merges: PlannedMerge[] = [];
  const pendingInto: { entry: string; value: string; merge: PlannedMerge }[] = [];
  rawMerges.forEach((raw, index) => {
    const entry = `merges[${index}]`;
    const fields = entryFields('merges', index, raw, ['division', 'into']);
    if (!fields) return;
    const division = currentDivision(entry, fields.division!, '統合される課');
    if (!division || !claim(entry, division)) return;
    if (!notBeforeLastChange(entry, division)) return;
    if (effectiveOn && division.validFrom === effectiveOn) {
      return problem(entry, 'before_recorded_change', `所管課「${division.name}」は ${wareki(effectiveOn)} に新設された課です。統合の適用日はそれより後にしてください`, division.code);
    }
    const open = openPeriod(division);
    const dropsOpen = Boolean(open && effectiveOn && open.validFrom === effectiveOn);
    const merge: PlannedMerge = {
      divisionId: division.id,
      code: division.code,
      into: { kind: 'new', code: '', name: '' },
      closePeriodId: open && !dropsOpen ? open.id : null,
      dropPeriodId: open && dropsOpen ? open.id : null,
      items: snapshot.itemCounts.get(division.id) ?? 0,
    };
    pendingInto.push({ entry, value: fields.into!, merge });
  });
  // `into` is resolved once every merged division is known, so a chain (A into B, B into C) is caught.
  for (const { entry, value, merge } of pendingInto) {
    const normalized = normalizeMatchValue(value);
    const fresh = newDivisions.find((row) => sameCode(row.code, normalized) || row.matchName === normalized);
    let into: DivisionRef | null = null;
    if (fresh && !snapshot.divisions.some((row) => sameCode(row.code, normalized))) {
      into = { kind: 'new', code: fresh.code, name: fresh.name };
    } else {
      const target = currentDivision(entry, value, '統合先の課');
      if (!target) continue;
      if (target.id === merge.divisionId) {
        problem(entry, 'merge_into_itself', `所管課「${target.name}」を自分自身に統合することはできません`, value);
        continue;
      }
      const mergedElsewhere = [...claimed.entries()].find(([id, other]) => id === target.id && other.startsWith('merges['));
      if (mergedElsewhere) {
        problem(entry, 'merge_into_merged', `統合先「${target.name}」はこの文書の ${mergedElsewhere[1]} で別の課に統合されます（統合先は存続する課にしてください）`, value);
        continue;
      }
      if (effectiveOn && target.validFrom && target.validFrom > effectiveOn) {
        problem(entry, 'division_not_in_force', `統合先「${target.name}」は ${wareki(target.validFrom)} からの課で、適用日 ${wareki(effectiveOn)} にはまだありません`, value);
        continue;
      }
      into = { kind: 'existing', id: target.id, code: target.code, name: target.name };
    }
    merges.push({ ...merge, into });
  }

  // closed departments
  const closeDepartments: ReorganizationPlan['closeDepartments'] = [];
  const closeEntries: string[] = [];
  rawCloses.forEach((raw, index) => {
    const entry = `closeDepartments[${index}]`;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      return problem(entry, 'invalid_value', '廃止する部局は部局名またはコードの文字列で指定してください', JSON.stringify(raw));
    }
    const value = normalizeFreeText(String(raw));
    const found = value ? findDepartment(value) : null;
    if (!found) return problem(entry, 'unknown_department', `部局「${clip(value)}」が見つかりません（部局名またはコード）`, value);
    if (found.ref.kind === 'new') return problem(entry, 'invalid_close', `部局「${found.ref.name}」はこの文書で新設する部局のため廃止できません`, value);
    const state = found.state!;
    if (state.validTo) return problem(entry, 'department_closed', `部局「${state.name}」は ${wareki(state.validTo)} 限りで既に廃止されています`, value);
    const twin = closeDepartments.findIndex((row) => row.id === state.id);
    if (twin >= 0) return problem(entry, 'duplicate_department', `部局「${state.name}」はこの文書の ${closeEntries[twin]} でも廃止されています`, value);
    if (effectiveOn && state.validFrom && state.validFrom >= effectiveOn) {
      return problem(entry, 'before_recorded_change', `部局「${state.name}」は ${wareki(state.validFrom)} に新設された部局です。廃止の適用日はそれより後にしてください`, value);
    }
    closeDepartments.push({ id: state.id, code: state.code, name: state.name });
    closeEntries.push(entry);
  });

  // ---- the organization after the document: names unique, closed departments empty ----
  const departmentKey = (ref: DepartmentRef) => (ref.kind === 'existing' ? `e:${ref.id}` : `n:${ref.code}`);
  interface After {
    code: string;
    name: string;
    matchName: string;
    department: string;
    entry?: string;
  }
  const after = new Map<string, After>();
  for (const division of snapshot.divisions) {
    if (division.validTo) continue;
    after.set(`e:${division.id}`, { code: division.code, name: division.name, matchName: normalizeMatchValue(division.name), department: `e:${division.departmentId}` });
  }
  moves.forEach((move, index) =>
    after.set(`e:${move.divisionId}`, { code: move.code, name: move.name, matchName: move.matchName, department: departmentKey(move.department), entry: moveEntries[index] }),
  );
  for (const merge of merges) after.delete(`e:${merge.divisionId}`);
  newDivisions.forEach((division, index) =>
    after.set(`n:${division.code}`, { code: division.code, name: division.name, matchName: division.matchName, department: departmentKey(division.department), entry: newDivisionEntries[index] }),
  );
  const byName = new Map<string, After[]>();
  for (const division of after.values()) byName.set(division.matchName, [...(byName.get(division.matchName) ?? []), division]);
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const division of group) {
      if (!division.entry) continue;
      const others = group.filter((other) => other !== division).map((other) => `${other.code}`);
      problem(division.entry, 'name_taken', `課名「${division.name}」は改編後、別の課（${others.join('、')}）と重なります。課名は重ならないようにしてください`, division.name);
    }
  }

  const closedKeys = new Set(closeDepartments.map((row) => `e:${row.id}`));
  const touchedPeriods = new Set<number>([
    ...moves.flatMap((move) => (move.period.action === 'correct' ? [move.period.id] : move.period.closeId ? [move.period.closeId] : [])),
    ...merges.flatMap((merge) => [merge.closePeriodId, merge.dropPeriodId].filter((id): id is number => id !== null)),
  ]);
  closeDepartments.forEach((department, index) => {
    const key = `e:${department.id}`;
    const remaining = [...after.values()].filter((division) => division.department === key).map((division) => division.name);
    if (remaining.length) {
      problem(
        closeEntries[index],
        'department_not_empty',
        `部局「${department.name}」を廃止すると、所属する課（${remaining.join('、')}）の行き先がありません。moves か merges で移してください`,
        department.code,
      );
      return;
    }
    // A division that left the department after the effective date was still in it then.
    const later = snapshot.periods.filter((row) => row.departmentId === department.id && !touchedPeriods.has(row.id) && row.validTo !== null && effectiveOn !== null && row.validTo >= effectiveOn);
    if (later.length) {
      const names = later.map((row) => `${row.name}（${row.validTo}まで）`);
      problem(closeEntries[index], 'department_not_empty', `部局「${department.name}」には適用日より後まで所属していた課があります: ${names.join('、')}`, department.code);
    }
  });

  // department names: unique among the departments in force after the document
  const openDepartments = snapshot.departments.filter((row) => !row.validTo && !closedKeys.has(`e:${row.id}`));
  newDepartments.forEach((department, index) => {
    const clash = openDepartments.find((row) => sameName(row.name, department.name));
    const twin = newDepartments.slice(0, index).find((other) => sameName(other.name, department.name));
    if (clash) problem(department.entry, 'name_taken', `部局名「${department.name}」は既にあります（${clash.code}）`, department.name);
    else if (twin) problem(department.entry, 'name_taken', `部局名「${department.name}」はこの文書の ${twin.entry} でも使われています`, department.name);
  });

  if (problems.length || !effectiveOn) return { problems };
  return {
    plan: {
      effectiveOn,
      lastDayBefore: addDays(effectiveOn, -1),
      note,
      newDepartments: newDepartments.map(({ code, name }) => ({ code, name })),
      newDivisions,
      moves,
      merges,
      closeDepartments,
      summary: {
        newDepartments: newDepartments.length,
        newDivisions: newDivisions.length,
        moved: moves.filter((move) => move.moved).length,
        renamed: moves.filter((move) => move.renamed).length,
        merged: merges.length,
        closedDepartments: closeDepartments.length,
        itemsMoved: merges.reduce((sum, merge) => sum + merge.items, 0),
      },
    },
  };
}
