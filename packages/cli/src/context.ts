/**
 * What every command receives: where it runs, which registry it talks to and how it
 * authenticates, and how to report progress. Built once by main from the global options.
 */
import { normalizeRegistry, readCredential, readUserConfig } from './config.ts';
import type { Env } from './paths.ts';
import type { Progress } from './progress.ts';
import { findProjectDir, readProjectManifest } from './project.ts';
import { pickRegistry, pickTimeout, type RegistrySource } from './registry-choice.ts';

export interface Context {
  /** Where the command was run. */
  cwd: string;
  /** The nearest folder at or above cwd holding synapse.json; null outside any project. */
  projectDir: string | null;
  env: Env;
  /** The registry URL, without a trailing slash. */
  registry: string;
  /** Where the registry URL came from, for messages. */
  registrySource: RegistrySource;
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
  const projectDir = findProjectDir(options.cwd);
  const picked = await pickRegistry({
    flag: options.registryFlag,
    env: options.env,
    manifest: () => (projectDir === null ? Promise.resolve(null) : readProjectManifest(projectDir).catch(() => null)),
    user: () => readUserConfig(options.env),
  });
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
