import { roundOne, roundedPercent } from '../progress/progress-math';

// Progress of the reform policy (市役所改革取組方針): an initiative's percent, an area's, the whole
// policy's. Plain arithmetic on plain rows, pinned by reform-progress.spec.ts; the service only
// gathers the rows.

export type InitiativeSource = 'done' | 'targets' | 'report' | 'none' | 'excluded';

export interface AreaDefinition {
  key: string;
  label: string;
}

export interface ReformRules {
  areas: readonly AreaDefinition[];
  doneStates: readonly string[];
  excludedStates: readonly string[];
}

/** One initiative as stored, with its state as of the date and its latest report up to it. */
export interface InitiativeInput {
  id: number;
  code: string;
  policyNo: string | null;
  name: string;
  shortName: string | null;
  area: string | null;
  status: string;
  statusLabel: string;
  division: string;
  dueOn: string | null;
  dueLabel: string | null;
  /** Target ids whose combined progress is this initiative's (§3(4)). */
  linkedTargets: readonly string[];
  latestReport: { month: string; progress: number; comment: string | null } | null;
  /** The initiative's own monthly plan: cumulative planned percent by the as-of month. */
  planned: number | null;
}

/** A target's counts as of the date (the progress report's numbers). */
export interface TargetCounts {
  total: number;
  done: number;
  excluded: number;
}

export interface InitiativeProgress {
  id: number;
  code: string;
  policyNo: string | null;
  name: string;
  shortName: string | null;
  status: string;
  statusLabel: string;
  division: string;
  dueOn: string | null;
  dueLabel: string | null;
  /** 0–100, one decimal; null when excluded (中止). */
  progress: number | null;
  source: InitiativeSource;
  planned: number | null;
  latestComment: string | null;
  /** The month of the report the progress or comment comes from. */
  reportMonth: string | null;
  overdue: boolean;
}

export interface AreaProgress {
  key: string;
  label: string;
  /** Mean of the initiatives' progress, excluded ones left out; null when none counts. */
  progress: number | null;
  initiatives: InitiativeProgress[];
}

export interface ReformProgress {
  asOf: string;
  overall: { progress: number | null };
  areas: AreaProgress[];
}

/**
 * An initiative's progress: 100 when done; for one linked to targets, 100 × Σdone ÷ Σ(total −
 * excluded) over them (100 when every item is excluded); otherwise the latest monthly report on
 * or before the as-of month; 0 when there is none. Linked targets that hold no items yet do not
 * count as linked (an empty inventory says nothing), so the report decides.
 */
export function initiativeProgress(
  initiative: InitiativeInput,
  rules: ReformRules,
  targets: ReadonlyMap<string, TargetCounts>,
): { progress: number | null; source: InitiativeSource } {
  if (rules.excludedStates.includes(initiative.status)) return { progress: null, source: 'excluded' };
  if (rules.doneStates.includes(initiative.status)) return { progress: 100, source: 'done' };
  const linked = initiative.linkedTargets.map((id) => targets.get(id)).filter((counts): counts is TargetCounts => counts !== undefined);
  const total = linked.reduce((sum, counts) => sum + counts.total, 0);
  if (total > 0) {
    const done = linked.reduce((sum, counts) => sum + counts.done, 0);
    const denominator = total - linked.reduce((sum, counts) => sum + counts.excluded, 0);
    return { progress: denominator === 0 ? 100 : roundedPercent(done, denominator), source: 'targets' };
  }
  if (initiative.latestReport) return { progress: initiative.latestReport.progress, source: 'report' };
  return { progress: 0, source: 'none' };
}

function mean(values: number[]): number | null {
  if (!values.length) return null;
  return roundOne(values.reduce((sum, value) => sum + value, 0) / values.length);
}

/** The policy as of `asOf`: every area of the rules in their order (an area without initiatives has progress null). */
export function reformProgress(asOf: string, rules: ReformRules, initiatives: readonly InitiativeInput[], targets: ReadonlyMap<string, TargetCounts>): ReformProgress {
  const byArea = new Map<string, InitiativeProgress[]>(rules.areas.map((area) => [area.key, []]));
  const sorted = [...initiatives].sort((a, b) => a.code.localeCompare(b.code));
  for (const initiative of sorted) {
    const { progress, source } = initiativeProgress(initiative, rules, targets);
    const closed = rules.doneStates.includes(initiative.status) || rules.excludedStates.includes(initiative.status);
    const list = byArea.get(initiative.area ?? '');
    // an initiative outside the five areas is not part of the policy's arithmetic
    if (!list) continue;
    list.push({
      id: initiative.id,
      code: initiative.code,
      policyNo: initiative.policyNo,
      name: initiative.name,
      shortName: initiative.shortName,
      status: initiative.status,
      statusLabel: initiative.statusLabel,
      division: initiative.division,
      dueOn: initiative.dueOn,
      dueLabel: initiative.dueLabel,
      progress,
      source,
      planned: initiative.planned,
      latestComment: initiative.latestReport?.comment ?? null,
      reportMonth: initiative.latestReport?.month ?? null,
      // finished by its own measure (its targets or its report at 100 %) is not late, whatever its state says
      overdue: !closed && progress !== 100 && initiative.dueOn !== null && initiative.dueOn < asOf,
    });
  }
  const areas = rules.areas.map((area) => {
    const list = byArea.get(area.key) ?? [];
    const counted = list.filter((entry) => entry.progress !== null).map((entry) => entry.progress as number);
    return { key: area.key, label: area.label, progress: mean(counted), initiatives: list };
  });
  const areaValues = areas.filter((area) => area.progress !== null).map((area) => area.progress as number);
  return { asOf, overall: { progress: mean(areaValues) }, areas };
}
