import { normalizeMatchValue } from '../sheets/normalize';
import { Problems } from './reorganization-document';
import { EntryPlanner, sameName } from './reorganization-entries';
import { DepartmentRef, OrganizationSnapshot } from './reorganization.types';

// The organization after the whole document, checked as a whole: division names stay unique,
// a closed department is left empty, department names stay unique.

/** A division in force after the document; `entry` when the document touches it. */
interface DivisionAfter {
  code: string;
  name: string;
  matchName: string;
  /** 'e:<id>' for an existing department, 'n:<code>' for a new one. */
  department: string;
  entry?: string;
}

const departmentKey = (ref: DepartmentRef) => (ref.kind === 'existing' ? `e:${ref.id}` : `n:${ref.code}`);

export function checkOrganizationAfter(snapshot: OrganizationSnapshot, entries: EntryPlanner, effectiveOn: string | null, problems: Problems): void {
  const after = divisionsAfter(snapshot, entries);
  checkDivisionNames(after, problems);
  checkClosedDepartmentsEmpty(snapshot, entries, after, effectiveOn, problems);
  checkDepartmentNames(snapshot, entries, problems);
}

function divisionsAfter(snapshot: OrganizationSnapshot, entries: EntryPlanner): Map<string, DivisionAfter> {
  const after = new Map<string, DivisionAfter>();
  for (const division of snapshot.divisions) {
    if (division.validTo) continue;
    after.set(`e:${division.id}`, { code: division.code, name: division.name, matchName: normalizeMatchValue(division.name), department: `e:${division.departmentId}` });
  }
  entries.moves.forEach((move, index) =>
    after.set(`e:${move.divisionId}`, { code: move.code, name: move.name, matchName: move.matchName, department: departmentKey(move.department), entry: entries.moveEntries[index] }),
  );
  for (const merge of entries.merges) after.delete(`e:${merge.divisionId}`);
  entries.newDivisions.forEach((division, index) =>
    after.set(`n:${division.code}`, {
      code: division.code,
      name: division.name,
      matchName: division.matchName,
      department: departmentKey(division.department),
      entry: entries.newDivisionEntries[index],
    }),
  );
  return after;
}

function checkDivisionNames(after: Map<string, DivisionAfter>, problems: Problems): void {
  const byName = new Map<string, DivisionAfter[]>();
  for (const division of after.values()) byName.set(division.matchName, [...(byName.get(division.matchName) ?? []), division]);
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const division of group) {
      if (!division.entry) continue;
      const others = group.filter((other) => other !== division).map((other) => `${other.code}`);
      problems.add(division.entry, 'name_taken', `課名「${division.name}」は改編後、別の課（${others.join('、')}）と重なります。課名は重ならないようにしてください`, division.name);
    }
  }
}

function checkClosedDepartmentsEmpty(snapshot: OrganizationSnapshot, entries: EntryPlanner, after: Map<string, DivisionAfter>, effectiveOn: string | null, problems: Problems): void {
  const touchedPeriods = new Set<number>([
    ...entries.moves.flatMap((move) => (move.period.action === 'correct' ? [move.period.id] : move.period.closeId ? [move.period.closeId] : [])),
    ...entries.merges.flatMap((merge) => [merge.closePeriodId, merge.dropPeriodId].filter((id): id is number => id !== null)),
  ]);
  entries.closeDepartments.forEach((department, index) => {
    const key = `e:${department.id}`;
    const remaining = [...after.values()].filter((division) => division.department === key).map((division) => division.name);
    if (remaining.length) {
      problems.add(
        entries.closeEntries[index],
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
      problems.add(entries.closeEntries[index], 'department_not_empty', `部局「${department.name}」には適用日より後まで所属していた課があります: ${names.join('、')}`, department.code);
    }
  });
}

/** Department names: unique among the departments in force after the document. */
function checkDepartmentNames(snapshot: OrganizationSnapshot, entries: EntryPlanner, problems: Problems): void {
  const closedKeys = new Set(entries.closeDepartments.map((row) => `e:${row.id}`));
  const openDepartments = snapshot.departments.filter((row) => !row.validTo && !closedKeys.has(`e:${row.id}`));
  entries.newDepartments.forEach((department, index) => {
    const clash = openDepartments.find((row) => sameName(row.name, department.name));
    const twin = entries.newDepartments.slice(0, index).find((other) => sameName(other.name, department.name));
    if (clash) problems.add(department.entry, 'name_taken', `部局名「${department.name}」は既にあります（${clash.code}）`, department.name);
    else if (twin) problems.add(department.entry, 'name_taken', `部局名「${department.name}」はこの文書の ${twin.entry} でも使われています`, department.name);
  });
}
