import { ReorganizationPlan } from './reorganization-plan';

// What a reorganization will do, one line per change, for the dry run a person reads before
// applying it (the page lists these; the summary only counts them).

export function describeReorganization(plan: ReorganizationPlan): string[] {
  const lines: string[] = [];
  for (const department of plan.newDepartments) lines.push(`部局を新設: ${department.name}（${department.code}）`);
  for (const division of plan.newDivisions) lines.push(`課を新設: ${division.name}（${division.code}）→ ${division.department.name}`);
  for (const move of plan.moves) {
    if (move.moved && move.renamed) lines.push(`課を移管・改称: ${move.code} → ${move.department.name}の「${move.name}」`);
    else if (move.moved) lines.push(`課を移管: ${move.name}（${move.code}）→ ${move.department.name}`);
    else if (move.renamed) lines.push(`課を改称: ${move.code} →「${move.name}」`);
  }
  for (const merge of plan.merges) lines.push(`課を統合: ${merge.code} → ${merge.into.name}（その課の項目${merge.items}件も移る）`);
  for (const department of plan.closeDepartments) lines.push(`部局を廃止: ${department.name}（${department.code}）`);
  return lines;
}
