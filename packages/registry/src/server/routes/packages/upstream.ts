/**
 * Reads that miss locally, answered through pull-through (packages/registry/src/mirror) when this registry has an
 * upstream. Local packages always win: these run only when no local package has the canonical name.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../../core/src/errors.ts';
import { findPackage } from '../../../db/packages.ts';
import { rewritePackage, rewriteVersion } from '../../../mirror/documents.ts';
import type { Fetched, PullThrough } from '../../../mirror/pull-through.ts';
import { baseUrl } from '../../base-url.ts';
import type { AppDeps } from '../../deps.ts';
import { tarballUrl } from '../../views/package.ts';

/** Headers of an answer from the cache while the upstream could not be asked (RFC 7234's Warning 110). */
export const staleHeaders = {
  warning: { type: 'string', description: 'Pull-through: 110 - "Response is Stale" when served from the cache while the upstream is down' },
  'x-synapse-stale': { type: 'string', description: 'Pull-through: "true" when served from the cache while the upstream is down' },
} as const;

/** The pull-through to use for this name: null when there is none, or when a local package has the name. */
export async function upstreamFor(deps: AppDeps, name: string): Promise<PullThrough | null> {
  if (!deps.upstream) return null;
  return (await findPackage(deps.db.kysely, name)) ? null : deps.upstream;
}

export function markStale(reply: FastifyReply, fetched: Fetched<unknown>): void {
  if (fetched.stale) reply.header('warning', '110 - "Response is Stale"').header('x-synapse-stale', 'true');
}

const missing = (code: string, what: string, upstream: PullThrough) =>
  notFound(code, `${what} does not exist, here or on the upstream ${upstream.upstreamUrl}`);

/** The upstream's package document, its tarball links pointing here. */
export async function upstreamPackage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, upstream: PullThrough, name: string) {
  const fetched = await upstream.packageDocument(name);
  if (!fetched) throw missing('package_not_found', `The package ${name}`, upstream);
  markStale(reply, fetched);
  const base = baseUrl(deps, request);
  return rewritePackage(fetched.document, (n, v) => tarballUrl(base, n, v));
}

export async function upstreamVersion(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  upstream: PullThrough,
  at: { name: string; version: string },
) {
  const fetched = await upstream.versionDocument(at.name, at.version);
  if (!fetched) throw missing('version_not_found', `${at.name}@${at.version}`, upstream);
  markStale(reply, fetched);
  const base = baseUrl(deps, request);
  return rewriteVersion(fetched.document, (n, v) => tarballUrl(base, n, v));
}
