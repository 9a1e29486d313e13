import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

// Content-addressed file store: each file is kept once, at <dir>/<first two hex>/<sha256>. Uploads
// land in <dir>/.uploads (same file system), are flushed, and only then renamed into place, so a
// crash never leaves a partial file under a real name; a name always holds the bytes it names.

const SHA256 = /^[0-9a-f]{64}$/;

export interface StoredFile {
  sha256: string;
  size: number;
}

export class AttachmentStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Where uploads land first (multer's dest): inside the store's directory, so adopting one is a rename. */
  get uploadDir(): string {
    return path.join(this.dir, '.uploads');
  }

  /**
   * Moves an uploaded file of this store's file system (see uploadDir) into place under its
   * SHA-256: hashed, flushed, mode 0600, renamed. The upload is gone afterwards.
   */
  async adopt(upload: string): Promise<StoredFile> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(upload)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    if (await exists(target)) {
      await fs.rm(upload, { force: true });
      return { sha256, size };
    }
    await fs.chmod(upload, 0o600);
    const handle = await fs.open(upload, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(upload, target);
    return { sha256, size };
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies every stored file of `sourceDir` to `targetDir` (same layout), skipping temporary files
 * and files already there. Returns the number of files and bytes copied. Used by `backup`.
 */
export async function copyAttachmentFiles(sourceDir: string, targetDir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let prefixes: string[];
  try {
    prefixes = (await fs.readdir(sourceDir, { withFileTypes: true })).filter((entry) => entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') prefixes = [];
    else throw error;
  }
  await fs.mkdir(targetDir, { recursive: true, mode: 0o700 });
  const target = new AttachmentStore(targetDir);
  for (const prefix of prefixes.sort()) {
    for (const name of (await fs.readdir(path.join(sourceDir, prefix))).sort()) {
      if (!SHA256.test(name)) continue;
      const destination = target.pathOf(name);
      if (await exists(destination)) continue;
      await fs.mkdir(path.dirname(destination), { recursive: true, mode: 0o700 });
      // Through a temporary name as well: a backup cut short never holds a partial file.
      const temp = `${destination}.partial-${process.pid}`;
      await fs.copyFile(path.join(sourceDir, prefix, name), temp);
      await fs.chmod(temp, 0o600);
      await fs.rename(temp, destination);
      files++;
      bytes += (await fs.stat(destination)).size;
    }
  }
  return { files, bytes };
}
