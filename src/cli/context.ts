/**
 * What every command receives: where it runs, which registry it talks to and how it
 * authenticates, and how to report progress. Built once by main from the global options.
 */
import { normalizeRegistry, readCredential, readUserConfig } from './config.ts';
import type { Env } from './paths.ts';
import type { Progress } from './progress.ts';
import { readProjectManifest } from './project.ts';

export const DEFAULT_REGISTRY = 'http://127.0.0.1:8080';

export interface Context {
  cwd: string;
  env: Env;
  /** The registry URL, without a trailing slash. */
  registry: string;
  /** Where the registry URL came from, for messages. */
  registrySource: 'flag' | 'env' | 'project' | 'user' | 'default';
  json: boolean;
  progress: Progress;
  /** The token for `registry`: SYNAPSE_TOKEN, else the stored credential; null when logged out. */
  token(): Promise<string | null>;
}

/**
 * Picks the registry URL: `--registry`, then `SYNAPSE_REGISTRY`, then the project's
 * `synapse.json` ("registry"), then the user config, then the local default.
 */
export async function pickRegistry(options: { flag?: string; env: Env; cwd: string }): Promise<{ url: string; source: Context['registrySource'] }> {
  if (options.flag) return { url: normalizeRegistry(options.flag), source: 'flag' };
  if (options.env.SYNAPSE_REGISTRY) return { url: normalizeRegistry(options.env.SYNAPSE_REGISTRY), source: 'env' };
  const manifest = await readProjectManifest(options.cwd).catch(() => null);
  if (typeof manifest?.registry === 'string' && manifest.registry !== '') return { url: normalizeRegistry(manifest.registry), source: 'project' };
  const user = await readUserConfig(options.env);
  if (typeof user.registry === 'string' && user.registry !== '') return { url: normalizeRegistry(user.registry), source: 'user' };
  return { url: DEFAULT_REGISTRY, source: 'default' };
}

/** Builds the context for one run. */
export async function createContext(options: { cwd: string; env: Env; registryFlag?: string; json: boolean; progress: Progress }): Promise<Context> {
  const picked = await pickRegistry({ flag: options.registryFlag, env: options.env, cwd: options.cwd });
  let token: Promise<string | null> | undefined;
  return {
    cwd: options.cwd,
    env: options.env,
    registry: picked.url,
    registrySource: picked.source,
    json: options.json,
    progress: options.progress,
    token() {
      token ??= options.env.SYNAPSE_TOKEN
        ? Promise.resolve(options.env.SYNAPSE_TOKEN)
        : readCredential(options.env, picked.url).then((c) => c?.token ?? null);
      return token;
    },
  };
}
