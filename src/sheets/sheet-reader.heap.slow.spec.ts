import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { readSheet } from './sheet-reader';

// The slow tier (npm run test:slow): a memory bound over a 200,000-row file.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sheets-heap-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('readSheet (CSV) at volume', () => {
  it('streams a 200,000-row file with bounded heap growth', async () => {
    const path = join(dir, 'large.csv');
    const out = createWriteStream(path);
    out.write(BOM);
    out.write('管理番号,名称,所管課,状況,完了日,備考\r\n');
    for (let i = 1; i <= 200_000; i++) {
      const line = `P-${String(i).padStart(6, '0')},各種証明書の交付申請（第${i}号様式）,市民課,完了,2026/4/1,備考欄のテキスト${i}\r\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const fileSize = statSync(path).size;

    // Measure what stays reachable, not garbage the collector has yet to visit: force a
    // collection before each sample so the check cannot flake on GC timing.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let retained = 0;
    let count = 0;
    let last = 0;
    for await (const row of readSheet(path)) {
      count++;
      last = row.rowNumber;
      if (count % 20_000 === 0) {
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed - before);
      }
    }
    expect(count).toBe(200_001);
    expect(last).toBe(200_001);
    // Holding the rows would keep several times the file size (UTF-16 strings plus arrays).
    expect(fileSize).toBeGreaterThan(20 * 1024 * 1024);
    expect(retained).toBeLessThan(fileSize / 2);
  }, 60_000);
});
