/**
 * Builds the package documents of the most downloaded packages before the registry listens, so
 * the first seconds after a restart do not build them under load (bench/RESULTS.md run 21: the first
 * second's p99 336–430 ms without, 156–246 ms with the documents built). Only with a configured
 * public URL: without one a document's URLs come from each request's Host, which is not known yet.
 * Bounded in count and in time; a failure only leaves the rest to be built on demand.
 */
import { findShownPackage } from '../db/shown-package.ts';
import type { AppDeps } from './deps.ts';
import { packageDocument } from './routes/packages/package-document.ts';

export interface WarmOptions {
  /** At most this many documents (the most downloaded packages first). */
  limit: number;
  /** Stop after this long, whatever is left. */
  budgetMs: number;
}

export interface WarmedPackage {
  name: string;
  latestVersion: string;
}

/** The packages whose documents were built, most downloaded first. */
export async function warmPackageDocuments(deps: AppDeps, options: WarmOptions): Promise<WarmedPackage[]> {
  const base = deps.config.server.publicUrl;
  if (base === undefined || options.limit <= 0) return [];
  const started = performance.now();
  const names = await deps.db.kysely
    .selectFrom('packages')
    .select('name')
    .where('latest_version', 'is not', null)
    .orderBy('downloads', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  const built: WarmedPackage[] = [];
  for (const { name } of names) {
    if (performance.now() - started > options.budgetMs) break;
    // The row as the route reads it, so the document's stamp is the one a request will ask for.
    const pkg = await findShownPackage(deps.db, name);
    if (!pkg || pkg.latest_version === null) continue;
    await packageDocument(deps, base, pkg);
    built.push({ name: pkg.name, latestVersion: pkg.latest_version });
  }
  return built;
}
