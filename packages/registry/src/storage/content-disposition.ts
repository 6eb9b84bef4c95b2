/**
 * An `attachment` Content-Disposition with a plain ASCII fallback plus the exact UTF-8 name
 * (RFC 6266 / RFC 8187), so quotes or non-ASCII in a filename cannot break the header.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
