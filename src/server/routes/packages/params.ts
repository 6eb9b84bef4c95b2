import { notFound } from '../../../errors.ts';
import { parseVersion } from '../../../names.ts';

export const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 214 } },
  required: ['name'],
} as const;

export const versionParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 214 }, version: { type: 'string', maxLength: 256 } },
  required: ['name', 'version'],
} as const;

/** A version from the URL; one that cannot exist is simply not found. */
export function versionFromPath(name: string, input: string): string {
  const parsed = parseVersion(input);
  if (!parsed.ok) throw notFound('version_not_found', `${name} has no version ${input}`);
  return parsed.value;
}
