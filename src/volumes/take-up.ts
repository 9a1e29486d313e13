import { addMonthsToMonth, monthOf } from '../calendar';
import { DomainError } from '../common/domain-error';
import { normalizeMonth } from '../plans/month-value';
import { roundedPercent } from '../progress/progress-math';
import { nationalGroups } from '../programs/program-definitions';

// Digital take-up (オンライン利用率): of the cases a procedure received, the share that came in
// online. Pure, pinned by take-up.spec.ts.

/** Without `from`, take-up covers the twelve months up to `to`. */
export const DEFAULT_TAKE_UP_MONTHS = 12;

/** 100 × online ÷ (online + offline), one decimal; null when there were no cases. */
export function takeUpPercent(online: number, offline: number): number | null {
  const cases = online + offline;
  return cases === 0 ? null : roundedPercent(online, cases);
}

export interface ProcedureVolume {
  code: string;
  name: string;
  nationalGroup: string | null;
  status: string;
  statusLabel: string;
  online: number;
  offline: number;
}

export interface ProcedureTakeUp extends ProcedureVolume {
  takeUp: number | null;
}

export interface TakeUpTotals {
  online: number;
  offline: number;
  takeUp: number | null;
}

export interface GroupTakeUp extends TakeUpTotals {
  nationalGroup: string | null;
  label: string;
  procedures: number;
}

export interface TakeUpSummary {
  items: ProcedureTakeUp[];
  groups: GroupTakeUp[];
  total: TakeUpTotals;
}

/** Worst first: lowest take-up, then the one with more cases (more people on paper), then code; no cases last. */
export function compareTakeUp(a: ProcedureTakeUp, b: ProcedureTakeUp): number {
  if (a.takeUp === null || b.takeUp === null) {
    if (a.takeUp !== b.takeUp) return a.takeUp === null ? 1 : -1;
  } else if (a.takeUp !== b.takeUp) return a.takeUp - b.takeUp;
  return b.online + b.offline - (a.online + a.offline) || a.code.localeCompare(b.code);
}


export function summarizeTakeUp(rows: ProcedureVolume[]): TakeUpSummary {
  const items = rows.map((row) => ({ ...row, takeUp: takeUpPercent(row.online, row.offline) })).sort(compareTakeUp);
  const groups = new Map<string | null, GroupTakeUp>();
  let online = 0;
  let offline = 0;
  for (const row of rows) {
    online += row.online;
    offline += row.offline;
    const group = groups.get(row.nationalGroup) ?? {
      nationalGroup: row.nationalGroup,
      label: nationalGroups().find((choice) => choice.key === row.nationalGroup)?.label ?? '区分なし',
      procedures: 0,
      online: 0,
      offline: 0,
      takeUp: null,
    };
    group.procedures++;
    group.online += row.online;
    group.offline += row.offline;
    groups.set(row.nationalGroup, group);
  }
  const groupOrder = nationalGroups().map((group) => group.key);
  const order = (key: string | null) => (key === null ? groupOrder.length : groupOrder.indexOf(key));
  return {
    items,
    groups: [...groups.values()]
      .map((group) => ({ ...group, takeUp: takeUpPercent(group.online, group.offline) }))
      .sort((a, b) => order(a.nationalGroup) - order(b.nationalGroup)),
    total: { online, offline, takeUp: takeUpPercent(online, offline) },
  };
}

/**
 * The period of a take-up question, as months. `from`/`to` may be months or dates in any form
 * the sheets accept (2026-04, 令和8年4月, 2026-04-15 …); without `to`, the current month;
 * without `from`, DEFAULT_TAKE_UP_MONTHS up to `to`.
 */
export function takeUpPeriod(from: string | undefined, to: string | undefined, today: string): { from: string; to: string } {
  const parse = (value: string, header: string) => {
    const result = normalizeMonth(value, header);
    if ('problem' in result) throw new DomainError(result.problem.code === 'missing_required' ? 'invalid_parameter' : result.problem.code, result.problem.message);
    return result.month;
  };
  const end = to ? parse(to, '終了月（to）') : monthOf(today);
  const start = from ? parse(from, '開始月（from）') : addMonthsToMonth(end, -(DEFAULT_TAKE_UP_MONTHS - 1));
  if (start > end) throw new DomainError('invalid_range', `期間の開始 ${start} が終了 ${end} より後です`, 400, { from: start, to: end });
  return { from: start, to: end };
}
