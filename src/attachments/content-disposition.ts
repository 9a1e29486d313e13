// `Content-Disposition: attachment` keeping a Japanese file name: an ASCII fallback in `filename`
// for old clients, the real name in `filename*` (RFC 6266 / RFC 5987, UTF-8, percent-encoded).

const RFC5987_UNSAFE = /[^A-Za-z0-9!#$&+.^_`|~-]/g;

export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = Buffer.from(fileName, 'utf8')
    .toString('latin1')
    .replace(RFC5987_UNSAFE, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
