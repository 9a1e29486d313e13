import { ReformProgress } from '../reform/reform-progress';

// What the printed progress report (進捗報告) shows: assembled by the service, drawn by handout-html.ts.

export interface HandoutSeriesPoint {
  month: string;
  done: number;
  /** total − excluded at that month: the level that means 100 %. */
  goal: number;
}

export interface HandoutTarget {
  id: string;
  label: string;
  percent: number | null;
  verdict: string;
  verdictLabel: string;
  done: number;
  /**
   * Completions reported by a division and not yet confirmed (報告済, not in `done` nor `percent`);
   * null for a program whose completions need no confirmation (no confirmDone).
   */
  reported: number | null;
  /** total − excluded */
  denominator: number;
  excluded: number;
  deadline: string;
  deadlineLabel: string;
  pacePerMonth: number;
  neededPerMonth: number | null;
  projectedCompletion: string | null;
  plannedToDate: number | null;
  series: HandoutSeriesPoint[];
}

export interface HandoutCount {
  done: number;
  /** 報告済 (awaiting confirmation), beside `done`; 0 where the program needs no confirmation. */
  reported: number;
  denominator: number;
  percent: number | null;
}

export interface HandoutTableRow {
  name: string;
  /** Per program key (the columns), plus `all`. */
  cells: Record<string, HandoutCount | null>;
}

export interface HandoutData {
  asOf: string;
  /** The department the report is for (its initiatives and divisions), or null for the whole city. */
  department: string | null;
  targets: HandoutTarget[];
  /** The procedure programs together, city-wide: the 全庁計 line (`confirming`: some program confirms completions). */
  cityTotal: HandoutCount & { programs: number; confirming: boolean };
  reform: ReformProgress;
  /** Columns of the table: the procedure programs. */
  programs: { key: string; label: string }[];
  /** 部局別 (or 課別 for one department), with a 全庁計 / 部計 row last. */
  table: { heading: string; rows: HandoutTableRow[]; total: HandoutTableRow };
}
