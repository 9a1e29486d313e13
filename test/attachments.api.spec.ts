import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { runCliOn } from './support/run-cli';
import { binary } from './support/responses';
import { docxBytes, pdfBytes, pngBytes, xlsxBytes } from './support/stored-zip';
import { databaseKinds, startTestApp, TestApp, testConfig } from './support/test-app';

// Evidence files (根拠資料): attach, list, download under the original name; the type is read from
// the bytes; the size limit; who may attach; and the files come along in a backup.

const LIMIT_MB = 1;

describe.each(databaseKinds())('evidence files on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  let attachmentsDir: string;
  let editor: string;
  let otherEditor: string;
  let viewer: string;
  let itemId: number;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  const file = (name: string, bytes: Buffer) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, bytes);
    return target;
  };
  const attach = (token: string, id: number, name: string, bytes: Buffer) =>
    t.http().post(`/api/v1/items/${id}/attachments`).set(bearer(token)).attach('file', file(`upload-${Math.random().toString(36).slice(2)}`, bytes), name);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-attach-'));
    attachmentsDir = path.join(dir, 'attachments');
    t = await startTestApp(kind, { config: { attachmentsDir, attachmentLimitBytes: LIMIT_MB * 1024 * 1024 } });
    editor = await t.token('editor', '市民安全部');
    otherEditor = await t.token('editor', '行政管理部');
    viewer = await t.token('viewer');
    const created = await t
      .http()
      .post('/api/v1/programs/seal/items')
      .set(bearer(t.adminToken))
      .send({ code: 'EV-1', name: '住民票の写し交付申請書', division: '市民課', status: '押印必要' })
      .expect(201);
    itemId = created.body.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should attach a PDF for an editor of the item department, store it by SHA-256 with mode 0600, and list it', async () => {
    const bytes = pdfBytes('改正後の様式');
    const response = await attach(editor, itemId, '改正後 様式（第1号）.pdf', bytes).expect(201);
    expect(response.body).toMatchObject({
      itemId,
      fileName: '改正後 様式（第1号）.pdf',
      size: bytes.length,
      contentType: 'application/pdf',
      uploadedBy: expect.stringMatching(/^editor-/),
      uploadedAt: '2026-11-24T01:00:00.000Z',
      url: `/api/v1/attachments/${response.body.id}`,
    });
    const stored = path.join(attachmentsDir, response.body.sha256.slice(0, 2), response.body.sha256);
    expect(fs.readFileSync(stored)).toEqual(bytes);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);

    await attach(t.adminToken, itemId, 'photo.png', pngBytes()).expect(201);
    await attach(t.adminToken, itemId, '一覧.xlsx', xlsxBytes()).expect(201);
    await attach(t.adminToken, itemId, '規定.docx', docxBytes()).expect(201);
    const list = await t.http().get(`/api/v1/items/${itemId}/attachments`).set(bearer(viewer)).expect(200);
    expect(list.body.attachments.map((a: { fileName: string; contentType: string }) => [a.fileName, a.contentType])).toEqual([
      ['改正後 様式（第1号）.pdf', 'application/pdf'],
      ['photo.png', 'image/png'],
      ['一覧.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['規定.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ]);
  });

  it('should let any reader download it with the original name, attachment disposition and nosniff', async () => {
    const [first] = (await t.http().get(`/api/v1/items/${itemId}/attachments`).set(bearer(viewer)).expect(200)).body.attachments;
    const response = await t
      .http()
      .get(first.url)
      .set(bearer(viewer))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);
    expect(decodeURIComponent(response.headers['content-disposition'].split("UTF-8''")[1])).toBe('改正後 様式（第1号）.pdf');
    expect(response.body).toEqual(pdfBytes('改正後の様式'));
  });

  it('should refuse a file whose bytes are not what its name says, and a kind that is not accepted', async () => {
    const renamed = await attach(editor, itemId, '改正様式.pdf', docxBytes()).expect(400);
    expect(renamed.body).toMatchObject({ statusCode: 400, code: 'attachment_content_mismatch', message: expect.stringContaining('改正様式.pdf') });
    const html = await attach(editor, itemId, 'page.pdf', Buffer.from('<html><script>alert(1)</script></html>')).expect(400);
    expect(html.body.code).toBe('attachment_content_mismatch');
    const exe = await attach(editor, itemId, 'tool.exe', Buffer.from('MZ\u0090\u0000')).expect(400);
    expect(exe.body.code).toBe('attachment_type_not_allowed');
    const list = await t.http().get(`/api/v1/items/${itemId}/attachments`).set(bearer(viewer)).expect(200);
    expect(list.body.attachments).toHaveLength(4);
  });

  it('should refuse a file over ATTACHMENT_LIMIT_MB with 413 attachment_too_large', async () => {
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(LIMIT_MB * 1024 * 1024)]);
    const response = await attach(editor, itemId, 'big.pdf', big).expect(413);
    expect(response.body).toEqual({ statusCode: 413, code: 'attachment_too_large', message: expect.stringContaining('1 MB'), details: { limitMb: 1 } });
    // neither the refused uploads nor the accepted ones leave anything in the upload directory
    expect(fs.readdirSync(path.join(attachmentsDir, '.uploads'))).toEqual([]);
  });

  it("should refuse an editor of another department and a viewer, and 404 an unknown item or file", async () => {
    const other = await attach(otherEditor, itemId, 'x.pdf', pdfBytes()).expect(403);
    expect(other.body.code).toBe('forbidden');
    await attach(viewer, itemId, 'x.pdf', pdfBytes()).expect(403);
    expect((await attach(t.adminToken, 999999, 'x.pdf', pdfBytes()).expect(404)).body.code).toBe('not_found');
    await t.http().get('/api/v1/attachments/999999').set(bearer(viewer)).expect(404);
    await t.http().get(`/api/v1/attachments/1`).expect(401);
  });

  it('should record attachments and downloads in the audit log', async () => {
    const audit = await t.http().get('/api/v1/audit').set(bearer(t.adminToken)).expect(200);
    const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
    expect(actions.filter((action: string) => action === 'attachment_added')).toHaveLength(4);
    expect(actions).toContain('attachment_downloaded');
    const added = audit.body.entries.find((entry: { action: string }) => entry.action === 'attachment_added');
    expect(added.detail).toMatchObject({ itemId, item: 'EV-1', fileName: '改正後 様式（第1号）.pdf', contentType: 'application/pdf' });
  });

  if (kind === 'sqlite') {
    it('should copy the files with backup --out FILE to FILE.attachments and serve them from the restored copy', async () => {
      const out = path.join(dir, 'backup', 'tracker.sqlite');
      const previous = process.env.ATTACHMENTS_DIR;
      process.env.ATTACHMENTS_DIR = attachmentsDir;
      let result: { code: number; out: string };
      try {
        result = await runCliOn(t.database.settings, ['backup', '--out', out, '--json']);
      } finally {
        if (previous === undefined) delete process.env.ATTACHMENTS_DIR;
        else process.env.ATTACHMENTS_DIR = previous;
      }
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out).attachments).toEqual({ dir: `${out}.attachments`, files: 4, bytes: expect.any(Number) });

      const restored = await createHttpApp({
        config: testConfig({ type: 'sqlite', path: out }, { attachmentsDir: `${out}.attachments` }),
        clock: new FixedClock(t.clock.now()),
        logger: false,
        loadReference: false,
      });
      try {
        const list = await request(restored.getHttpServer()).get(`/api/v1/items/${itemId}/attachments`).set(bearer(viewer)).expect(200);
        expect(list.body.attachments).toHaveLength(4);
        for (const attachment of list.body.attachments as { url: string; size: number; sha256: string }[]) {
          const download = await request(restored.getHttpServer())
            .get(attachment.url)
            .set(bearer(viewer))
            .buffer(true)
            .parse(binary)
            .expect(200);
          expect(download.body).toEqual(fs.readFileSync(path.join(attachmentsDir, attachment.sha256.slice(0, 2), attachment.sha256)));
        }
      } finally {
        await restored.close();
      }
    }, 60_000);
  }
});
