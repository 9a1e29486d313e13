import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

// Content-addressed file store: each file is kept once, at <dir>/<first two hex>/<sha256>. Writes
// go to a temporary file in the same directory, are flushed, and only then renamed into place, so
// a crash never leaves a partial file under a real name; a name always holds the bytes it names.

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

  /** Copies `source` into the store (hashing on the way) and returns its address. */
  async put(source: string): Promise<StoredFile> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = path.join(this.dir, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(source), counter, createWriteStream(temp, { mode: 0o600, flags: 'wx' }));
      const handle = await fs.open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // Same bytes already stored: keep the existing file (same name, same content).
      if (await exists(target)) await fs.rm(temp, { force: true });
      else await fs.rename(temp, target);
      return { sha256, size };
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
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
