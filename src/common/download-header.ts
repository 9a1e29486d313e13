// The Content-Disposition of a download the tracker builds (exports, division sheets, 照会 zips).

/** RFC 5987 ext-value: UTF-8, percent-encoded, with the characters encodeURIComponent leaves but attr-char excludes. */
export function rfc5987Encode(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Content-Disposition for a download: the Japanese name as filename* (RFC 5987/6266), and an
 * ASCII name for clients that do not read it.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987Encode(fileName)}`;
}
