import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { inspectZip } from '../sheets/zip-inspect';

// What an evidence file is, decided from its bytes. The name's extension only says what the
// uploader claims; a file whose bytes are something else (a renamed .exe, an .html called .pdf)
// is refused, so a download is always the kind of file its name promises.

export type AttachmentKind = 'pdf' | 'xlsx' | 'docx' | 'png' | 'jpeg';

export const CONTENT_TYPES: Record<AttachmentKind, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  png: 'image/png',
  jpeg: 'image/jpeg',
};

const KIND_LABELS: Record<AttachmentKind, string> = { pdf: 'PDF', xlsx: 'Excel（xlsx）', docx: 'Word（docx）', png: 'PNG 画像', jpeg: 'JPEG 画像' };

const EXTENSIONS: Record<string, AttachmentKind> = {
  '.pdf': 'pdf',
  '.xlsx': 'xlsx',
  '.docx': 'docx',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
};

// The main part's content type in [Content_Types].xml is what tells the two OOXML zips apart
// (a macro-enabled .xlsm/.docm has another one and is not accepted).
const OOXML_MAIN_PARTS: { kind: AttachmentKind; contentType: string }[] = [
  { kind: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml' },
  { kind: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml' },
];

// An attachment's zip is only read for its [Content_Types].xml; these bound that read.
const ZIP_LIMITS = { maxUncompressedBytes: 2 * 1024 * 1024 * 1024, maxEntries: 100_000 };

/** The kind the name claims, or undefined for a name whose extension is not accepted. */
export function kindFromName(fileName: string): AttachmentKind | undefined {
  return EXTENSIONS[path.extname(fileName).toLowerCase()];
}

/** The kind of the first bytes of a file, without the zip's contents ('zip' = look inside). */
export function kindFromMagic(head: Buffer): AttachmentKind | 'zip' | undefined {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  return undefined;
}

/** xlsx or docx from the text of [Content_Types].xml; undefined for any other zip. */
export function kindFromContentTypes(xml: string): AttachmentKind | undefined {
  // Override elements name the part's content type in an attribute; a plain search is enough
  // because we only need to know which main part the package declares.
  return OOXML_MAIN_PARTS.find((part) => xml.includes(`"${part.contentType}"`) || xml.includes(`'${part.contentType}'`))?.kind;
}

/** The kind of the file at `file` from its bytes; undefined when it is none of the accepted ones. */
export async function detectKind(file: string): Promise<AttachmentKind | undefined> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  const magic = kindFromMagic(head);
  if (magic !== 'zip') return magic;
  try {
    const { texts } = await inspectZip(file, ZIP_LIMITS, { verifyAll: false, collect: ['[Content_Types].xml'] });
    const xml = texts.get('[Content_Types].xml');
    return xml === undefined ? undefined : kindFromContentTypes(xml);
  } catch {
    // A damaged zip is not an xlsx or docx; the caller refuses it as such.
    return undefined;
  }
}

/**
 * Checks that `file` is an accepted kind and that its bytes are what `fileName` claims.
 * Throws 400 attachment_type_not_allowed (extension not accepted) or attachment_content_mismatch.
 */
export async function checkAttachmentContent(file: string, fileName: string): Promise<{ kind: AttachmentKind; contentType: string }> {
  const claimed = kindFromName(fileName);
  if (!claimed) {
    throw new DomainError(
      'attachment_type_not_allowed',
      `「${fileName}」は添付できない種類です（PDF・xlsx・docx・PNG・JPEG を添付できます）`,
      400,
      { fileName },
    );
  }
  const actual = await detectKind(file);
  if (actual !== claimed) {
    throw new DomainError(
      'attachment_content_mismatch',
      `「${fileName}」の中身が${KIND_LABELS[claimed]}ではありません（${actual ? `中身は${KIND_LABELS[actual]}` : '中身は対応していない形式'}）。ファイルを確認してください`,
      400,
      { fileName, claimed, actual: actual ?? null },
    );
  }
  return { kind: actual, contentType: CONTENT_TYPES[actual] };
}
