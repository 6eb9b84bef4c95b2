/** `NAME[@RANGE]` as typed on the command line. */
import { userError } from './errors.ts';
import { parsePackageName, parseRange } from '../names.ts';

export interface Spec {
  name: string;
  range?: string;
}

/** Splits and checks `NAME[@RANGE]`; a bad name or range is a user error. */
export function parseSpec(text: string): Spec {
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const range = at === -1 ? undefined : text.slice(at + 1);
  const parsedName = parsePackageName(name);
  if (!parsedName.ok) throw userError('invalid_spec', `"${name}": ${parsedName.message}`);
  if (range !== undefined) {
    const parsedRange = parseRange(range);
    if (!parsedRange.ok || range.trim() === '') throw userError('invalid_spec', `"${text}": ${parsedRange.ok ? 'the range after @ is empty' : parsedRange.message}`);
  }
  return range === undefined ? { name } : { name, range: range.trim() };
}
