import { Command } from 'commander';
import * as iconv from 'iconv-lite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CliIo, EXIT_REFUSED, EXIT_USAGE, runProgram } from '../src/cli/cli-runtime';
import { mappingFromArguments, registerImportCommand, SheetCliRuntime } from '../src/cli/import-command';
import { databaseKinds, useTestApp } from './support/test-app';

// The CLI's side of the page's header mapping: import --map … --assign-codes.

describe.each(databaseKinds())('import --map on %s', (kind) => {
  const t = useTestApp(kind);
  let dir: string;

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const runtime: SheetCliRuntime = { withContext: (work) => work(t.app), progressStream: new PassThrough() };
    let code = 0;
    const program = new Command('procedure-tracker').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    registerImportCommand(program, io, (exit) => (code = exit), runtime);
    code = await runProgram(program, args, io, () => code);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'workbench-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should import a sheet with its own headers when they are mapped, and give codes on request', async () => {
    const path = join(dir, '様式.csv');
    writeFileSync(path, iconv.encode('様式名,担当課,状況,廃止日\r\n旅費請求書,総務課,廃止済,R8.10.1\r\n', 'cp932'));
    const refused = await cli(['import', 'seal', path, '--json']);
    expect(refused.code).toBe(EXIT_REFUSED);
    expect(refused.err).toContain('様式名・担当課・状況・廃止日');
    const done = await cli(['import', 'seal', path, '--map', '様式名=名称', '担当課=所管課', '廃止日=完了日', '--assign-codes', '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out).summary).toMatchObject({ created: 1, errors: 0 });
    const list = await t.http().get('/api/v1/programs/seal/items?q=SEAL-A').set({ Authorization: `Bearer ${t.adminToken}` }).expect(200);
    expect(list.body.items.map((item: { code: string; completedOn: string }) => [item.code, item.completedOn])).toEqual([['SEAL-A00001', '2026-10-01']]);
    expect((await cli(['import', 'seal', path, '--map', '様式名'])).code).toBe(EXIT_USAGE);
  });

  it('should split a mapping at its last =', () => {
    expect(mappingFromArguments(['No.=管理番号', 'a=b=名称'])).toEqual({ 'No.': '管理番号', 'a=b': '名称' });
  });
});
