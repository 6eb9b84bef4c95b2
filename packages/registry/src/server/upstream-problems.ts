/** Pull-through's typed failures (packages/registry/src/mirror/errors.ts) as problems: the upstream failed us, a 502. */
import { RegistryError } from '../../../core/src/errors.ts';
import { UpstreamIntegrityError, UpstreamUnavailableError } from '../mirror/errors.ts';

export function upstreamProblem(error: unknown): RegistryError | null {
  if (error instanceof UpstreamUnavailableError) {
    return new RegistryError(
      502,
      'upstream_unavailable',
      `This registry does not hold it and has no cached copy, and the upstream registry ${error.upstream} could not provide it: ${error.message}; try again later`,
      { cause: error, data: { upstream: error.upstream, reason: error.reason } },
    );
  }
  if (error instanceof UpstreamIntegrityError) {
    return new RegistryError(502, 'upstream_integrity_mismatch', `${error.message}; it was neither stored nor served`, {
      cause: error,
      data: { package: error.package, version: error.version },
    });
  }
  return null;
}
