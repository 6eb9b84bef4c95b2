import type { EnvReader } from './config-error.ts';

/** Pull-through from an upstream Synapse registry, and read-only full mirrors (packages/registry/src/mirror). */
export interface UpstreamConfig {
  /** The upstream registry's base URL (no /api/v1); null: no pull-through. */
  url: string | null;
  /** Cached upstream metadata younger than this is served without asking the upstream. */
  maxAgeMs: number;
  /** One upstream request's whole budget, connect to last byte. */
  timeoutMs: number;
  /** Upstream JSON answers past this are refused (and so never cached). */
  maxDocumentBytes: number;
  /** Lets a local publish take a name the upstream already has (off: the dependency-confusion guard). */
  allowShadowing: boolean;
  /** This registry is a full mirror of that primary: every write is refused. */
  mirrorOf: string | null;
}

function readUrl(r: EnvReader, name: string): string | null {
  const raw = r.optional(name);
  if (raw === undefined) return null;
  if (!/^https?:\/\/[^/]+/.test(raw)) {
    r.problems.push(`${name}=${JSON.stringify(raw)} must be an http(s) URL`);
    return null;
  }
  return raw.replace(/\/+$/, '');
}

export function readUpstream(r: EnvReader): UpstreamConfig {
  return {
    url: readUrl(r, 'REGISTRY_UPSTREAM_URL'),
    maxAgeMs: r.int('REGISTRY_UPSTREAM_MAX_AGE', 120, { min: 0, max: 86_400 }) * 1000,
    timeoutMs: r.int('REGISTRY_UPSTREAM_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    maxDocumentBytes: r.int('REGISTRY_UPSTREAM_MAX_DOCUMENT_BYTES', 8 * 1024 * 1024, { min: 1024, max: 256 * 1024 * 1024 }),
    allowShadowing: r.bool('REGISTRY_UPSTREAM_ALLOW_SHADOWING', false),
    mirrorOf: readUrl(r, 'REGISTRY_MIRROR_OF'),
  };
}
