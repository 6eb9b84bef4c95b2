/**
 * What every command receives: where it runs, which registry it talks to and how it
 * authenticates, and how to report progress. Built once by main from the global options.
 */
import { normalizeRegistry, readCredential, readUserConfig, registryUrl } from './config.ts';
import { userError } from './errors.ts';
import type { Env } from './paths.ts';
import { DEFAULT_TIMEOUT_MS } from './transport.ts';
import type { Progress } from './progress.ts';
import { findProjectDir, readProjectManifest } from './project.ts';

export const DEFAULT_REGISTRY = 'http://127.0.0.1:8080';

export interface Context {
  /** Where the command was run. */
  cwd: string;
  /** The nearest folder at or above cwd holding synapse.json; null outside any project. */
  projectDir: string | null;
  env: Env;
  /** The registry URL, without a trailing slash. */
  registry: string;
  /** Where the registry URL came from, for messages. */
  registrySource: 'flag' | 'env' | 'project' | 'user' | 'default';
  json: boolean;
  /** -v: log each request on stderr and print stacks with errors. */
  verbose: boolean;
  progress: Progress;
  /** Connect + response-header timeout per request, in milliseconds. */
  timeoutMs: number;
  /** The token for `registry`: SYNAPSE_TOKEN where it may go, else the stored credential; null when logged out. */
  token(): Promise<string | null>;
  /** Why SYNAPSE_TOKEN is set but not sent to this registry (for messages); null when it is sent or unset. */
  envTokenWithheld: string | null;
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * Whether SYNAPSE_TOKEN may go to this registry. A CI secret must only reach the registry the
 * runner chose (flag, SYNAPSE_REGISTRY, user config, default), never one named by a project
 * file that anyone can commit, unless SYNAPSE_TOKEN_REGISTRY names that origin too. When
 * SYNAPSE_TOKEN_REGISTRY is set, it is the only origin the token goes to.
 */
export function envTokenWithheld(env: Env, registry: string, source: Context['registrySource']): string | null {
  if (!env.SYNAPSE_TOKEN) return null;
  const target = originOf(registry);
  if (env.SYNAPSE_TOKEN_REGISTRY) {
    if (target !== null && originOf(normalizeRegistry(env.SYNAPSE_TOKEN_REGISTRY)) === target) return null;
    return `SYNAPSE_TOKEN is only sent to ${env.SYNAPSE_TOKEN_REGISTRY} (SYNAPSE_TOKEN_REGISTRY), not to ${registry}`;
  }
  if (source !== 'project') return null;
  return `SYNAPSE_TOKEN is not sent to ${registry}, which synapse.json names; set SYNAPSE_TOKEN_REGISTRY=${target ?? registry} if you trust it`;
}

/** `--timeout`, then SYNAPSE_TIMEOUT, then the user config's "timeout", then 30 s. */
function pickTimeout(flag: string | undefined, env: Env, config: number | string | undefined): number {
  const [value, from] =
    flag !== undefined ? [flag, '--timeout'] : env.SYNAPSE_TIMEOUT ? [env.SYNAPSE_TIMEOUT, 'SYNAPSE_TIMEOUT'] : config !== undefined ? [String(config), '"timeout" in the user config'] : [null, ''];
  if (value === null) return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!/^\d+$/.test(String(value).trim()) || ms <= 0 || ms > 3_600_000) {
    throw userError('invalid_option', `${from} takes a number of milliseconds between 1 and 3600000, not "${value}"`);
  }
  return ms;
}

/**
 * Picks the registry URL: `--registry`, then `SYNAPSE_REGISTRY`, then the project's
 * `synapse.json` ("registry"), then the user config, then the local default.
 */
export async function pickRegistry(options: { flag?: string; env: Env; projectDir: string | null }): Promise<{ url: string; source: Context['registrySource'] }> {
  if (options.flag) return { url: registryUrl(options.flag, '--registry'), source: 'flag' };
  if (options.env.SYNAPSE_REGISTRY) return { url: registryUrl(options.env.SYNAPSE_REGISTRY, 'SYNAPSE_REGISTRY'), source: 'env' };
  const manifest = options.projectDir === null ? null : await readProjectManifest(options.projectDir).catch(() => null);
  if (typeof manifest?.registry === 'string' && manifest.registry !== '') return { url: registryUrl(manifest.registry, '"registry" in synapse.json'), source: 'project' };
  const user = await readUserConfig(options.env);
  if (typeof user.registry === 'string' && user.registry !== '') return { url: registryUrl(user.registry, '"registry" in the user config'), source: 'user' };
  return { url: DEFAULT_REGISTRY, source: 'default' };
}

export interface ContextOptions {
  cwd: string;
  env: Env;
  registryFlag?: string;
  timeoutFlag?: string;
  json: boolean;
  verbose?: boolean;
  progress: Progress;
}

/** Builds the context for one run. */
export async function createContext(options: ContextOptions): Promise<Context> {
  const projectDir = await findProjectDir(options.cwd);
  const picked = await pickRegistry({ flag: options.registryFlag, env: options.env, projectDir });
  const user = await readUserConfig(options.env);
  const timeoutMs = pickTimeout(options.timeoutFlag, options.env, user.timeout);
  const withheld = envTokenWithheld(options.env, picked.url, picked.source);
  const useEnv = Boolean(options.env.SYNAPSE_TOKEN) && withheld === null;
  let token: Promise<string | null> | undefined;
  return {
    cwd: options.cwd,
    projectDir,
    env: options.env,
    registry: picked.url,
    registrySource: picked.source,
    json: options.json,
    verbose: options.verbose === true,
    progress: options.progress,
    timeoutMs,
    envTokenWithheld: withheld,
    token() {
      // Stored credentials are keyed by registry URL, so they only ever go back to their own origin.
      token ??= useEnv
        ? Promise.resolve(options.env.SYNAPSE_TOKEN!)
        : readCredential(options.env, picked.url).then((c) => c?.token ?? null);
      return token;
    },
  };
}
