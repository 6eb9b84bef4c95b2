/**
 * Which registry a command talks to and how long it waits for it. Apart from the context so the
 * quick no-op install (quick-install.ts) makes the same choice without loading the rest.
 */
import { userError } from './errors.ts';
import type { Env } from './paths.ts';

export const DEFAULT_REGISTRY = 'http://127.0.0.1:8080';
export const DEFAULT_TIMEOUT_MS = 30_000;

export type RegistrySource = 'flag' | 'env' | 'project' | 'user' | 'default';

/** The user's settings (config.json in the config folder; see config.ts). */
export interface UserConfig {
  registry?: string;
  /** Connect + response-header timeout in milliseconds. */
  timeout?: number | string;
}

/** Registry URLs compare without a trailing slash, and without the API path people paste from docs. */
export const normalizeRegistry = (url: string): string =>
  url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/api\/v1$/i, '')
    .replace(/\/+$/, '');

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A registry URL as given by `from` (--registry, SYNAPSE_REGISTRY, ...), normalised; one without
 * http(s):// is a usage error naming the URL to use instead. (`localhost:8080` would otherwise
 * parse as a URL whose scheme is "localhost:".)
 */
export function registryUrl(raw: string, from: string): string {
  const url = normalizeRegistry(raw);
  const bare = url.replace(SCHEME, '');
  const fix = `Use https://${bare}, or http://${bare} for a registry on your own machine or network.`;
  if (!/^https?:\/\//i.test(url)) {
    const scheme = SCHEME.exec(url)?.[0];
    throw userError(
      'invalid_registry',
      `${from} "${raw}" ${scheme ? `starts with ${scheme}; a registry URL starts with http:// or https://` : 'has no scheme'}`,
      fix,
    );
  }
  try {
    new URL(url);
  } catch {
    throw userError('invalid_registry', `${from} "${raw}" is not a valid URL`, 'Use a URL such as https://registry.example.com.');
  }
  return url;
}

/** `--timeout`, then SYNAPSE_TIMEOUT, then the user config's "timeout", then 30 s. */
export function pickTimeout(flag: string | undefined, env: Env, config: number | string | undefined): number {
  const [value, from] =
    flag !== undefined
      ? [flag, '--timeout']
      : env.SYNAPSE_TIMEOUT
        ? [env.SYNAPSE_TIMEOUT, 'SYNAPSE_TIMEOUT']
        : config !== undefined
          ? [String(config), '"timeout" in the user config']
          : [null, ''];
  if (value === null) return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!/^\d+$/.test(String(value).trim()) || ms <= 0 || ms > 3_600_000) {
    throw userError('invalid_option', `${from} takes a number of milliseconds between 1 and 3600000, not "${value}"`);
  }
  return ms;
}

export interface RegistryChoice {
  flag?: string;
  env: Env;
  /** The project's synapse.json, null outside a project or when it cannot be read. */
  manifest: () => Promise<{ registry?: unknown } | null>;
  /** The user config (`{}` when there is none). */
  user: () => Promise<UserConfig>;
}

/**
 * Picks the registry URL: `--registry`, then `SYNAPSE_REGISTRY`, then the project's
 * `synapse.json` ("registry"), then the user config, then the local default.
 */
export async function pickRegistry(options: RegistryChoice): Promise<{ url: string; source: RegistrySource }> {
  if (options.flag) return { url: registryUrl(options.flag, '--registry'), source: 'flag' };
  if (options.env.SYNAPSE_REGISTRY) return { url: registryUrl(options.env.SYNAPSE_REGISTRY, 'SYNAPSE_REGISTRY'), source: 'env' };
  const manifest = await options.manifest();
  if (typeof manifest?.registry === 'string' && manifest.registry !== '')
    return { url: registryUrl(manifest.registry, '"registry" in synapse.json'), source: 'project' };
  const user = await options.user();
  if (typeof user.registry === 'string' && user.registry !== '')
    return { url: registryUrl(user.registry, '"registry" in the user config'), source: 'user' };
  return { url: DEFAULT_REGISTRY, source: 'default' };
}
