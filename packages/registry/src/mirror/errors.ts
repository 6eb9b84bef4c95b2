/**
 * What can go wrong between this registry and its upstream. Typed, with no HTTP status: the HTTP
 * layer maps them (packages/registry/src/server/upstream-problems.ts), a command-line mirror prints them.
 */
export type UpstreamFailure = 'timeout' | 'unreachable' | 'server_error' | 'too_large' | 'bad_answer';

/** The upstream could not give an answer we can use (down, slow, 5xx, oversized, malformed). */
export class UpstreamUnavailableError extends Error {
  readonly reason: UpstreamFailure;
  readonly upstream: string;
  constructor(upstream: string, reason: UpstreamFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamUnavailableError';
    this.upstream = upstream;
    this.reason = reason;
  }
}

/** A tarball whose bytes do not hash to what the upstream's own metadata says: never stored, never served. */
export class UpstreamIntegrityError extends Error {
  readonly package: string;
  readonly version: string;
  constructor(pkg: string, version: string, expected: string, actual: string) {
    super(`The upstream's tarball of ${pkg}@${version} does not match its integrity: expected ${expected}, got ${actual}`);
    this.name = 'UpstreamIntegrityError';
    this.package = pkg;
    this.version = version;
  }
}
