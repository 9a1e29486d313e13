import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pdfBytes } from './support/stored-zip';
import { createItem } from './support/factories';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// A program whose definition says evidenceForDone: a change into a done state needs a file first.

describe.each(databaseKinds())('evidence for a done state on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-evidence-'));
    t = await startTestApp(kind, { config: { attachmentsDir: path.join(dir, 'attachments') } });
    // the program definition says so: PUT the seal program's document with evidenceForDone
    const document = (await t.http().get('/api/v1/programs/seal/document').set(auth()).expect(200)).body;
    await t.http().put('/api/v1/programs/seal').set(auth()).send({ ...document, evidenceForDone: true }).expect(200);
    expect((await t.http().get('/api/v1/programs/seal').set(auth()).expect(200)).body.evidenceForDone).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse a document whose evidenceForDone is not a boolean', async () => {
    const document = (await t.http().get('/api/v1/programs/seal/document').set(auth()).expect(200)).body;
    expect(document.evidenceForDone).toBe(true);
    const refused = await t.http().put('/api/v1/programs/seal').set(auth()).send({ ...document, evidenceForDone: 'yes' }).expect(400);
    expect(JSON.stringify(refused.body)).toContain('evidenceForDone');
  });

  it('should refuse 廃止済 without an attachment (evidence_required, nothing written) and accept it after one', async () => {
    const created = await createItem(t, 'seal', { code: 'EVD-1', name: '印鑑登録申請書', division: '市民課' });
    const refused = await t.http().patch(`/api/v1/items/${created.id}`).set(auth()).send({ status: '廃止済', version: created.version }).expect(400);
    expect(refused.body).toMatchObject({ statusCode: 400, code: 'evidence_required', message: expect.stringContaining('EVD-1') });
    const unchanged = await t.http().get(`/api/v1/items/${created.id}`).set(auth()).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'seal_required', version: created.version });
    // other changes than into a done state are not held up
    const reviewing = await t.http().patch(`/api/v1/items/${created.id}`).set(auth()).send({ status: '検討中', version: created.version }).expect(200);

    const file = path.join(dir, 'amended.pdf');
    fs.writeFileSync(file, pdfBytes());
    await t.http().post(`/api/v1/items/${created.id}/attachments`).set(auth()).attach('file', file, '改正後様式.pdf').expect(201);
    const done = await t.http().patch(`/api/v1/items/${created.id}`).set(auth()).send({ status: '廃止済', version: reviewing.body.version }).expect(200);
    expect(done.body.status).toBe('abolished');
  });

  it('should refuse an import row that makes a stored item 廃止済 without an attachment, naming the row (nothing written)', async () => {
    const created = await createItem(t, 'seal', { code: 'EVD-2', name: '転入届', division: '市民課' });
    const sheet = path.join(dir, 'evidence.csv');
    fs.writeFileSync(sheet, '管理番号,名称,所管課,状況\r\nEVD-2,転入届,市民課,廃止済\r\nEVD-3,新しい様式,市民課,廃止済\r\nEVD-1,印鑑登録申請書,市民課,廃止済\r\n');
    const refused = await t.http().post('/api/v1/imports/seal').set(auth()).attach('file', sheet).expect(422);
    expect(refused.body.applied).toBe(false);
    // EVD-1 (already done, with its file) and the new EVD-3 are not held up: one error only
    expect(refused.body.errors).toEqual([{ row: 2, column: '状況', value: '廃止済', code: 'evidence_required', message: expect.stringContaining('EVD-2') }]);
    expect((await t.http().get(`/api/v1/items/${created.id}`).set(auth()).expect(200)).body.status).toBe('seal_required');
  });

  it('should refuse a bulk change that makes an item without an attachment 廃止済 (nothing written), and apply it once the file is there', async () => {
    const bare = await createItem(t, 'seal', { code: 'EVD-4', name: '住民票の写し交付申請書', division: '市民課' });
    const other = await createItem(t, 'seal', { code: 'EVD-5', name: '印鑑登録証明書交付申請書', division: '市民課' });
    const file = path.join(dir, 'amended-5.pdf');
    fs.writeFileSync(file, pdfBytes());
    await t.http().post(`/api/v1/items/${other.id}/attachments`).set(auth()).attach('file', file, '改正後様式.pdf').expect(201);
    const refused = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ ids: [bare.id, other.id], status: '廃止済' }).expect(422);
    expect(refused.body.code).toBe('evidence_required');
    expect(refused.body.details.errors).toEqual([expect.objectContaining({ id: bare.id, code: 'evidence_required' })]);
    for (const id of [bare.id, other.id]) {
      expect((await t.http().get(`/api/v1/items/${id}`).set(auth()).expect(200)).body.status).toBe('seal_required');
    }
    await t.http().post(`/api/v1/items/${bare.id}/attachments`).set(auth()).attach('file', file, '改正後様式.pdf').expect(201);
    const applied = await t.http().post('/api/v1/programs/seal/items/bulk').set(auth()).send({ ids: [bare.id, other.id], status: '廃止済' }).expect(200);
    expect(applied.body).toMatchObject({ matched: 2, updated: 2 });
  });
});
