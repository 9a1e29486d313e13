import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dialectOf, fieldSql, parseFields } from '../database/json-fields';
import { OpenItemRow } from './overdue';

export interface StateCountRow {
  program: string;
  nationalGroup: string | null;
  divisionId: number;
  /** The state as of the date; null = the program's initial state (no change effective yet). */
  state: string | null;
  /** How many of `count` are past their own due date on the as-of date. */
  pastDueCount: number;
  count: number;
  /** How many of `count` are completions awaiting confirmation (報告済): not done yet. */
  reportedCount: number;
}

// The as-of rule, computed in the database. An item's state on D is its current status when
// that took effect on or before D (the common case, no subquery); otherwise the latest history
// row effective on or before D (rows with no date hold from the start), else the initial state.
// The one copy of that rule: `stateAtSql()` is the state (NULL = the program's initial state),
// `stateAtSql('effectiveOn')` the date it took effect. Items are aliased `i`; the date is :asOf.
export function stateAtSql(value: 'state' | 'effectiveOn' = 'state'): string {
  const [current, past] = value === 'state' ? ['i.status', 'h.to_status'] : ['i.status_effective_on', 'h.effective_on'];
  return `
  CASE WHEN i.status_effective_on IS NULL OR i.status_effective_on <= :asOf THEN ${current}
  ELSE (SELECT ${past} FROM status_history h
        WHERE h.item_id = i.id AND (h.effective_on IS NULL OR h.effective_on <= :asOf)
        ORDER BY h.effective_on DESC NULLS LAST, h.id DESC LIMIT 1)
  END`;
}
const STATE_AT = stateAtSql();

@Injectable()
export class ProgressRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** 国の区分 of item `i`: the same expression as the covering index ix_items_progress. */
  private group(): string {
    return fieldSql('i', 'nationalGroup', dialectOf(this.dataSource.options));
  }

  /**
   * Items changed after :asOf with the state they had on it. SQLite looks each one up through
   * the (item_id, effective_on) index; PostgreSQL plans a correlated lookup per item poorly, so
   * there the latest row on or before the date is picked by a window over the items' history.
   */
  private changedSince(and: string): string {
    const pastDue = 'CASE WHEN i.due_on IS NOT NULL AND i.due_on < :asOf THEN 1 ELSE 0 END';
    if (this.dataSource.options.type !== 'postgres') {
      // The changed items' columns come off the covering index first (materialized): with the
      // correlated history lookup in the same SELECT, SQLite reads the row of every changed item
      // for 国の区分 instead of taking the indexed expression, which doubled this half's cost.
      return `
        WITH changed_items AS MATERIALIZED (
          SELECT i.id AS id, i.program AS program, ${this.group()} AS national_group, i.division_id AS division_id,
                 i.status AS status, i.status_effective_on AS status_effective_on, i.due_on AS due_on
          FROM items i INDEXED BY ix_items_progress
          WHERE i.status_effective_on > :asOf${and})
        SELECT i.program AS program, i.national_group AS national_group, i.division_id AS division_id,
               ${STATE_AT} AS state, ${pastDue} AS past_due
        FROM changed_items i`;
    }
    return `
        SELECT i.program AS program, ${this.group()} AS national_group, i.division_id AS division_id,
               latest.to_status AS state, ${pastDue} AS past_due
        FROM items i
        LEFT JOIN (
          SELECT h.item_id, h.to_status,
                 ROW_NUMBER() OVER (PARTITION BY h.item_id ORDER BY h.effective_on DESC NULLS LAST, h.id DESC) AS position
          FROM status_history h
          JOIN items i ON i.id = h.item_id
          WHERE i.status_effective_on > :asOf${and} AND (h.effective_on IS NULL OR h.effective_on <= :asOf)
        ) latest ON latest.item_id = i.id AND latest.position = 1
        WHERE i.status_effective_on > :asOf${and}`;
  }

  async stateCounts(asOf: string, filter: { program?: string; codes?: string[]; fields?: Record<string, string> } = {}): Promise<StateCountRow[]> {
    const conditions: string[] = [];
    const parameters: Record<string, unknown> = { asOf };
    if (filter.program) {
      conditions.push('i.program = :program');
      parameters.program = filter.program;
    }
    if (filter.codes) {
      if (!filter.codes.length) return [];
      conditions.push('i.code IN (:...codes)');
      parameters.codes = filter.codes;
    }
    Object.entries(filter.fields ?? {}).forEach(([key, value], index) => {
      conditions.push(`${fieldSql('i', key, dialectOf(this.dataSource.options))} = :field${index}`);
      parameters[`field${index}`] = value;
    });
    const and = conditions.map((condition) => ` AND ${condition}`).join('');
    // Two halves. Items whose current status took effect by the date hold it: they are grouped
    // straight off the covering index ix_items_progress, in index order, with no sort and no
    // history lookup. Only items changed after the date (few, for recent dates) look up the
    // state they had then.
    const pastDue = 'SUM(CASE WHEN i.due_on IS NOT NULL AND i.due_on < :asOf THEN 1 ELSE 0 END)';
    const sql = `
      SELECT i.program AS program, ${this.group()} AS national_group, i.division_id AS division_id,
             i.status AS state, ${pastDue} AS past_due, COUNT(*) AS n
      FROM items i
      WHERE (i.status_effective_on IS NULL OR i.status_effective_on <= :asOf)${and}
      GROUP BY i.program, ${this.group()}, i.division_id, i.status
      UNION ALL
      SELECT program, national_group, division_id, state, SUM(past_due), COUNT(*)
      FROM (${this.changedSince(and)}) changed
      GROUP BY program, national_group, division_id, state`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    const rows: Record<string, unknown>[] = await this.dataSource.query(query, values);
    const result: StateCountRow[] = rows.map((row) => ({
      program: String(row.program),
      nationalGroup: (row.national_group as string | null) ?? null,
      divisionId: Number(row.division_id),
      state: (row.state as string | null) ?? null,
      pastDueCount: Number(row.past_due),
      count: Number(row.n),
      reportedCount: 0,
    }));
    await this.attachReported(result, and, parameters);
    return result;
  }

  /**
   * Reported completions awaiting confirmation, counted into the rows they fall in. A report is
   * always the item's current status, so it counts on the dates that status holds (from its
   * completion date) and only in the first half of stateCounts. The table holds only what waits
   * for an administrator, so this is a small join, driven from it (SQLite has no statistics for
   * a table that is often empty and otherwise scanned every item to probe it; CROSS JOIN keeps
   * the order there).
   */
  private async attachReported(rows: StateCountRow[], and: string, parameters: Record<string, unknown>): Promise<void> {
    const sql = `
      SELECT i.program AS program, ${this.group()} AS national_group, i.division_id AS division_id, i.status AS state, COUNT(*) AS n
      FROM item_reports r CROSS JOIN items i
      WHERE i.id = r.item_id AND i.status = r.reported_status AND (i.status_effective_on IS NULL OR i.status_effective_on <= :asOf)${and}
      GROUP BY i.program, ${this.group()}, i.division_id, i.status`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    const reported: Record<string, unknown>[] = await this.dataSource.query(query, values);
    if (!reported.length) return;
    const key = (program: unknown, group: unknown, division: unknown, state: unknown) => `${String(program)}\u0000${String(group ?? '')}\u0000${Number(division)}\u0000${String(state)}`;
    const byKey = new Map<string, StateCountRow>();
    for (const row of rows) if (!byKey.has(key(row.program, row.nationalGroup, row.divisionId, row.state))) byKey.set(key(row.program, row.nationalGroup, row.divisionId, row.state), row);
    for (const entry of reported) {
      const row = byKey.get(key(entry.program, entry.national_group, entry.division_id, entry.state));
      if (row) row.reportedCount += Number(entry.n);
    }
  }

  /**
   * Items still open on `asOf` (state neither done nor excluded) that may be overdue: past their
   * own due date, or in a program listed in `programsPastDeadline` (a target deadline has passed).
   */
  async openItemCandidates(asOf: string, options: { programsPastDeadline: string[]; closed: { program: string; states: string[] }[] }): Promise<OpenItemRow[]> {
    const parameters: Record<string, unknown> = { asOf };
    const candidates = ['(i.due_on IS NOT NULL AND i.due_on < :asOf)'];
    if (options.programsPastDeadline.length) {
      candidates.push('i.program IN (:...pastPrograms)');
      parameters.pastPrograms = options.programsPastDeadline;
    }
    const closed = options.closed.map((entry, index) => {
      parameters[`closedProgram${index}`] = entry.program;
      parameters[`closedStates${index}`] = entry.states;
      return `(s.program = :closedProgram${index} AND s.state IN (:...closedStates${index}))`;
    });
    const sql = `
      SELECT s.id, s.program, s.code, s.name, s.state, s.due_on, s.national_group, s.division_id, s.fields
      FROM (
        SELECT i.id AS id, i.program AS program, i.code AS code, i.name AS name, i.due_on AS due_on,
               ${this.group()} AS national_group, i.division_id AS division_id, i.fields AS fields, ${STATE_AT} AS state
        FROM items i WHERE ${candidates.join(' OR ')}
      ) s
      WHERE s.state IS NULL OR NOT (${closed.join(' OR ')})
      ORDER BY s.program, s.code`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    const rows: Record<string, unknown>[] = await this.dataSource.query(query, values);
    return rows.map((row) => ({
      id: Number(row.id),
      program: String(row.program),
      code: String(row.code),
      name: String(row.name),
      state: (row.state as string | null) ?? null,
      dueOn: (row.due_on as string | null) ?? null,
      nationalGroup: (row.national_group as string | null) ?? null,
      divisionId: Number(row.division_id),
      fields: parseFields(row.fields),
    }));
  }
}
