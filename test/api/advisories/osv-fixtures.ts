/** OSV documents for tests: one affected package, one SEMVER range, a CVSS 3.1 vector unless a level is given. */
import type { OsvEvent } from '../../../packages/registry/src/advisories/affects.ts';

export interface OsvOptions {
  id?: string;
  name: string;
  events: OsvEvent[];
  aliases?: string[];
  /** database_specific.severity (LOW, MODERATE, HIGH, CRITICAL); without it the CVSS vector decides. */
  level?: string;
  summary?: string;
  modified?: string;
}

export const CRITICAL_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

export function osv(options: OsvOptions) {
  return {
    schema_version: '1.4.0',
    id: options.id ?? 'GHSA-test',
    modified: options.modified ?? '2025-05-01T00:00:00Z',
    published: '2025-05-01T00:00:00Z',
    aliases: options.aliases ?? [],
    summary: options.summary ?? `A flaw in ${options.name}`,
    details: 'Details of the flaw.',
    severity: options.level ? [] : [{ type: 'CVSS_V3', score: CRITICAL_VECTOR }],
    affected: [{ package: { ecosystem: 'Synapse', name: options.name }, ranges: [{ type: 'SEMVER', events: options.events }] }],
    references: [{ type: 'ADVISORY', url: 'https://example.com/advisory' }],
    ...(options.level ? { database_specific: { severity: options.level } } : {}),
  };
}
