import { INestApplicationContext } from '@nestjs/common';

// Placeholder until the reports module lands: see runBench.
export async function measureExport(context: INestApplicationContext, dir: string): Promise<{ rowsPerSec: number; baselineRowsPerSec: number; ratio: number }> {
  void context;
  void dir;
  return { rowsPerSec: 0, baselineRowsPerSec: 0, ratio: 0 };
}
