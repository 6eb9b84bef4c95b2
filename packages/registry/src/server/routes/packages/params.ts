import { notFound } from '../../../../../core/src/errors.ts';
import { parseVersion } from '../../../../../core/src/names.ts';

// No length limits here: a name or version that cannot exist is a 404 from the lookup, not a 400.
export const nameParams = {
  type: 'object',
  properties: { name: { type: 'string' } },
  required: ['name'],
} as const;

export const versionParams = {
  type: 'object',
  properties: { name: { type: 'string' }, version: { type: 'string' } },
  required: ['name', 'version'],
} as const;

/** A version from the URL; one that cannot exist is simply not found. */
export function versionFromPath(name: string, input: string): string {
  const parsed = parseVersion(input);
  if (!parsed.ok) throw notFound('version_not_found', `${name} has no version ${input}`);
  return parsed.value;
}

export const tagParams = {
  type: 'object',
  properties: { name: { type: 'string' }, tag: { type: 'string' } },
  required: ['name', 'tag'],
} as const;
