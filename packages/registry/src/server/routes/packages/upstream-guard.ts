/**
 * The dependency-confusion guard: with an upstream, a new local package may not take a name the
 * upstream has, or clients resolving through this registry would silently get ours instead of
 * theirs (local packages win). REGISTRY_UPSTREAM_ALLOW_SHADOWING=true lifts it. When the upstream
 * cannot be asked and no copy is cached, the publish is refused (502): the guard fails closed.
 */
import { conflict } from '../../../../../core/src/errors.ts';
import type { AppDeps } from '../../deps.ts';

export function upstreamGuard(deps: AppDeps): ((name: string) => Promise<void>) | undefined {
  const upstream = deps.upstream;
  if (!upstream || deps.config.upstream.allowShadowing) return undefined;
  return async (name) => {
    if (await upstream.existsUpstream(name)) {
      throw conflict(
        'name_exists_upstream',
        `The upstream registry ${upstream.upstreamUrl} has a package named ${name}; publishing it here would shadow it. Pick another name, or ask the operator to set REGISTRY_UPSTREAM_ALLOW_SHADOWING=true`,
      );
    }
  };
}
