import { addDays } from '../calendar';
import { checkOrganizationAfter } from './reorganization-checks';
import { Problems, readDocument } from './reorganization-document';
import { EntryPlanner } from './reorganization-entries';
import { OrganizationSnapshot, ReorganizationPlan, ReorganizationProblem } from './reorganization.types';

// A reorganization document (CONTRACT.md "Reorganization") → a validated plan of row changes.
// Pure: it reads a snapshot of the organization and writes nothing, so the whole document is
// checked before anything is applied, and every problem names the entry it comes from.
// The steps, in the order their problems are listed: the document's own values
// (reorganization-document.ts), its entries list by list (reorganization-entries.ts), the
// organization after it as a whole (reorganization-checks.ts).

export * from './reorganization.types';

export function planReorganization(document: unknown, snapshot: OrganizationSnapshot, today: string): { plan: ReorganizationPlan } | { problems: ReorganizationProblem[] } {
  const problems = new Problems();
  const read = readDocument(document, today, problems);
  if (!read) return { problems: problems.list };
  const { effectiveOn, note, lists } = read;

  const entries = new EntryPlanner(snapshot, effectiveOn, effectiveOn ?? today, problems);
  entries.planNewDepartments(lists.newDepartments);
  entries.planNewDivisions(lists.newDivisions);
  entries.planMoves(lists.moves);
  entries.planMerges(lists.merges);
  entries.planCloses(lists.closeDepartments);
  checkOrganizationAfter(snapshot, entries, effectiveOn, problems);

  if (problems.count || !effectiveOn) return { problems: problems.list };
  const { newDepartments, newDivisions, moves, merges, closeDepartments } = entries;
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
