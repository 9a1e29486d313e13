import { INestApplicationContext } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSTEM_ACTOR } from '../common/actor';
import { PROGRAM_KEYS } from '../programs/program.types';
import { ReportsService } from '../reports/reports.service';
import { readSheet } from '../sheets';
import { rawWorkbook } from './baselines';

// Export: the real path (each program's xlsx, as GET …/items.xlsx writes it) against exceljs's
// streaming writer writing the same cells, read back from the real file before timing.
export async function measureExport(context: INestApplicationContext, dir: string): Promise<{ rowsPerSec: number; baselineRowsPerSec: number; ratio: number }> {
  const reports = context.get(ReportsService);
  let rows = 0;
  let measuredSeconds = 0;
  let baselineSeconds = 0;
  for (const program of PROGRAM_KEYS) {
    const file = path.join(dir, `export-${program}.xlsx`);
    const prepared = await reports.prepareItems({ program, format: 'xlsx' }, SYSTEM_ACTOR);
    const started = process.hrtime.bigint();
    const result = await prepared.write(fs.createWriteStream(file));
    measuredSeconds += Number(process.hrtime.bigint() - started) / 1e9;
    rows += result.rows;

    const cells: unknown[][] = [];
    for await (const row of readSheet(file, { maxColumns: 200 })) cells.push(row.cells.map((cell) => cell ?? null));
    const [header, ...data] = cells;
    baselineSeconds += await rawWorkbook(path.join(dir, `baseline-${program}.xlsx`), header as string[], data);
  }
  return {
    rowsPerSec: Math.round(rows / measuredSeconds),
    baselineRowsPerSec: Math.round(rows / baselineSeconds),
    ratio: Math.round((baselineSeconds / measuredSeconds) * 100) / 100,
  };
}
