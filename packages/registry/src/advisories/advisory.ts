/** An advisory as the registry holds it: the OSV document, and what is read out of it. */
import type { AffectedSpec, OsvRange } from './affects.ts';
import type { Severity } from './severity.ts';

/** The ecosystem name an advisory's `affected[].package.ecosystem` must give. */
export const ECOSYSTEM = 'Synapse';

/** The OSV fields the registry reads; everything else in the document is kept as sent. */
export interface OsvDocument {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[] | null;
  summary?: string;
  details?: string;
  severity?: { type: string; score: string }[] | null;
  affected?: OsvAffected[] | null;
  references?: { type: string; url: string }[] | null;
  database_specific?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  [key: string]: unknown;
}

/** One package an advisory names, with its `affected` entries merged. */
export interface AffectedPackage {
  /** As the document spells it. */
  name: string;
  canonical: string;
  spec: AffectedSpec;
}

export interface ParsedAdvisory {
  id: string;
  document: OsvDocument;
  summary: string;
  severity: Severity;
  published: string;
  modified: string;
  withdrawn: string | null;
  packages: AffectedPackage[];
}
