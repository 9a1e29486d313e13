import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { DatabaseSettings } from '../src/config/app-config';
import { insertSql } from '../src/database/bulk-insert';
import { HISTORY_COLUMNS, historyValues, ITEM_COLUMNS, itemValues } from '../src/items/items.repository';
import { HistoryRow, ItemRow, planCreate } from '../src/items/item-changes';
import { finalValues, sampleItems } from '../src/sample-data/generator';

// Raw baselines measured in the same run as the real paths, so the ratios hold on a noisy machine.

/** The rows an import of the bench sheets writes: each item in its final state and one history row. */
export function baselineRows(options: { count: number; today: string; divisionIds: Map<string, number>; nowIso: string }): { row: ItemRow; history: HistoryRow }[] {
  const rows: { row: ItemRow; history: HistoryRow }[] = [];
  for (const item of sampleItems({ count: options.count, today: options.today, divisionCodes: [...options.divisionIds.keys()] })) {
    const values = finalValues(item);
    const planned = planCreate(item.program, values, options.divisionIds.get(values.division)!, { actor: SYSTEM_ACTOR, today: options.today, nowIso: options.nowIso });
    if ('problems' in planned) throw new Error(`bench: generated row ${values.code} breaks a rule: ${planned.problems[0].code}`);
    rows.push(planned);
  }
  return rows;
}

/** Inserts the rows with the bare driver in one transaction; returns the seconds it took. */
export async function rawInsert(settings: DatabaseSettings, rows: { row: ItemRow; history: HistoryRow }[]): Promise<number> {
  const itemSql = (placeholder: (index: number) => string) => insertSql('items', ITEM_COLUMNS, 1, placeholder);
  const historySql = (placeholder: (index: number) => string) => insertSql('status_history', HISTORY_COLUMNS, 1, placeholder);

  if (settings.type === 'sqlite') {
    const db = new Database(settings.path);
    try {
      const insertItem = db.prepare(itemSql(() => '?'));
      const insertHistory = db.prepare(historySql(() => '?'));
      const started = process.hrtime.bigint();
      db.transaction(() => {
        for (const { row, history } of rows) {
          const id = Number(insertItem.run(...itemValues(row)).lastInsertRowid);
          insertHistory.run(...historyValues({ ...history, itemId: id }));
        }
      })();
      return Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: settings.url, options: settings.schema ? `-c search_path=${settings.schema}` : undefined });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    await client.query('BEGIN');
    const itemStatement = `${itemSql((index) => `$${index + 1}`)} RETURNING id`;
    const historyStatement = historySql((index) => `$${index + 1}`);
    for (const { row, history } of rows) {
      const result = await client.query({ name: 'bench-item', text: itemStatement, values: itemValues(row) });
      await client.query({ name: 'bench-history', text: historyStatement, values: historyValues({ ...history, itemId: Number(result.rows[0].id) }) });
    }
    await client.query('COMMIT');
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

/** Writes the same cells as an export with exceljs's streaming writer; returns the seconds it took. */
export async function rawWorkbook(file: string, header: string[], rows: unknown[][]): Promise<number> {
  const started = process.hrtime.bigint();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('sheet');
  sheet.addRow(header).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
