/** `NAME[@RANGE]` or `NAME@TAG` as typed on the command line. */
import { userError } from './errors.ts';
import { parseDistTag, parsePackageName, parseRange } from '../../core/src/names.ts';

export interface Spec {
  name: string;
  range?: string;
  /** A dist-tag (`beta`, `next`, `latest`): what follows the @ when it is not a version range. */
  tag?: string;
}

/**
 * Splits and checks `NAME[@RANGE]` or `NAME@TAG`; a bad name, range or tag is a user error. After the
 * @, a valid range is a range, and anything else that matches the tag pattern is a tag (the registry
 * refuses tag names that read as ranges, so the two never overlap).
 */
export function parseSpec(text: string): Spec {
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const after = at === -1 ? undefined : text.slice(at + 1);
  const parsedName = parsePackageName(name);
  if (!parsedName.ok) throw userError('invalid_spec', `"${name}": ${parsedName.message}`);
  if (after === undefined) return { name };
  if (after.trim() === '') throw userError('invalid_spec', `"${text}": the range after @ is empty`);
  const parsedRange = parseRange(after);
  if (parsedRange.ok) return { name, range: after.trim() };
  const parsedTag = parseDistTag(after);
  if (parsedTag.ok) return { name, tag: parsedTag.value };
  throw userError(
    'invalid_spec',
    `"${text}": after @ comes a version range (such as ^1.2.0) or a dist-tag (such as beta); ${parsedRange.message}`,
  );
}
