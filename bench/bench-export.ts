import { programKeys } from '../src/programs/program-definitions';
import { INestApplicationContext } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { ReportsService } from '../src/reports/reports.service';
import { readSheet } from '../src/sheets';
import { rawWorkbook } from './baselines';

// Export: the real path (each program's xlsx, as GET …/items.xlsx writes it) against exceljs's
// streaming writer writing the same cells, read back from the real file before timing.
export async function measureExport(
  context: INestApplicationContext,
  dir: string,
  repeat = 1,
): Promise<{ rowsPerSec: number; baselineRowsPerSec: number; ratio: number }> {
  const reports = context.get(ReportsService);
  let rows = 0;
  const measuredRuns: number[] = [];
  const baselineRuns: number[] = [];
  for (let round = 0; round < repeat; round++) {
    // Both sides alternate, and the medians of the rounds count.
    let measured = 0;
    let baseline = 0;
    rows = 0;
    for (const program of programKeys()) {
      const file = path.join(dir, `export-${program}.xlsx`);
      const prepared = await reports.prepareItems({ program, format: 'xlsx' }, SYSTEM_ACTOR);
      const started = process.hrtime.bigint();
      const result = await prepared.write(fs.createWriteStream(file));
      measured += Number(process.hrtime.bigint() - started) / 1e9;
      rows += result.rows;

      const cells: unknown[][] = [];
      for await (const row of readSheet(file, { maxColumns: 200 })) cells.push(row.cells.map((cell) => cell ?? null));
      const [header, ...data] = cells;
      baseline += await rawWorkbook(path.join(dir, `baseline-${program}.xlsx`), header as string[], data);
    }
    measuredRuns.push(measured);
    baselineRuns.push(baseline);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const measuredSeconds = median(measuredRuns);
  const baselineSeconds = median(baselineRuns);
  return {
    rowsPerSec: Math.round(rows / measuredSeconds),
    baselineRowsPerSec: Math.round(rows / baselineSeconds),
    ratio: Math.round((baselineSeconds / measuredSeconds) * 100) / 100,
  };
}
