import { Command } from 'commander';
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/auth/users.service';
import { runCli } from '../src/cli';
import { CliIo, EXIT_USAGE, runProgram } from '../src/cli/cli-runtime';
import { registerImportCommand, SheetCliRuntime } from '../src/cli/import-command';
import { registerTemplateCommand } from '../src/cli/template-command';
import { templateInstruction } from '../src/imports/import-template';
import { useTempDir } from './support/temp-files';
import { databaseKinds, useTestApp } from './support/test-app';

const SEAL_HEADER = '管理番号,名称,所管課,状況,完了日,予定日,備考,年間件数,根拠区分,根拠法令,押印種別,代替方法';

const dir = useTempDir('import-cli-');

function csvFile(name: string, lines: string[], encoding: 'utf8' | 'cp932' = 'utf8'): string {
  const text = lines.join('\r\n') + '\r\n';
  const path = join(dir, name);
  writeFileSync(path, encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.from(text, 'utf8'));
  return path;
}

/** Stands in for a terminal's stderr: records what a progress bar draws. */
class FakeTerminal extends Writable {
  constructor(readonly isTTY: boolean) {
    super();
  }
  columns = 100;
  written = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.written += chunk.toString();
    callback();
  }
}

interface CliRun {
  code: number;
  out: string;
  err: string;
}

describe.each(databaseKinds())('import and template CLI on %s', (kind) => {
  const t = useTestApp(kind);
  let terminal: FakeTerminal;

  /** The commands as runCli registers them, run against the test app (its database and fixed clock). */
  async function cli(args: string[]): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const runtime: SheetCliRuntime = { withContext: (work) => work(t.app), progressStream: terminal };
    let code = 0;
    const program = new Command('procedure-tracker').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    registerImportCommand(program, io, (exit) => (code = exit), runtime);
    registerTemplateCommand(program, io, runtime);
    code = await runProgram(program, args, io, () => code);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const count = async (sql: string) => Number((await t.app.get(DataSource).query(sql))[0].n);
  const itemsLike = (prefix: string) => count(`SELECT COUNT(*) AS n FROM items WHERE code LIKE '${prefix}%'`);
  const historyRows = () => count('SELECT COUNT(*) AS n FROM status_history');
  const item = async (code: string) => {
    const response = await t.http().get(`/api/v1/programs/seal/items?q=${encodeURIComponent(code)}`).set({ Authorization: `Bearer ${t.adminToken}` }).expect(200);
    return response.body.items.find((candidate: { code: string }) => candidate.code === code);
  };

  beforeEach(() => {
    terminal = new FakeTerminal(true);
  });

  it('should import a Shift_JIS CSV and print a Japanese summary', async () => {
    const path = csvFile('台帳.csv', ['様式一覧（総務課）', SEAL_HEADER, 'CL-1,①髙橋㈱の申請書,総務課,押印必要', 'CL-2,届出書,総務課,廃止済,R8.4.1,,,,,,,記名'], 'cp932');
    const run = await cli(['import', 'seal', path]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')).toEqual(['押印廃止（seal）の取り込み: 台帳.csv', '行数 2 ／ 新規 2 ／ 更新 0 ／ 変更なし 0 ／ エラー 0', '取り込みました。']);
    expect(await item('CL-1')).toMatchObject({ name: '①髙橋㈱の申請書', status: 'seal_required' });
    const history = await t.http().get(`/api/v1/items/${(await item('CL-2')).id}/history`).set({ Authorization: `Bearer ${t.adminToken}` }).expect(200);
    expect(history.body.entries[0]).toMatchObject({ by: 'cli', to: 'abolished', effectiveOn: '2026-04-01' });
  });

  it('should print exactly the contract result with --json, and everything unchanged on a re-import', async () => {
    const path = csvFile('json.csv', [SEAL_HEADER, 'CJ-1,様式,総務課,押印必要']);
    const first = await cli(['import', 'seal', path, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toEqual({
      program: 'seal',
      applied: true,
      dryRun: false,
      summary: { rows: 1, created: 1, updated: 0, unchanged: 0, errors: 0 },
      errors: [],
      warnings: [],
    });
    const historyBefore = await historyRows();
    const again = await cli(['import', 'seal', path, '--json']);
    expect(JSON.parse(again.out).summary).toEqual({ rows: 1, created: 0, updated: 0, unchanged: 1, errors: 0 });
    expect(await historyRows()).toBe(historyBefore);
  });

  it('should exit 1 on row errors, print one line per error and write nothing', async () => {
    const path = csvFile('errors.csv', ['タイトル', SEAL_HEADER, 'CE-1,様式,総務課,押印必要', 'CE-2,様式,総務課,済', 'CE-3,様式,不明課,押印必要']);
    const run = await cli(['import', 'seal', path]);
    expect(run.code).toBe(1);
    expect(run.out.split('\n')).toEqual([
      '押印廃止（seal）の取り込み: errors.csv',
      '行数 3 ／ 新規 1 ／ 更新 0 ／ 変更なし 0 ／ エラー 2',
      'エラーがあるため何も書き込んでいません。ファイルを直してもう一度取り込んでください。',
      '行4 列「状況」 値「済」: 状況「済」は使えません（押印必要・検討中・廃止済・法令上存続 のいずれか） [invalid_status]',
      '行5 列「所管課」 値「不明課」: 所管課「不明課」が見つかりません（課名またはコード） [unknown_division]',
    ]);
    expect(await itemsLike('CE-')).toBe(0);
    const json = await cli(['import', 'seal', path, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ applied: false, summary: { errors: 2 }, errors: [{ row: 4, column: '状況', value: '済', code: 'invalid_status' }, { row: 5, code: 'unknown_division' }] });
  });

  it('should show the plan of a dry run and write nothing', async () => {
    const path = csvFile('dry.csv', [SEAL_HEADER, 'CD-1,様式,総務課,押印必要', 'CJ-1,様式,総務課,検討中']);
    const run = await cli(['import', 'seal', path, '--dry-run', '--plan']);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')).toEqual([
      '押印廃止（seal）の取り込み: dry.csv',
      '行数 2 ／ 新規 1 ／ 更新 1 ／ 変更なし 0 ／ エラー 0',
      '試行（--dry-run）のため書き込んでいません。',
      '行2 CD-1 新規',
      '行3 CJ-1 更新',
    ]);
    expect(await itemsLike('CD-')).toBe(0);
    expect((await item('CJ-1')).status).toBe('seal_required');
  });

  it('should record --user as who changed the status, and refuse an unknown user', async () => {
    await t.app.get(UsersService).create({ name: '市民課 山田', role: 'editor', department: '市民安全部', password: null });
    const created = csvFile('user-1.csv', [SEAL_HEADER, 'CU-1,転入届,市民課,押印必要']);
    expect((await cli(['import', 'seal', created, '--user', '市民課 山田'])).code).toBe(0);
    const changed = csvFile('user-2.csv', [SEAL_HEADER, 'CU-1,転入届,市民課,検討中']);
    expect((await cli(['import', 'seal', changed, '--user', '市民課 山田'])).code).toBe(0);
    const history = await t.http().get(`/api/v1/items/${(await item('CU-1')).id}/history`).set({ Authorization: `Bearer ${t.adminToken}` }).expect(200);
    expect(history.body.entries.map((entry: { by: string; to: string; effectiveOn: string | null }) => [entry.by, entry.to, entry.effectiveOn])).toEqual([
      ['市民課 山田', 'seal_required', null],
      ['市民課 山田', 'reviewing', '2026-11-24'],
    ]);
    // The named user's role applies: an editor cannot import another department's rows.
    const foreign = await cli(['import', 'seal', csvFile('user-3.csv', [SEAL_HEADER, 'CU-2,様式,総務課,押印必要']), '--user', '市民課 山田']);
    expect(foreign.code).toBe(1);
    expect(foreign.out).toContain('[forbidden_division]');
    const unknown = await cli(['import', 'seal', created, '--user', '存在しない人']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('[unknown_user]');
  });

  it('should take --as-of as the completion date of done rows without 完了日, and refuse a future one', async () => {
    const path = csvFile('asof.csv', [SEAL_HEADER, 'CA-1,様式,総務課,廃止済']);
    expect((await cli(['import', 'seal', path, '--as-of', 'R8.9.30'])).code).toBe(0);
    expect(await item('CA-1')).toMatchObject({ completedOn: '2026-09-30' });
    const future = await cli(['import', 'seal', path, '--as-of', '2026-12-01']);
    expect(future.code).toBe(1);
    expect(future.err).toContain('[as_of_in_future]');
  });

  it('should report a sheet that cannot be read with its code and exit 1', async () => {
    const run = await cli(['import', 'seal', csvFile('noheader.csv', ['名称,状況', 'a,b'])]);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^エラー \[header_not_found\]: 見出し行が見つかりません/);
    const legacy = join(dir, 'old.xls');
    writeFileSync(legacy, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const old = await cli(['import', 'seal', legacy]);
    expect(old.code).toBe(1);
    expect(old.err).toContain('[unsupported_format]');
  });

  it('should draw a progress bar on a terminal stderr for a large file, never on stdout', async () => {
    const lines = [SEAL_HEADER];
    for (let i = 0; i < 5200; i++) lines.push(`PB-${String(i).padStart(5, '0')},様式${i},総務課,押印必要`);
    const path = csvFile('large.csv', lines);
    const historyBefore = await historyRows();
    const run = await cli(['import', 'seal', path, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).summary).toEqual({ rows: 5200, created: 5200, updated: 0, unchanged: 0, errors: 0 });
    expect(terminal.written).toContain('読み込み中');
    expect(terminal.written).toContain('書き込み中');
    expect(terminal.written).toContain('5200/5200');
    expect(run.out).not.toContain('読み込み中');
    expect(await itemsLike('PB-')).toBe(5200);
    expect((await historyRows()) - historyBefore).toBe(5200);

    terminal = new FakeTerminal(false);
    const piped = await cli(['import', 'seal', path, '--dry-run', '--json']);
    expect(JSON.parse(piped.out).summary.unchanged).toBe(5200);
    expect(terminal.written).toBe('');
    terminal = new FakeTerminal(true);
    await cli(['import', 'seal', csvFile('small.csv', [SEAL_HEADER, 'PS-1,様式,総務課,押印必要'])]);
    expect(terminal.written).toBe('');
  }, 60_000);

  it('should write a template with drop-down lists that imports back once filled in', async () => {
    const out = join(dir, 'seal-template.xlsx');
    const run = await cli(['template', 'seal', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^テンプレートを書き出しました: .*seal-template\.xlsx（シート「押印廃止」、所管課の選択肢 \d+ 件）$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.state])).toEqual([
      ['押印廃止', 'visible'],
      ['選択肢', 'hidden'],
    ]);
    const divisionList = (workbook.getWorksheet('選択肢')!.getColumn(1).values as unknown[]).slice(1);
    expect(divisionList).toEqual(expect.arrayContaining(['所管課', '総務課', '市民課', '子育て支援課']));
    const sheet = workbook.getWorksheet('押印廃止')!;
    sheet.getRow(3).values = ['TT-1', '埋葬許可申請書', '市民課', '廃止済', new Date(Date.UTC(2026, 7, 1)), null, null, 80, '規則', null, '認印', '署名'];
    sheet.getRow(4).values = ['TT-2', '犬の登録申請書', '環境課', '検討中'];
    await workbook.xlsx.writeFile(out);
    const imported = await cli(['import', 'seal', out, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ applied: true, summary: { rows: 2, created: 2, errors: 0 }, warnings: [] });
    expect(await item('TT-1')).toMatchObject({ status: 'abolished', completedOn: '2026-08-01', annualVolume: 80, basisLevel: 'rule', replacement: 'signature' });
  });

  it('should import the filled template saved by Excel as a Shift_JIS CSV', async () => {
    // What 「CSV（コンマ区切り）」 writes for the template: the merged instruction padded with empty
    // fields, the header, dates in the column's yyyy/m/d format, CP932 text.
    const width = SEAL_HEADER.split(',').length;
    const path = csvFile(
      'template-saved.csv',
      [
        templateInstruction('seal') + ','.repeat(width - 1),
        SEAL_HEADER,
        'TS-1,埋葬許可申請書（②㈱）,市民課,廃止済,2026/8/1,,,80,規則,,認印,署名',
        'TS-2,犬の登録申請書,環境課,検討中,,2027/3/31,,,,,,',
        ','.repeat(width - 1),
      ],
      'cp932',
    );
    const run = await cli(['import', 'seal', path, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ applied: true, summary: { rows: 2, created: 2, errors: 0 }, warnings: [] });
    expect(await item('TS-1')).toMatchObject({ name: '埋葬許可申請書（②㈱）', completedOn: '2026-08-01', annualVolume: 80 });
    expect(await item('TS-2')).toMatchObject({ status: 'reviewing', dueOn: '2027-03-31', division: { name: '環境課' } });
  });
});

describe('import and template CLI usage errors (runCli)', () => {
  const run = async (args: string[]) => {
    const lines: string[] = [];
    const io: CliIo = { out: (text) => lines.push(text), err: (text) => lines.push(text) };
    return { code: await runCli(args, io), text: lines.join('\n') };
  };

  it('should exit 2 for an unknown program, a missing file or a missing --out', async () => {
    const file = csvFile('usage.csv', [SEAL_HEADER]);
    const program = await run(['import', 'stamps', file]);
    expect(program).toEqual({ code: 2, text: 'エラー [usage]: 取組「stamps」はありません（online / seal / analog / reform）' });
    const missing = await run(['import', 'seal', join(dir, 'nothing-here.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('nothing-here.csv」が見つかりません');
    expect((await run(['template', 'seal'])).code).toBe(2);
    expect((await run(['template', 'bogus', '--out', join(dir, 'x.xlsx')])).code).toBe(2);
    expect((await run(['template', 'seal', '--out', join(dir, 'no-such-folder', 'x.xlsx')])).code).toBe(2);
    expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);
  });
});
