/** Numbers and words as people read them: sizes in SI units, plurals that agree. */

const UNITS = ['kB', 'MB', 'GB', 'TB'];

/** `512 B`, `58.6 MB`: decimal units as npm, pnpm and cargo print them; never `58612 kB`. */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(bytes) || 0)} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

// Whole numbers by hand: the first toLocaleString of a process loads ICU's number formatting, which
// costs more than the rest of a no-op install.
const grouped = (n: number): string => (Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US'));

/** `1 package`, `1,234 packages`; give `many` when adding "s" is wrong. */
export function plural(count: number, one: string, many = `${one}s`): string {
  const n = Number.isFinite(count) ? count : 0;
  return `${grouped(n)} ${n === 1 ? one : many}`;
}
