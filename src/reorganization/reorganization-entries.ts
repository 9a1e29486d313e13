import { clip } from '../common/domain-error';
import { normalizeFreeText, normalizeMatchValue } from '../sheets/normalize';
import { entryFields, Problems, wareki } from './reorganization-document';
import {
  DepartmentRef,
  DepartmentState,
  DivisionRef,
  DivisionState,
  OrganizationSnapshot,
  PeriodState,
  PlannedMerge,
  PlannedMove,
  ReorganizationPlan,
} from './reorganization.types';

// The entries of a reorganization document, list by list, checked against the organization as
// stored and against the entries before them (a new department is usable by a later move, a
// division is named in one move or merge only).

const sameCode = (a: string, b: string) => normalizeMatchValue(a).toLowerCase() === normalizeMatchValue(b).toLowerCase();
export const sameName = (a: string, b: string) => normalizeMatchValue(a) === normalizeMatchValue(b);
const latest = (dates: (string | null)[]) => dates.reduce<string | null>((max, date) => (date && (!max || date > max) ? date : max), null);

export class EntryPlanner {
  readonly newDepartments: { code: string; name: string; entry: string }[] = [];
  readonly newDivisions: ReorganizationPlan['newDivisions'] = [];
  readonly newDivisionEntries: string[] = [];
  readonly moves: PlannedMove[] = [];
  readonly moveEntries: string[] = [];
  readonly merges: PlannedMerge[] = [];
  readonly closeDepartments: ReorganizationPlan['closeDepartments'] = [];
  readonly closeEntries: string[] = [];
  private readonly departmentById: Map<number, DepartmentState>;
  private readonly periodsOf = new Map<number, PeriodState[]>();
  /** Division id → the entry (moves[i] / merges[i]) that names it. */
  private readonly claimed = new Map<number, string>();

  /**
   * @param effectiveOn the document's date as read (null when it reads as none)
   * @param date the date departments are checked on: effectiveOn, else today
   */
  constructor(
    private readonly snapshot: OrganizationSnapshot,
    private readonly effectiveOn: string | null,
    private readonly date: string,
    private readonly problems: Problems,
  ) {
    this.departmentById = new Map(snapshot.departments.map((row) => [row.id, row]));
    for (const period of snapshot.periods) this.periodsOf.set(period.divisionId, [...(this.periodsOf.get(period.divisionId) ?? []), period]);
  }

  planNewDepartments(rawEntries: unknown[]): void {
    rawEntries.forEach((raw, index) => {
      const entry = `newDepartments[${index}]`;
      const fields = entryFields('newDepartments', index, raw, ['code', 'name'], this.problems);
      if (!fields) return;
      const code = normalizeMatchValue(fields.code!);
      const name = fields.name!;
      const existing = this.snapshot.departments.find((row) => sameCode(row.code, code));
      if (existing) return this.problems.add(entry, 'code_exists', `部局コード「${code}」は既にあります（${existing.name}）`, code);
      const twin = this.newDepartments.find((row) => sameCode(row.code, code));
      if (twin) return this.problems.add(entry, 'duplicate_code', `部局コード「${code}」はこの文書の ${twin.entry} でも新設されています`, code);
      this.newDepartments.push({ code, name, entry });
    });
  }

  planNewDivisions(rawEntries: unknown[]): void {
    rawEntries.forEach((raw, index) => {
      const entry = `newDivisions[${index}]`;
      const fields = entryFields('newDivisions', index, raw, ['code', 'name', 'department'], this.problems);
      if (!fields) return;
      const code = normalizeMatchValue(fields.code!);
      const existing = this.snapshot.divisions.find((row) => sameCode(row.code, code));
      if (existing) return this.problems.add(entry, 'code_exists', `課コード「${code}」は既にあります（${existing.name}）`, code);
      const twinIndex = this.newDivisions.findIndex((row) => sameCode(row.code, code));
      if (twinIndex >= 0) return this.problems.add(entry, 'duplicate_code', `課コード「${code}」はこの文書の ${this.newDivisionEntries[twinIndex]} でも新設されています`, code);
      const department = this.departmentForDivisions(entry, fields.department!);
      if (!department) return;
      this.newDivisions.push({ code, name: fields.name!, matchName: normalizeMatchValue(fields.name!), department });
      this.newDivisionEntries.push(entry);
    });
  }

  /** Moves and renames. */
  planMoves(rawEntries: unknown[]): void {
    const { effectiveOn } = this;
    rawEntries.forEach((raw, index) => {
      const entry = `moves[${index}]`;
      const fields = entryFields('moves', index, raw, ['division'], this.problems);
      if (!fields) return;
      const division = this.currentDivision(entry, fields.division!, '所管課');
      if (!division || !this.claim(entry, division)) return;
      if (!fields.toDepartment && !fields.rename) {
        return this.problems.add(entry, 'empty_move', '移管先の部局（toDepartment）か新しい課名（rename）のどちらかを指定してください', division.code);
      }
      const current = this.departmentById.get(division.departmentId)!;
      const department: DepartmentRef | null = fields.toDepartment
        ? this.departmentForDivisions(entry, fields.toDepartment)
        : { kind: 'existing', id: division.departmentId, code: current.code, name: current.name };
      if (!department) return;
      const name = fields.rename ?? division.name;
      const moved = department.kind === 'new' || department.id !== division.departmentId;
      const renamed = name !== division.name;
      if (!moved && !renamed) {
        return this.problems.add(entry, 'no_change', `所管課「${division.name}」は既に「${department.name}」の「${division.name}」です（変更がありません）`, division.code);
      }
      if (!this.notBeforeLastChange(entry, division)) return;
      const open = this.openPeriod(division);
      this.moves.push({
        divisionId: division.id,
        code: division.code,
        department,
        name,
        matchName: normalizeMatchValue(name),
        moved,
        renamed,
        period: open && effectiveOn && open.validFrom === effectiveOn ? { action: 'correct', id: open.id } : { action: 'split', closeId: open?.id ?? null },
      });
      this.moveEntries.push(entry);
    });
  }

  planMerges(rawEntries: unknown[]): void {
    const { effectiveOn } = this;
    const pendingInto: { entry: string; value: string; merge: PlannedMerge }[] = [];
    rawEntries.forEach((raw, index) => {
      const entry = `merges[${index}]`;
      const fields = entryFields('merges', index, raw, ['division', 'into'], this.problems);
      if (!fields) return;
      const division = this.currentDivision(entry, fields.division!, '統合される課');
      if (!division || !this.claim(entry, division)) return;
      if (!this.notBeforeLastChange(entry, division)) return;
      if (effectiveOn && division.validFrom === effectiveOn) {
        return this.problems.add(entry, 'before_recorded_change', `所管課「${division.name}」は ${wareki(effectiveOn)} に新設された課です。統合の適用日はそれより後にしてください`, division.code);
      }
      const open = this.openPeriod(division);
      const dropsOpen = Boolean(open && effectiveOn && open.validFrom === effectiveOn);
      const merge: PlannedMerge = {
        divisionId: division.id,
        code: division.code,
        into: { kind: 'new', code: '', name: '' },
        closePeriodId: open && !dropsOpen ? open.id : null,
        dropPeriodId: open && dropsOpen ? open.id : null,
        items: this.snapshot.itemCounts.get(division.id) ?? 0,
      };
      pendingInto.push({ entry, value: fields.into!, merge });
    });
    // `into` is resolved once every merged division is known, so a chain (A into B, B into C) is caught.
    for (const { entry, value, merge } of pendingInto) {
      const into = this.mergeTarget(entry, value, merge);
      if (into) this.merges.push({ ...merge, into });
    }
  }

  planCloses(rawEntries: unknown[]): void {
    const { effectiveOn } = this;
    rawEntries.forEach((raw, index) => {
      const entry = `closeDepartments[${index}]`;
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        return this.problems.add(entry, 'invalid_value', '廃止する部局は部局名またはコードの文字列で指定してください', JSON.stringify(raw));
      }
      const value = normalizeFreeText(String(raw));
      const found = value ? this.findDepartment(value) : null;
      if (!found) return this.problems.add(entry, 'unknown_department', `部局「${clip(value)}」が見つかりません（部局名またはコード）`, value);
      if (found.ref.kind === 'new') return this.problems.add(entry, 'invalid_close', `部局「${found.ref.name}」はこの文書で新設する部局のため廃止できません`, value);
      const state = found.state!;
      if (state.validTo) return this.problems.add(entry, 'department_closed', `部局「${state.name}」は ${wareki(state.validTo)} 限りで既に廃止されています`, value);
      const twin = this.closeDepartments.findIndex((row) => row.id === state.id);
      if (twin >= 0) return this.problems.add(entry, 'duplicate_department', `部局「${state.name}」はこの文書の ${this.closeEntries[twin]} でも廃止されています`, value);
      if (effectiveOn && state.validFrom && state.validFrom >= effectiveOn) {
        return this.problems.add(entry, 'before_recorded_change', `部局「${state.name}」は ${wareki(state.validFrom)} に新設された部局です。廃止の適用日はそれより後にしてください`, value);
      }
      this.closeDepartments.push({ id: state.id, code: state.code, name: state.name });
      this.closeEntries.push(entry);
    });
  }

  /** The division a merge ends in: one this document creates, or one in force that survives it. */
  private mergeTarget(entry: string, value: string, merge: PlannedMerge): DivisionRef | null {
    const { effectiveOn } = this;
    const normalized = normalizeMatchValue(value);
    const fresh = this.newDivisions.find((row) => sameCode(row.code, normalized) || row.matchName === normalized);
    if (fresh && !this.snapshot.divisions.some((row) => sameCode(row.code, normalized))) {
      return { kind: 'new', code: fresh.code, name: fresh.name };
    }
    const target = this.currentDivision(entry, value, '統合先の課');
    if (!target) return null;
    if (target.id === merge.divisionId) {
      this.problems.add(entry, 'merge_into_itself', `所管課「${target.name}」を自分自身に統合することはできません`, value);
      return null;
    }
    const mergedElsewhere = [...this.claimed.entries()].find(([id, other]) => id === target.id && other.startsWith('merges['));
    if (mergedElsewhere) {
      this.problems.add(entry, 'merge_into_merged', `統合先「${target.name}」はこの文書の ${mergedElsewhere[1]} で別の課に統合されます（統合先は存続する課にしてください）`, value);
      return null;
    }
    if (effectiveOn && target.validFrom && target.validFrom > effectiveOn) {
      this.problems.add(entry, 'division_not_in_force', `統合先「${target.name}」は ${wareki(target.validFrom)} からの課で、適用日 ${wareki(effectiveOn)} にはまだありません`, value);
      return null;
    }
    return { kind: 'existing', id: target.id, code: target.code, name: target.name };
  }

  /** A department by code, then a new one by code or name, then one by name (in force first). */
  private findDepartment(value: string): { ref: DepartmentRef; state?: DepartmentState } | null {
    const { snapshot } = this;
    const byCode = snapshot.departments.find((row) => sameCode(row.code, value));
    if (byCode) return { ref: { kind: 'existing', id: byCode.id, code: byCode.code, name: byCode.name }, state: byCode };
    const fresh = this.newDepartments.find((row) => sameCode(row.code, value)) ?? this.newDepartments.find((row) => sameName(row.name, value));
    if (fresh) return { ref: { kind: 'new', code: fresh.code, name: fresh.name } };
    const byName = snapshot.departments.find((row) => !row.validTo && sameName(row.name, value)) ?? snapshot.departments.find((row) => sameName(row.name, value));
    return byName ? { ref: { kind: 'existing', id: byName.id, code: byName.code, name: byName.name }, state: byName } : null;
  }

  /** A department that divisions can belong to on the effective date. */
  private departmentForDivisions(entry: string, value: string): DepartmentRef | null {
    const found = this.findDepartment(value);
    if (!found) {
      this.problems.add(entry, 'unknown_department', `部局「${clip(value)}」が見つかりません（部局名またはコード）`, value);
      return null;
    }
    const state = found.state;
    if (state?.validTo) {
      this.problems.add(entry, 'department_closed', `部局「${state.name}」は ${wareki(state.validTo)} 限りで廃止されています`, value);
      return null;
    }
    if (state?.validFrom && state.validFrom > this.date) {
      this.problems.add(entry, 'department_not_in_force', `部局「${state.name}」は ${wareki(state.validFrom)} からの部局で、適用日 ${wareki(this.date)} にはまだありません`, value);
      return null;
    }
    return found.ref;
  }

  /** A division in force now (not closed), by code or name; problems name the entry. */
  private currentDivision(entry: string, value: string, role: string): DivisionState | null {
    const { snapshot } = this;
    const normalized = normalizeMatchValue(value);
    const found =
      snapshot.divisions.find((row) => sameCode(row.code, normalized)) ??
      snapshot.divisions.find((row) => !row.validTo && normalizeMatchValue(row.name) === normalized) ??
      snapshot.divisions.find((row) => normalizeMatchValue(row.name) === normalized);
    if (!found) {
      this.problems.add(entry, 'unknown_division', `${role}「${clip(value)}」が見つかりません（課名またはコード）`, value);
      return null;
    }
    if (found.validTo) {
      this.problems.add(entry, 'division_closed', `${role}「${found.name}」は ${wareki(found.validTo)} 限りで廃止（統合）されています`, value);
      return null;
    }
    return found;
  }

  private openPeriod(division: DivisionState): PeriodState | null {
    return (this.periodsOf.get(division.id) ?? []).find((row) => row.validTo === null) ?? null;
  }

  /** False (with a problem) when the division has a change recorded after the effective date. */
  private notBeforeLastChange(entry: string, division: DivisionState): boolean {
    const last = latest([division.validFrom, ...(this.periodsOf.get(division.id) ?? []).map((row) => row.validFrom)]);
    if (this.effectiveOn && last && this.effectiveOn < last) {
      this.problems.add(
        entry,
        'before_recorded_change',
        `所管課「${division.name}」には ${wareki(last)} 付けの変更が記録済みです。適用日 ${wareki(this.effectiveOn)} はそれより前にできません`,
        division.code,
      );
      return false;
    }
    return true;
  }

  /** One division, one entry: false (with a problem) when another move or merge names it. */
  private claim(entry: string, division: DivisionState): boolean {
    const other = this.claimed.get(division.id);
    if (other) {
      this.problems.add(entry, 'duplicate_division', `所管課「${division.name}」はこの文書の ${other} でも指定されています（1つの課は moves か merges の1か所にだけ書いてください）`, division.code);
      return false;
    }
    this.claimed.set(division.id, entry);
    return true;
  }
}
