import { createReadStream } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { sheetErrors, SheetFormatError } from './sheet-errors';
import type { SheetReadStats } from './sheet-reader';

// A small reader of the zip end records, run before exceljs touches an xlsx. exceljs inflates with
// unzipper's sequential parser, which trusts nothing but the compressed stream and happily inflates
// a 1 MB bomb to gigabytes; it also hangs or throws from odd places on truncated archives. Here we
// read the central directory, check that the archive is laid out the way a sequential parser will
// see it, and (when asked) inflate every entry once, counting bytes, without keeping the output.

export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number;
  maxEntries: number;
}

export interface ZipEntryInfo {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Offset of the entry's compressed bytes, from its local header. */
  dataOffset: number;
}

export interface ZipInspection {
  entries: ZipEntryInfo[];
  /** Texts of the entries asked for in `collect` (UTF-8), when present. */
  texts: Map<string, string>;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
// Collected entries (workbook.xml and its rels) are small; a bigger one is not a real workbook.
const MAX_COLLECTED_BYTES = 16 * 1024 * 1024;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

function corrupt(reason: string): SheetFormatError {
  return sheetErrors.unreadable(reason);
}

function u64(buf: Buffer, offset: number): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('zip64_size_overflow');
  return Number(v);
}

interface EndRecord {
  entryCount: number;
  cdSize: number;
  cdOffset: number;
  /** Where the end records start: the central directory must end at or before it. */
  endOffset: number;
}

async function readEndRecord(handle: FileHandle, fileSize: number): Promise<EndRecord> {
  if (fileSize < EOCD_SIZE) throw corrupt('too_short_for_zip');
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  // The comment may itself contain the signature: take the last record whose comment length fits.
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corrupt('no_end_of_central_directory');
  const eocdOffset = tailStart + at;
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  let entryCount = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  let endOffset = eocdOffset;
  if (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    if (eocdOffset < 20) throw corrupt('zip64_locator_missing');
    const locator = await readAt(handle, eocdOffset - 20, 20);
    if (locator.length < 20 || locator.readUInt32LE(0) !== SIG_ZIP64_LOCATOR) throw corrupt('zip64_locator_missing');
    const z64Offset = u64(locator, 8);
    const z64 = await readAt(handle, z64Offset, 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw corrupt('zip64_end_record_missing');
    if (z64.readUInt32LE(16) !== 0 || z64.readUInt32LE(20) !== 0) throw corrupt('multi_disk_zip');
    entryCount = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
    endOffset = z64Offset;
  } else if (disk !== 0 || cdDisk !== 0) {
    throw corrupt('multi_disk_zip');
  }
  if (cdOffset + cdSize > endOffset) throw corrupt('central_directory_out_of_bounds');
  return { entryCount, cdSize, cdOffset, endOffset };
}

function parseCentralDirectory(cd: Buffer, expected: number, limits: ZipLimits): Omit<ZipEntryInfo, 'dataOffset'>[] {
  const entries: Omit<ZipEntryInfo, 'dataOffset'>[] = [];
  let p = 0;
  while (p + 46 <= cd.length) {
    if (cd.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt('bad_central_directory_signature');
    if (entries.length >= limits.maxEntries) throw corrupt('too_many_zip_entries');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw corrupt('central_directory_truncated');
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    // Zip64 extra field: only the fields saturated in the fixed header are present, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const size = cd.readUInt16LE(e + 2);
      if (e + 4 + size > extraEnd) break;
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + size) throw corrupt('zip64_extra_truncated');
          const v = u64(cd, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e += 4 + size;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    p = end;
  }
  if (entries.length !== expected) throw corrupt('central_directory_count_mismatch');
  return entries;
}

function descriptorGapOk(gap: number, previous: ZipEntryInfo | undefined): boolean {
  if (gap === 0) return true;
  // A data descriptor (with or without its signature, 32- or 64-bit sizes) may follow an entry.
  return previous !== undefined && (previous.flags & 0x08) !== 0 && [12, 16, 20, 24].includes(gap);
}

async function checkLocalHeaders(
  handle: FileHandle,
  raw: Omit<ZipEntryInfo, 'dataOffset'>[],
  cdOffset: number,
): Promise<ZipEntryInfo[]> {
  const sorted = [...raw].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const out: ZipEntryInfo[] = [];
  let expectedOffset = 0;
  let previous: ZipEntryInfo | undefined;
  for (const entry of sorted) {
    // unzipper walks local headers one after another: anything hidden in a gap would be parsed
    // by it without ever being listed in the directory we check.
    if (!descriptorGapOk(entry.localHeaderOffset - expectedOffset, previous)) throw corrupt('zip_layout_has_gaps');
    const header = await readAt(handle, entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== SIG_LOCAL) throw corrupt('bad_local_header');
    const localFlags = header.readUInt16LE(6);
    const localMethod = header.readUInt16LE(8);
    const localCompressed = header.readUInt32LE(18);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    if (localMethod !== entry.method) throw corrupt('local_header_mismatch');
    // unzipper trusts the local size unless the descriptor flag is set and the size is 0.
    const localSizeUnknown = (localFlags & 0x08) !== 0 && localCompressed === 0;
    if (!localSizeUnknown && localCompressed !== 0xffffffff && localCompressed !== entry.compressedSize) {
      throw corrupt('local_header_mismatch');
    }
    const dataOffset = entry.localHeaderOffset + 30 + nameLength + extraLength;
    const info: ZipEntryInfo = { ...entry, flags: entry.flags | (localFlags & 0x08), dataOffset };
    out.push(info);
    expectedOffset = dataOffset + entry.compressedSize;
    if (expectedOffset > cdOffset) throw corrupt('entry_overlaps_central_directory');
    previous = info;
  }
  if (!descriptorGapOk(cdOffset - expectedOffset, previous)) throw corrupt('zip_layout_has_gaps');
  return out;
}

/** Inflates one entry, counting; keeps the text only when `keep` is set. */
async function inflateEntry(path: string, entry: ZipEntryInfo, keep: boolean, limits: ZipLimits, stats?: SheetReadStats): Promise<string | undefined> {
  if (entry.compressedSize === 0) {
    if (entry.uncompressedSize !== 0) throw corrupt('entry_size_mismatch');
    return keep ? '' : undefined;
  }
  const source = createReadStream(path, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1 });
  const inflater = entry.method === 8 ? createInflateRaw() : null;
  const chunks: Buffer[] = [];
  let produced = 0;
  const overshoot = (): SheetFormatError =>
    // More output than declared is what a crafted bomb does: refuse it as too large, right away.
    sheetErrors.fileTooLarge(limits.maxUncompressedBytes, 'uncompressed', produced);
  try {
    const output: AsyncIterable<Buffer> = inflater ? source.pipe(inflater) : source;
    // Errors of the file stream are not forwarded by pipe(): forward them to the inflater.
    source.on('error', (err) => inflater?.destroy(err));
    for await (const chunk of output) {
      produced += chunk.length;
      if (stats) stats.bytesInflated += chunk.length;
      if (produced > entry.uncompressedSize) throw overshoot();
      if (keep) {
        if (produced > MAX_COLLECTED_BYTES) throw corrupt('workbook_part_too_large');
        chunks.push(chunk);
      }
    }
  } catch (err) {
    if (err instanceof SheetFormatError) throw err;
    throw sheetErrors.unreadable('inflate_failed', err);
  } finally {
    source.destroy();
    inflater?.destroy();
  }
  if (produced !== entry.uncompressedSize) throw corrupt('entry_size_mismatch');
  return keep ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/**
 * Checks an xlsx (zip) container. With `verifyAll`, every entry is inflated once and counted, so a
 * crafted size field cannot smuggle a bomb past the limit. Throws SheetFormatError
 * (`unreadable_file`, `file_too_large`, `unsupported_format` for encrypted entries).
 */
export async function inspectZip(
  path: string,
  limits: ZipLimits,
  options: { verifyAll: boolean; collect: string[]; stats?: SheetReadStats },
): Promise<ZipInspection> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw sheetErrors.unreadable('open_failed', err);
  }
  let entries: ZipEntryInfo[];
  try {
    const { size } = await handle.stat();
    const end = await readEndRecord(handle, size);
    if (end.entryCount > limits.maxEntries) throw corrupt('too_many_zip_entries');
    const cd = await readAt(handle, end.cdOffset, end.cdSize);
    if (cd.length !== end.cdSize) throw corrupt('central_directory_truncated');
    const raw = parseCentralDirectory(cd, end.entryCount, limits);
    const declared = raw.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (declared > limits.maxUncompressedBytes) throw sheetErrors.fileTooLarge(limits.maxUncompressedBytes, 'uncompressed', declared);
    for (const e of raw) {
      if (e.flags & 0x01) throw sheetErrors.unsupportedFormat({ reason: 'encrypted_zip_entry' });
      if (e.method !== 0 && e.method !== 8) throw corrupt('unsupported_compression_method');
      if (e.method === 0 && e.compressedSize !== e.uncompressedSize) throw corrupt('entry_size_mismatch');
    }
    entries = await checkLocalHeaders(handle, raw, end.cdOffset);
  } finally {
    await handle.close();
  }

  const texts = new Map<string, string>();
  const wanted = new Set(options.collect);
  for (const entry of entries) {
    const keep = wanted.has(entry.name);
    if (!keep && !options.verifyAll) continue;
    const text = await inflateEntry(path, entry, keep, limits, options.stats);
    if (keep && text !== undefined) texts.set(entry.name, text);
  }
  return { entries, texts };
}
