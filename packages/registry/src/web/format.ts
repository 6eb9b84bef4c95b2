/** Small formatters the templates share (plain text out; the template layer escapes it). */

/** `12,345`: thousands separated (Intl.NumberFormat costs a microsecond a call; a chart makes 90). */
export const formatNumber = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `2026-12-03` from an ISO timestamp (UTC, like every time the registry stores). */
export const formatDate = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Path of a package page (names hold no character that needs escaping, but a version may). */
export const packagePath = (name: string, version?: string): string =>
  `/packages/${encodeURIComponent(name)}${version === undefined ? '' : `/${encodeURIComponent(version)}`}`;

export const userPath = (username: string): string => `/users/${encodeURIComponent(username)}`;

/** A link from the manifest, only when it is http(s); anything else is shown as text. */
export const safeUrl = (url: string | null): string | null => (url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null);

export const fmt = { number: formatNumber, date: formatDate, bytes: formatBytes, packagePath, userPath, safeUrl };
export type Fmt = typeof fmt;
