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

/** `1 package`, `1,234 packages`; give `many` when adding "s" is wrong. */
export function plural(count: number, one: string, many = `${one}s`): string {
  const n = Number.isFinite(count) ? count : 0;
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
