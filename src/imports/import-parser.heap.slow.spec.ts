import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DivisionIndex } from '../organization/organization.service';
import { actor, TEST_DIVISIONS } from '../../test/support/factories';
import { ImportParseDeps, ImportParseOptions, parseImport } from './import-parser';

// The slow tier (npm run test:slow): a memory bound over 200,000 rows.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-parser-heap-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function deps(): ImportParseDeps {
  return {
    divisions: new DivisionIndex([...TEST_DIVISIONS]),
    divisionOf: (id) => TEST_DIVISIONS.find((division) => division.id === id),
    findExisting: async () => new Map(),
  };
}

function options(overrides: Partial<ImportParseOptions>): ImportParseOptions {
  return { program: 'seal', actor: actor('admin'), today: '2026-11-24', nowIso: '2026-11-24T01:00:00.000Z', keepWrites: true, keepPlan: true, ...overrides };
}

describe('parseImport at volume', () => {
  it('streams a 200,000-row CSV through the parse step with bounded heap growth', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const path = join(dir, 'large.csv');
    const out = createWriteStream(path);
    out.write('管理番号,名称,所管課,状況,年間件数\r\n');
    const ROWS = 200_000;
    for (let start = 0; start < ROWS; start += 5000) {
      let chunk = '';
      for (let i = start; i < start + 5000; i++) {
        chunk += `LG-${String(i).padStart(6, '0')},様式その${i}（①㈱）,${i % 2 ? '総務課' : '市民課'},押印必要,${i % 1000}\r\n`;
      }
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let samples = 0;
    const parsed = await parseImport(
      path,
      options({
        keepWrites: false,
        keepPlan: false,
        onProgress: (event) => {
          if (event.done % 40_000 !== 0) return;
          gc();
          samples++;
          // growth can be negative when the baseline still held garbage from writing the file
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        },
      }),
      deps(),
    );
    expect(parsed.summary).toEqual({ rows: ROWS, created: ROWS, updated: 0, unchanged: 0, errors: 0 });
    expect(parsed.creates).toEqual([]);
    // What grows is the set of codes seen (for duplicates), a few dozen bytes a row; holding the
    // rows themselves would take several hundred bytes each (over 100 MB here).
    expect(samples).toBe(ROWS / 40_000);
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  }, 60_000);
});
