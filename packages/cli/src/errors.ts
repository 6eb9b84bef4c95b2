/**
 * What the client reports when a command fails, and the exit code that goes with it:
 * 1 for something the user can fix, 2 for the network or the registry.
 */
import { RegistryError } from '../../core/src/errors.ts';

export const EXIT_OK = 0;
export const EXIT_USER = 1;
export const EXIT_NETWORK = 2;

export class CliError extends Error {
  readonly exitCode: number;
  readonly code: string;
  /** What to do next, printed under the message. */
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(
    exitCode: number,
    code: string,
    message: string,
    options: { hint?: string; data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = code;
    this.hint = options.hint;
    this.data = options.data;
  }
}

export const userError = (code: string, message: string, hint?: string, data?: Record<string, unknown>) =>
  new CliError(EXIT_USER, code, message, { hint, data });

export const networkError = (code: string, message: string, hint?: string, cause?: unknown) =>
  new CliError(EXIT_NETWORK, code, message, { hint, cause });

// Codes from the resolver and lockfile that the user fixes by editing synapse.json or the lock.
const USER_CODES = new Set(['resolution_failed', 'lockfile_outdated', 'lockfile_invalid', 'lockfile_frozen', 'unknown_dependency']);

/** Turns anything thrown into a CliError with the right exit code. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  // The resolver's HTTP source wraps whatever its fetch threw (the offline source throws ours).
  if (error instanceof RegistryError && error.cause instanceof CliError) return error.cause;
  if (error instanceof RegistryError) {
    if (error.code === 'resolution_failed') {
      return new CliError(EXIT_USER, error.code, error.message, {
        hint: 'Change the ranges in synapse.json (or run synapse pkg update NAME) so they can all hold at once.',
        data: error.data,
        cause: error,
      });
    }
    if (error.code === 'lockfile_outdated') {
      return new CliError(EXIT_USER, error.code, error.message, {
        hint: 'Run synapse pkg install without --frozen-lockfile and commit synapse.lock.',
        data: error.data,
        cause: error,
      });
    }
    if (error.code === 'invalid_range') {
      return new CliError(EXIT_USER, error.code, `${error.message} in synapse.json`, {
        hint: 'Use a range such as ^1.2.0, ~1.2 or >=1.0.0 <2.0.0.',
        data: error.data,
        cause: error,
      });
    }
    if (error.code === 'resolution_too_complex') {
      return new CliError(EXIT_USER, error.code, error.message, {
        hint: 'Pin some dependencies to narrower ranges in synapse.json, or report the graph to the registry operator.',
        data: error.data,
        cause: error,
      });
    }
    if (error.code === 'not_a_registry') {
      return new CliError(EXIT_USER, error.code, error.message, {
        hint: 'Check the registry URL: --registry, SYNAPSE_REGISTRY, "registry" in synapse.json or the user config.',
        cause: error,
      });
    }
    if (USER_CODES.has(error.code) || error.status < 500) {
      return new CliError(EXIT_USER, error.code, error.message, { data: error.data, cause: error });
    }
    return new CliError(EXIT_NETWORK, error.code, error.message, {
      hint: 'Check that the registry is reachable (--registry or SYNAPSE_REGISTRY), or use --offline to install from the cache.',
      cause: error,
    });
  }
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === 'string' && /^E[A-Z]+$/.test(errno.code)) {
    return new CliError(EXIT_USER, 'file_system', errno.message, { cause: error });
  }
  return new CliError(EXIT_USER, 'internal', error instanceof Error ? error.message : String(error), { cause: error });
}
