import * as Encoding from 'encoding-japanese';

// Text encodings the CSV reader accepts. Japanese Windows Excel saves "CSV" as Shift_JIS, which in
// practice is Microsoft's CP932: plain Shift_JIS tables lose 髙, ①, ㈱ and other NEC/IBM extensions.
export type TextEncoding = 'utf-8' | 'cp932';

/** What the sniffer saw; the reader refuses everything but the two supported encodings. */
export type SniffedEncoding = TextEncoding | 'utf-16le' | 'utf-16be' | 'unknown';

/** How much of the file the CSV reader looks at to choose the encoding. */
export const SNIFF_BYTES = 64 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function hasUtf8Bom(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === UTF8_BOM[0] && head[1] === UTF8_BOM[1] && head[2] === UTF8_BOM[2];
}

function isAscii(head: Uint8Array): boolean {
  for (let i = 0; i < head.length; i++) if (head[i] > 0x7f) return false;
  return true;
}

/**
 * Drops a UTF-8 sequence cut off by the end of the sniffed slice, so that a file that is valid
 * UTF-8 is not rejected just because the 64 KB window ends inside a character.
 */
function withoutCutUtf8Tail(head: Uint8Array): Uint8Array {
  const end = head.length;
  // A sequence is at most 4 bytes: look back at most 3 bytes for its lead byte.
  for (let back = 1; back <= Math.min(3, end); back++) {
    const b = head[end - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? head.subarray(0, end - back) : head;
  }
  return head;
}

function isStrictUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function looksLikeShiftJis(head: Uint8Array): boolean {
  // The window may end between a lead and a trail byte; retry without the last byte.
  return Encoding.detect(head, 'SJIS') === 'SJIS' || (head.length > 1 && Encoding.detect(head.subarray(0, head.length - 1), 'SJIS') === 'SJIS');
}

/** Full verdict on the first bytes of a text file (the CSV reader uses this one). */
export function sniffEncoding(head: Uint8Array): SniffedEncoding {
  if (hasUtf8Bom(head)) return 'utf-8';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (isAscii(head)) return 'utf-8';
  if (isStrictUtf8(withoutCutUtf8Tail(head))) return 'utf-8';
  if (looksLikeShiftJis(head)) return 'cp932';
  return 'unknown';
}

/**
 * UTF-8 (with or without BOM; pure ASCII counts as UTF-8) or CP932. Anything that is neither is
 * reported as CP932, the best guess for a Japanese office file; the reader then refuses it when
 * it does not decode cleanly.
 */
export function detectEncoding(head: Buffer): TextEncoding {
  const sniffed = sniffEncoding(head);
  return sniffed === 'utf-8' ? 'utf-8' : 'cp932';
}
