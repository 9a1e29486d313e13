import * as ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DomainError } from '../src/common/domain-error';
import { FoldItemCodes1765500000000 } from '../src/database/migrations/1765500000000-FoldItemCodes';
import { WorkBudget } from '../src/common/work-budget';
import { CLI_ACTOR, ImportsService } from '../src/imports/imports.service';
import { ItemsService } from '../src/items/items.service';
import { VolumesService } from '../src/volumes/volumes.service';
import { binary } from './support/responses';
import { runCliOn } from './support/run-cli';
import { databaseKinds, useTestApp } from './support/test-app';

// Issue 18: what an adversarial pass broke. Each case ends as a clear 4xx with nothing written,
// or as the right value.

const SEAL_HEADER = '管理番号,名称,所管課,状況,完了日,予定日,備考,年間件数,根拠区分,根拠法令,押印種別,代替方法';

let dir: string;
const previousTmpdir = process.env.TMPDIR;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hardening-api-'));
  // Uploads of this suite go to a folder of its own: other suites count the temp files multer
  // leaves in the shared temp directory, and this one uploads many (one of 3 MB).
  const uploads = join(dir, 'uploads');
  mkdirSync(uploads);
  process.env.TMPDIR = uploads;
});
afterAll(() => {
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  rmSync(dir, { recursive: true, force: true });
});

function csvFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
}

async function xlsxBody(response: { body: Buffer }): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
  return workbook;
}

describe.each(databaseKinds())('hardening on %s', (kind) => {
  const t = useTestApp(kind, { config: { publicReporting: true } });
  const auth = (token = t.adminToken) => ({ Authorization: `Bearer ${token}` });
  const upload = (program: string, path: string, query = '', token?: string) =>
    t.http().post(`/api/v1/imports/${program}${query}`).set(auth(token)).attach('file', path);
  const count = async (sql: string) => Number((await t.app.get(DataSource).query(sql))[0].n);

  describe('1. a projection past the horizon', () => {
    beforeAll(async () => {
      // 300 open seal items and one completion in the last six months: 1,800 months to go.
      const lines = [SEAL_HEADER, 'SLOW-000,様式0,総務課,廃止済,2026-10-01,,,,,,,'];
      for (let n = 1; n <= 300; n++) lines.push(`SLOW-${String(n).padStart(3, '0')},様式${n},総務課,押印必要,,,,,,,,`);
      await upload('seal', csvFile('slow.csv', lines)).expect(200);
    });

    it('should answer progress with no projected date and the reason, never an exception', async () => {
      const response = await t.http().get('/api/v1/progress').set(auth()).expect(200);
      const seal = response.body.targets.find((target: { id: string }) => target.id === 'seal-abolition');
      expect(seal).toMatchObject({ remaining: 300, projectedCompletion: null, projectionReason: 'beyond_horizon' });
    });

    it('should write the workbook with 見込みなし in the projection column', async () => {
      const response = await t.http().get('/api/v1/reports/compliance.xlsx').set(auth()).buffer(true).parse(binary).expect(200);
      const summary = (await xlsxBody(response)).getWorksheet('概要')!;
      const texts: string[] = [];
      summary.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
      expect(texts).toContain('見込みなし（2099年より後）');
    });

    it('should serve /public and cli progress', async () => {
      await t.http().get('/public').expect(200);
      await t.http().get('/api/v1/public/progress.json').expect(200);
      const cli = await runCliOn(t.database.settings, ['progress', '--as-of', '2026-11-24']);
      expect(cli.code).toBe(0);
      expect(cli.out).toContain('見込みなし（2099年より後）');
    });
  });

  describe('2. dates outside the supported window', () => {
    it('should refuse an import row dated 1867-12-31 with its row and column, writing nothing', async () => {
      const before = await count(`SELECT COUNT(*) AS n FROM items`);
      const path = csvFile('old.csv', [SEAL_HEADER, 'OLD-1,様式,総務課,押印必要,,2026-12-01,,,,,,', 'OLD-2,様式,総務課,押印必要,,1867-12-31,,,,,,', 'OLD-3,様式,総務課,押印必要,,2100-01-01,,,,,,']);
      const response = await upload('seal', path).expect(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ row: 3, column: '予定日', value: '1867-12-31', code: 'date_out_of_range' }),
        expect.objectContaining({ row: 4, column: '予定日', value: '2100-01-01', code: 'date_out_of_range' }),
      ]);
      expect(response.body.errors[0].message).toContain('1989-01-08');
      expect(await count(`SELECT COUNT(*) AS n FROM items`)).toBe(before);
    });

    it('should refuse out-of-window dates on the JSON API and in query parameters with 400', async () => {
      const item = { code: 'OLD-API', name: '様式', division: '総務課', status: 'seal_required' };
      const due = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...item, dueOn: '1800-01-01' }).expect(400);
      expect(JSON.stringify(due.body)).toContain('date_out_of_range');
      const early = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...item, dueOn: '1989-01-07' }).expect(400);
      expect(JSON.stringify(early.body)).toContain('date_out_of_range');
      await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...item, dueOn: '1989-01-08' }).expect(201);
      for (const path of [
        '/api/v1/progress?asOf=1867-12-31',
        '/api/v1/progress?asOf=9999-12-31',
        '/api/v1/progress/overdue?asOf=0001-01-01',
        '/api/v1/progress/series?target=seal-abolition&from=1000-01-01&to=1001-01-01',
        '/api/v1/reports/compliance.xlsx?from=1867-01-01&to=2026-01-01',
        '/api/v1/programs/seal/items.csv?asOf=2100-01-01',
        '/api/v1/organization?asOf=1900-01-01',
        '/api/v1/audit?from=0001-01-01',
        '/api/v1/take-up?from=1900-01&to=2026-10',
      ]) {
        const response = await t.http().get(path).set(auth());
        expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 400, code: 'date_out_of_range' });
      }
    });

    it('should refuse a reorganization dated before the window', async () => {
      const response = await t.http().post('/api/v1/reorganizations?dryRun=true').set(auth()).send({ effectiveOn: '1800-04-01', newDepartments: [{ code: 'DX1', name: '試験部' }] }).expect(400);
      expect(JSON.stringify(response.body)).toContain('date_out_of_range');
    });

    it('should refuse volumes for a month outside the window', async () => {
      const path = csvFile('volumes.csv', ['管理番号,月,オンライン件数,窓口件数', 'MN-01,1900-04,1,1']);
      const response = await t.http().post('/api/v1/volumes').set(auth()).attach('file', path).expect(422);
      expect(response.body.errors[0]).toMatchObject({ row: 2, column: '月', code: 'date_out_of_range' });
    });
  });

  describe('3. targets: validated before the write, and deleted', () => {
    const target = { id: 'seal-extra', program: 'seal', label: '押印廃止（追加分）', deadline: '2027-03-31' };

    it('should refuse a deadline 1000-01-01 with 400 and store nothing', async () => {
      const response = await t.http().post('/api/v1/targets').set(auth()).send({ ...target, deadline: '1000-01-01' }).expect(400);
      expect(JSON.stringify(response.body)).toContain('date_out_of_range');
      await t.http().get('/api/v1/targets/seal-extra').set(auth()).expect(404);
      await t.http().get('/api/v1/targets').set(auth()).expect(200);
      await t.http().get('/api/v1/progress').set(auth()).expect(200);
    });

    it('should refuse a plan month 0001-01 with 400 and keep the plan', async () => {
      const response = await t.http().put('/api/v1/targets/seal-abolition/plan').set(auth()).send({ months: [{ month: '0001-01', planned: 1 }] }).expect(400);
      expect(JSON.stringify(response.body)).toContain('date_out_of_range');
      const plan = await t.http().get('/api/v1/targets/seal-abolition/plan').set(auth()).expect(200);
      expect(plan.body.months).toEqual([]);
    });

    it('should delete a target (admin only), refusing while a plan refers to it', async () => {
      await t.http().post('/api/v1/targets').set(auth()).send(target).expect(201);
      await t.http().put('/api/v1/targets/seal-extra/plan').set(auth()).send({ months: [{ month: '2026-04', planned: 3 }] }).expect(200);
      const viewer = await t.token('viewer');
      await t.http().delete('/api/v1/targets/seal-extra').set(auth(viewer)).expect(403);
      const refused = await t.http().delete('/api/v1/targets/seal-extra').set(auth()).expect(409);
      expect(refused.body).toMatchObject({ code: 'target_in_use', details: { planMonths: 1 } });
      await t.http().get('/api/v1/targets/seal-extra').set(auth()).expect(200);
      await t.http().put('/api/v1/targets/seal-extra/plan').set(auth()).send({ months: [] }).expect(200);
      await t.http().delete('/api/v1/targets/seal-extra').set(auth()).expect(200, { deleted: 'seal-extra' });
      await t.http().get('/api/v1/targets/seal-extra').set(auth()).expect(404);
      await t.http().delete('/api/v1/targets/seal-extra').set(auth()).expect(404);
      const audit = await t.http().get('/api/v1/audit').set(auth()).expect(200);
      expect(audit.body.entries.map((entry: { action: string }) => entry.action)).toContain('target_deleted');
    });
  });

  describe('4. an import stops when the client is gone or its time is spent', () => {
    const lines = [SEAL_HEADER];
    for (let n = 1; n <= 3000; n++) lines.push(`BUD-${n},様式${n},総務課,押印必要,,,,,,,,`);
    const request = (budget: WorkBudget) => ({ program: 'seal' as const, path: csvFile('budget.csv', lines), fileName: 'budget.csv', actor: CLI_ACTOR, dryRun: false, budget });
    const stored = () => count(`SELECT COUNT(*) AS n FROM items WHERE code LIKE 'BUD-%'`);

    it('should stop with time_limit_exceeded once the budget is spent, writing nothing', async () => {
      let now = 0;
      // Each check advances the injected clock by a second: the tenth one passes a 9.5 s limit.
      const budget = new WorkBudget(9_500, undefined, () => (now += 1_000) - 1_000);
      const error = await t.app.get(ImportsService).importFile(request(budget)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'time_limit_exceeded', status: 422 });
      expect(await stored()).toBe(0);
    });

    it('should stop with client_closed when the client has gone away, writing nothing', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await t.app.get(ImportsService).importFile(request(new WorkBudget(0, controller.signal))).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'client_closed' });
      expect(await stored()).toBe(0);
    });

    it('should stop over HTTP when the client disconnects mid-import, writing nothing', async () => {
      const many = [SEAL_HEADER];
      for (let n = 1; n <= 60_000; n++) many.push(`GONE-${n},様式${n},総務課,押印必要,,,,,,,,`);
      const path = csvFile('gone.csv', many);
      const service = t.app.get(ImportsService);
      const original = service.importFile.bind(service);
      let running: Promise<unknown> | undefined;
      const spy = jest.spyOn(service, 'importFile').mockImplementation((request) => {
        running = original(request);
        return running as ReturnType<typeof original>;
      });
      try {
        const server = t.app.getHttpServer() as import('node:http').Server;
        if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as import('node:net').AddressInfo;
        const boundary = 'harden-boundary';
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="gone.csv"\r\nContent-Type: text/csv\r\n\r\n`),
          readFileSync(path),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const http = await import('node:http');
        const request = http.request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/imports/seal',
          headers: { ...auth(), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length },
        });
        request.on('error', () => undefined);
        request.end(body);
        // The upload is in once the handler has started the import: then the client goes away.
        while (!running) await new Promise((resolve) => setTimeout(resolve, 5));
        request.destroy();
        const outcome = await running.then(() => 'finished', (error: unknown) => (error as DomainError).code);
        expect(outcome).toBe('client_closed');
        expect(await count(`SELECT COUNT(*) AS n FROM items WHERE code LIKE 'GONE-%'`)).toBe(0);
      } finally {
        spy.mockRestore();
      }
    }, 60_000);

    it('should stop a volumes import the same way', async () => {
      const volumeLines = ['管理番号,月,オンライン件数,窓口件数'];
      for (let n = 0; n < 600; n++) volumeLines.push(`MN-01,${2020 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')},1,1`);
      const controller = new AbortController();
      controller.abort();
      const volumes = t.app.get(VolumesService);
      const error = await volumes.importFile({ path: csvFile('budget-volumes.csv', volumeLines.slice(0, 60)), fileName: 'v.csv', actor: CLI_ACTOR, dryRun: false, budget: new WorkBudget(0, controller.signal) }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'client_closed' });
      expect(await count(`SELECT COUNT(*) AS n FROM channel_volumes`)).toBe(0);
    });

    it('should finish within a budget it does not spend', async () => {
      const result = await t.app.get(ImportsService).importFile(request(new WorkBudget(0, new AbortController().signal)));
      expect(result.applied).toBe(true);
      expect(await stored()).toBe(3000);
    });
  });

  describe('6. control characters, one rule for every way in', () => {
    const bad = [
      ['ESC', '\u001b[31m赤\u001b[0m', 'U+001B'],
      ['BEL', '様式\u0007', 'U+0007'],
      ['DEL', '様式\u007f', 'U+007F'],
      ['C1 NEL', '様式\u0085', 'U+0085'],
    ] as const;

    it('should refuse them in a CSV import with row, column and value, writing nothing', async () => {
      const lines = [SEAL_HEADER, 'CC-0,様式,総務課,押印必要,,,"備考\r\n二行目\tタブ",,,,,'];
      bad.forEach(([, text], index) => lines.push(`CC-${index + 1},${text},総務課,押印必要,,,,,,,,`));
      lines.push('CC-9,様式,総務課,押印必要,,,備考\u009b,,,,,');
      const response = await upload('seal', csvFile('control.csv', lines)).expect(422);
      expect(response.body.errors).toEqual([
        // the first data row's note spans two lines (2 and 3)
        ...bad.map(([, , codePoint], index) => expect.objectContaining({ row: index + 4, column: '名称', code: 'invalid_character', message: expect.stringContaining(codePoint) })),
        expect.objectContaining({ row: 8, column: '備考', code: 'invalid_character', value: '備考<U+009B>' }),
      ]);
      expect(response.body.errors[0].value).toBe('<U+001B>[31m赤<U+001B>[0m');
      expect(await count(`SELECT COUNT(*) AS n FROM items WHERE code LIKE 'CC-%'`)).toBe(0);
    });

    it('should refuse them in an xlsx import the same way (C1 as it is, C0 as Excel escapes it: _x001B_)', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('押印廃止');
      sheet.addRow(SEAL_HEADER.split(','));
      sheet.addRow(['CX-1', '様式\u0085', '総務課', '押印必要']);
      sheet.addRow(['CX-2', 'ESC-MARK', '総務課', '押印必要']);
      sheet.addRow(['CX-3', 'BEL-MARK', '総務課', '押印必要']);
      sheet.addRow(['CX-4', '様式_x005F_x0041_', '総務課', '押印必要']);
      const written = join(dir, 'control-source.xlsx');
      await workbook.xlsx.writeFile(written);
      const zip = await JSZip.loadAsync(readFileSync(written));
      const strings = (await zip.file('xl/sharedStrings.xml')!.async('string')).replace('ESC-MARK', '_x001B_[31m赤').replace('BEL-MARK', '様式_x0007_');
      zip.file('xl/sharedStrings.xml', strings);
      const path = join(dir, 'control.xlsx');
      writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
      const response = await upload('seal', path).expect(422);
      expect(response.body.errors.map((error: { row: number; column: string; code: string; value: string }) => [error.row, error.column, error.code, error.value])).toEqual([
        [2, '名称', 'invalid_character', '様式<U+0085>'],
        [3, '名称', 'invalid_character', '<U+001B>[31m赤'],
        [4, '名称', 'invalid_character', '様式<U+0007>'],
      ]);
      expect(await count(`SELECT COUNT(*) AS n FROM items WHERE code LIKE 'CX-%'`)).toBe(0);
    });

    it('should refuse the same characters, C1 and DEL included, on the JSON API', async () => {
      for (const [, text, codePoint] of bad) {
        const response = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'CC-API', name: text, division: '総務課', status: 'seal_required' }).expect(400);
        expect(response.body).toMatchObject({ code: 'invalid_character', details: { codePoint } });
      }
    });
  });

  describe('7. the smaller ones', () => {
    it('should answer a 100,000-deep JSON body with 400', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const response = await t.http().post('/api/v1/programs/seal/items').set(auth()).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'too_deep' });
      const object = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
      await t.http().put('/api/v1/targets/seal-abolition/plan').set(auth()).set('Content-Type', 'application/json').send(object).expect(400);
      await t.http().get('/api/v1/me').set(auth()).expect(200);
    });

    it('should fold dashes and letter case in codes like 全角/半角, and keep the export round trip unchanged', async () => {
      await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code: 'dash-01', name: '様式', division: '総務課', status: 'seal_required' }).expect(201);
      for (const code of ['DASH\u201001', 'dash\u221201', 'ｄａｓｈ－０１', 'Dash\u201301']) {
        const response = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code, name: '様式', division: '総務課', status: 'seal_required' });
        expect({ code, status: response.status, error: response.body.code }).toEqual({ code, status: 409, error: expect.any(String) });
      }
      const listed = await t.http().get('/api/v1/programs/seal/items?q=DASH').set(auth()).expect(200);
      expect(listed.body.items.map((item: { code: string }) => item.code)).toEqual(['DASH-01']);
      // a sheet naming it with other dashes and case updates that item
      const path = csvFile('dashes.csv', [SEAL_HEADER, 'dash\u221201,様式（改）,総務課,押印必要,,,,,,,,']);
      const imported = await upload('seal', path).expect(200);
      expect(imported.body.summary).toMatchObject({ created: 0, updated: 1 });
      // the export imports back with every row unchanged
      const exported = await t.http().get('/api/v1/programs/seal/items.csv').set(auth()).buffer(true).parse(binary).expect(200);
      const back = await upload('seal', (writeFileSync(join(dir, 'export.csv'), exported.body), join(dir, 'export.csv'))).expect(200);
      expect(back.body.summary).toMatchObject({ created: 0, updated: 0 });
    });

    it('should cut a 3-million-character value in error messages', async () => {
      const huge = 'x'.repeat(3_000_000);
      const path = csvFile('huge.csv', [SEAL_HEADER, `HUGE-1,様式,総務課,${huge},,,,,,,,`]);
      const response = await t.http().post('/api/v1/imports/seal').set(auth()).attach('file', path);
      expect(response.status).toBe(422);
      const text = JSON.stringify(response.body);
      expect(text.length).toBeLessThan(5_000);
      expect(response.body.errors[0]).toMatchObject({ row: 2, column: '状況', code: 'invalid_status', value: `${'x'.repeat(100)}…` });
      const query = await t.http().get(`/api/v1/progress?asOf=${'9'.repeat(5000)}`).set(auth()).expect(400);
      expect(query.body.message.length).toBeLessThan(300);
    }, 60_000);

    it('should answer a full disk with 507 and a message saying so', async () => {
      const item = { code: 'FULL-1', name: '様式', division: '総務課', status: 'seal_required' };
      if (kind === 'sqlite') {
        // A real SQLITE_FULL: the database may not grow by a single page.
        const data = t.app.get(DataSource);
        const [{ page_count: pages }] = await data.query('PRAGMA page_count');
        await data.query(`PRAGMA max_page_count = ${pages}`);
        try {
          const response = await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ ...item, note: 'x'.repeat(2000) });
          expect(response.status).toBe(507);
          expect(response.body).toMatchObject({ statusCode: 507, code: 'disk_full', message: expect.stringContaining('ディスクがいっぱい') });
        } finally {
          await data.query('PRAGMA max_page_count = 1073741823');
        }
      } else {
        const spy = jest.spyOn(ItemsService.prototype, 'create').mockRejectedValueOnce(Object.assign(new Error('could not extend file'), { driverError: { code: '53100' } }));
        try {
          await t.http().post('/api/v1/programs/seal/items').set(auth()).send(item).expect(507);
        } finally {
          spy.mockRestore();
        }
      }
      await t.http().get('/api/v1/progress').set(auth()).expect(200);
      await t.http().get('/api/v1/items?q=FULL').set(auth());
      expect(await count(`SELECT COUNT(*) AS n FROM items WHERE code = 'FULL-1'`)).toBe(0);
    });
  });

  it('should fold the codes stored before (migration), leaving a pair that would collide as it was', async () => {
    const data = t.app.get(DataSource);
    const p = (index: number) => (kind === 'postgres' ? `$${index}` : '?');
    for (const code of ['MIG-1', 'MIG-2', 'MIG-3']) {
      await t.http().post('/api/v1/programs/seal/items').set(auth()).send({ code, name: '様式', division: '総務課', status: 'seal_required' }).expect(201);
    }
    await data.query(`UPDATE items SET code = ${p(1)} WHERE code = ${p(2)}`, ['mig\u20101', 'MIG-1']);
    await data.query(`UPDATE items SET code = ${p(1)} WHERE code = ${p(2)}`, ['mig-2', 'MIG-3']);
    await t.http().post('/api/v1/targets').set(auth()).send({ id: 'mig-target', program: 'seal', label: '移行', deadline: '2027-03-31', scope: { codes: ['MIG-1'] } }).expect(201);
    await data.query(`UPDATE targets SET scope = ${p(1)} WHERE id = ${p(2)}`, [JSON.stringify({ codes: ['mig\u22121'] }), 'mig-target']);
    const runner = data.createQueryRunner();
    try {
      await new FoldItemCodes1765500000000().up(runner);
    } finally {
      await runner.release();
    }
    const codes = (await data.query(`SELECT code FROM items WHERE UPPER(code) LIKE 'MIG%' ORDER BY code`)).map((row: { code: string }) => row.code);
    expect(codes).toEqual(['MIG-1', 'MIG-2', 'mig-2']);
    const target = await t.http().get('/api/v1/targets/mig-target').set(auth()).expect(200);
    expect(target.body.scope).toEqual({ codes: ['MIG-1'] });
  });
});
