/**
 * Colour for the `error:` and `warning:` prefixes, as cargo and npm print them: on a terminal only,
 * never with NO_COLOR, always with FORCE_COLOR (which wins over NO_COLOR, as in Node itself).
 */
import type { Env } from './paths.ts';

export function colorEnabled(stream: { isTTY?: boolean }, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const RED_BOLD = ['\x1b[1;31m', '\x1b[0m'] as const;
const YELLOW_BOLD = ['\x1b[1;33m', '\x1b[0m'] as const;

/**
 * The text with a leading `error:` (red) or `warning:` (yellow) coloured when `color`; the rest
 * untouched. Applied after terminalSafe, so these are the only escape sequences printed.
 */
export function paintPrefix(text: string, color: boolean): string {
  if (!color) return text;
  return text.replace(/^(error|warning):/gm, (prefix) => {
    const [on, off] = prefix === 'error:' ? RED_BOLD : YELLOW_BOLD;
    return `${on}${prefix}${off}`;
  });
}
