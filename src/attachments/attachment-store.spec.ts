import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AttachmentStore, copyAttachmentFiles } from './attachment-store';

describe('AttachmentStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attach-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const upload = (store: AttachmentStore, name: string, content: string) => {
    fs.mkdirSync(store.uploadDir, { recursive: true });
    const file = path.join(store.uploadDir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  it('should store a file once under its SHA-256 with mode 0600 and leave no temporary file', async () => {
    const store = new AttachmentStore(path.join(dir, 'store'));
    const first = await store.adopt(upload(store, 'u1', 'same bytes'));
    const second = await store.adopt(upload(store, 'u2', 'same bytes'));
    const sha = createHash('sha256').update('same bytes').digest('hex');
    expect(first).toEqual({ sha256: sha, size: 10 });
    expect(second).toEqual(first);
    const stored = store.pathOf(sha);
    expect(fs.readFileSync(stored, 'utf8')).toBe('same bytes');
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(store.dir).sort()).toEqual(['.uploads', sha.slice(0, 2)]);
    expect(fs.readdirSync(store.uploadDir)).toEqual([]);
    expect(fs.readdirSync(path.dirname(stored))).toEqual([sha]);
  });

  it('should adopt an upload by renaming it into place (0600), or drop it when the bytes are already stored', async () => {
    const store = new AttachmentStore(path.join(dir, 'store'));
    fs.mkdirSync(store.uploadDir, { recursive: true });
    const upload = path.join(store.uploadDir, 'abc');
    fs.writeFileSync(upload, 'evidence', { mode: 0o644 });
    const stored = await store.adopt(upload);
    expect(fs.existsSync(upload)).toBe(false);
    expect(fs.readFileSync(store.pathOf(stored.sha256), 'utf8')).toBe('evidence');
    expect(fs.statSync(store.pathOf(stored.sha256)).mode & 0o777).toBe(0o600);
    fs.writeFileSync(upload, 'evidence');
    expect(await store.adopt(upload)).toEqual(stored);
    expect(fs.existsSync(upload)).toBe(false);
    expect(fs.readdirSync(store.uploadDir)).toEqual([]);
  });

  it('should refuse a name that is not a SHA-256 (no path tricks)', () => {
    expect(() => new AttachmentStore(dir).pathOf('../../etc/passwd')).toThrow('not a SHA-256');
  });

  it('should copy every stored file to a backup directory, skipping stray files and ones already there', async () => {
    const store = new AttachmentStore(path.join(dir, 'store'));
    const sa = await store.adopt(upload(store, 'a', 'A'));
    const sb = await store.adopt(upload(store, 'b', 'BB'));
    upload(store, 'in-flight', 'partial');
    const target = path.join(dir, 'backup.sqlite.attachments');
    expect(await copyAttachmentFiles(store.dir, target)).toEqual({ files: 2, bytes: 3 });
    const copy = new AttachmentStore(target);
    expect(fs.readFileSync(copy.pathOf(sa.sha256), 'utf8')).toBe('A');
    expect(fs.readFileSync(copy.pathOf(sb.sha256), 'utf8')).toBe('BB');
    expect(await copyAttachmentFiles(store.dir, target)).toEqual({ files: 0, bytes: 0 });
  });

  it('should make an empty backup directory when nothing was ever attached', async () => {
    const target = path.join(dir, 'out.attachments');
    expect(await copyAttachmentFiles(path.join(dir, 'missing'), target)).toEqual({ files: 0, bytes: 0 });
    expect(fs.existsSync(target)).toBe(true);
  });
});
