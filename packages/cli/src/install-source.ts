/**
 * The package metadata an install reads: from the registry (each document also kept in the cache),
 * or, with --offline, from the cache only. One source per install, so a document the resolution
 * fetched is not fetched again for the lifecycle warnings.
 */
import type { PackageSource } from '../../core/src/resolver/source.ts';
import { cacheDir } from './paths.ts';
import type { Context } from './context.ts';

export async function installSource(ctx: Context, offline: boolean): Promise<PackageSource> {
  const metadata = await import('./cache/metadata.ts');
  const store = { root: cacheDir(ctx.env) };
  if (offline) return metadata.offlineSource(store, ctx.registry);
  const token = await ctx.token();
  return metadata.cachingSource(store, ctx.registry, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    timeoutMs: ctx.timeoutMs,
  });
}
