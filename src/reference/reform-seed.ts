// seeds/reform-initiatives.csv → the `reform` program's items and their plan milestones. Pure:
// the loader resolves divisions and writes through the items repository.

export interface ReformSeedRow {
  code: string;
  name: string;
  divisionCode: string;
  dueOn: string | null;
  /** The owner is our reading of the subject, not a name the policy gives (the city confirms it in the seed file). */
  ownerInferred: boolean;
  fields: Record<string, string | null>;
  /** The policy's dated steps, as milestones of the initiative's monthly plan. */
  milestones: { month: string; milestone: string }[];
}

/** '2025-12: 提案; 2026-02: 告知; 2026年度: 試行' → the steps with a month (a fiscal year stays in the text only). */
export function parseMilestones(text: string): { month: string; milestone: string }[] {
  const steps: { month: string; milestone: string }[] = [];
  for (const part of text.split(';')) {
    const match = /^\s*(\d{4}-\d{2})\s*:\s*(.+?)\s*$/.exec(part);
    if (match) steps.push({ month: match[1], milestone: match[2].slice(0, 200) });
  }
  return steps;
}

export function reformSeedRows(rows: Record<string, string>[]): ReformSeedRow[] {
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    divisionCode: row.division_code,
    dueOn: row.due_on || null,
    // kept out of 備考 on purpose: a note there would already count as the reason 中止 needs
    ownerInferred: row.owners_confidence === 'inferred',
    fields: {
      area: row.area,
      policyNo: row.policy_no || null,
      shortName: row.short_name || null,
      coOwners: row.co_owners || null,
      dueLabel: row.due_label || null,
      milestones: row.milestones || null,
      linkedTargets: row.linked_targets || null,
    },
    milestones: parseMilestones(row.milestones ?? ''),
  }));
}
