import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary folder for the files the tests of this file (or describe block) write: made now,
 * while Jest collects the tests, and removed after them.
 */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Writes CSV lines as Excel saves "CSV UTF-8" (a BOM unless `bom: false`, CRLF endings); returns the path. */
export function writeCsv(dir: string, name: string, lines: string[], options: { bom?: boolean } = {}): string {
  const path = join(dir, name);
  writeFileSync(path, `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`, 'utf8');
  return path;
}
