import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dialectOf, fieldSql, parseFields } from '../database/json-fields';
import type { ItemRow } from '../items/item-changes';
import { stateAtSql } from '../progress/progress.repository';

// Keyset-paged reads for the exports: one page of items (by code) or of history rows (by id) at
// a time, so a 200,000-item export never holds more than a page. The state as of a date comes
// from the same SQL fragment the progress aggregate uses (stateAtSql).

/** Rows per page: small enough to bound memory, large enough that the round trips do not matter. */
export const EXPORT_PAGE_SIZE = 1000;

export interface ItemPageFilter {
  program: string;
  /** The state as of this date; undefined = the stored current status (what an import compares with). */
  asOf?: string;
  /** Only these divisions (a department or division filter); undefined = all. */
  divisionIds?: number[];
  /** Only items in this state (as of `asOf`), a state key. */
  status?: string;
  /** The program's initial state: what an item with no change effective yet is in. */
  initialState: string;
  nationalGroup?: string;
  /** Already folded and LIKE-escaped, as the item list does it. */
  searchNeedle?: string;
}

/** A stored item (the columns export writes) with its state as of the export's date. */
export interface ItemPageRow extends Omit<ItemRow, 'program' | 'searchText' | 'version' | 'createdAt' | 'updatedAt'> {
  id: number;
  /** The state as of the date (the current status when no date was given). */
  state: string;
  /** The date that state took effect (null = from the start). */
  stateEffectiveOn: string | null;
}

export interface HistoryPageFilter {
  /** [fromInstant, toInstant): ISO instants, as status_history.at stores them. */
  fromInstant: string;
  toInstant: string;
  divisionIds?: number[];
}

export interface HistoryPageRow {
  id: number;
  at: string;
  by: string;
  fromStatus: string | null;
  toStatus: string;
  effectiveOn: string | null;
  note: string | null;
  changes: string | null;
  program: string;
  code: string;
  name: string;
  divisionId: number;
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private async run(sql: string, parameters: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    return this.dataSource.query(query, values);
  }

  /** Items of a program after `afterCode` (exclusive), ordered by code: at most `limit`. */
  async itemPage(filter: ItemPageFilter, afterCode: string | null, limit = EXPORT_PAGE_SIZE): Promise<ItemPageRow[]> {
    if (filter.divisionIds && !filter.divisionIds.length) return [];
    const parameters: Record<string, unknown> = { program: filter.program, initialState: filter.initialState };
    const inner = ['i.program = :program'];
    if (afterCode !== null) {
      inner.push('i.code > :afterCode');
      parameters.afterCode = afterCode;
    }
    if (filter.divisionIds) {
      inner.push('i.division_id IN (:...divisionIds)');
      parameters.divisionIds = filter.divisionIds;
    }
    if (filter.nationalGroup) {
      inner.push(`${fieldSql('i', 'nationalGroup', dialectOf(this.dataSource.options))} = :nationalGroup`);
      parameters.nationalGroup = filter.nationalGroup;
    }
    if (filter.searchNeedle) {
      inner.push("i.search_text LIKE :needle ESCAPE '\\'");
      parameters.needle = `%${filter.searchNeedle}%`;
    }
    let state = 'i.status';
    let stateEffectiveOn = 'i.status_effective_on';
    if (filter.asOf) {
      parameters.asOf = filter.asOf;
      state = stateAtSql('state');
      stateEffectiveOn = stateAtSql('effectiveOn');
    }
    const outer: string[] = [];
    if (filter.status) {
      outer.push('s.state = :status');
      parameters.status = filter.status;
    }
    const sql = `
      SELECT s.* FROM (
        SELECT i.id AS id, i.code AS code, i.name AS name, i.status AS status, i.status_effective_on AS status_effective_on,
               COALESCE(${state}, :initialState) AS state, ${stateEffectiveOn} AS state_effective_on,
               i.division_id AS division_id, i.due_on AS due_on, i.completed_on AS completed_on, i.note AS note, i.fields AS fields
        FROM items i
        WHERE ${inner.join(' AND ')}
      ) s
      ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
      ORDER BY s.code
      LIMIT ${Math.max(1, Math.floor(limit))}`;
    const rows = await this.run(sql, parameters);
    return rows.map((row) => ({
      id: Number(row.id),
      code: String(row.code),
      name: String(row.name),
      status: String(row.status),
      statusEffectiveOn: str(row.status_effective_on),
      state: String(row.state),
      stateEffectiveOn: str(row.state_effective_on),
      divisionId: Number(row.division_id),
      dueOn: str(row.due_on),
      completedOn: str(row.completed_on),
      note: str(row.note),
      fields: parseFields(row.fields),
    }));
  }

  /** History rows made in the period after `afterId`, oldest first: at most `limit`. */
  async historyPage(filter: HistoryPageFilter, afterId: number, limit = EXPORT_PAGE_SIZE): Promise<HistoryPageRow[]> {
    if (filter.divisionIds && !filter.divisionIds.length) return [];
    const parameters: Record<string, unknown> = { afterId, fromInstant: filter.fromInstant, toInstant: filter.toInstant };
    const conditions = ['h.id > :afterId', 'h.at >= :fromInstant', 'h.at < :toInstant'];
    if (filter.divisionIds) {
      conditions.push('i.division_id IN (:...divisionIds)');
      parameters.divisionIds = filter.divisionIds;
    }
    const sql = `
      SELECT h.id AS id, h.at AS at, h.by_user AS by_user, h.from_status AS from_status, h.to_status AS to_status,
             h.effective_on AS effective_on, h.note AS note, h.changes AS changes,
             i.program AS program, i.code AS code, i.name AS name, i.division_id AS division_id
      FROM status_history h INNER JOIN items i ON i.id = h.item_id
      WHERE ${conditions.join(' AND ')}
      ORDER BY h.id
      LIMIT ${Math.max(1, Math.floor(limit))}`;
    const rows = await this.run(sql, parameters);
    return rows.map((row) => ({
      id: Number(row.id),
      at: String(row.at),
      by: String(row.by_user),
      fromStatus: str(row.from_status),
      toStatus: String(row.to_status),
      effectiveOn: str(row.effective_on),
      note: str(row.note),
      changes: str(row.changes),
      program: String(row.program),
      code: String(row.code),
      name: String(row.name),
      divisionId: Number(row.division_id),
    }));
  }
}
