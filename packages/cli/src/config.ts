/**
 * The user's settings (`config.json`) and credentials (`credentials.json`, mode 0600), both in
 * the config folder. Credentials are kept per registry URL, so logging in to one registry never
 * sends that token to another.
 */
import { join } from 'node:path';
import { userError } from './errors.ts';
import { configDir, configFile, type Env } from './paths.ts';
import { normalizeRegistry, type UserConfig } from './registry-choice.ts';
import { readTextIfExists, writeFileAtomic } from '../../core/src/files.ts';

// Kept apart so the quick no-op install reads the same settings without this file's writers.
export { normalizeRegistry, registryUrl, type UserConfig } from './registry-choice.ts';
export { configFile } from './paths.ts';

export interface Credential {
  token: string;
  username?: string;
  /** `session` (from login) or `api_token` (a `syn_…` token). */
  kind?: string;
  expires_at?: string | null;
}

interface CredentialsFile {
  registries: Record<string, Credential>;
}

async function readJson<T>(path: string): Promise<T | null> {
  const text = await readTextIfExists(path);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw userError('config_invalid', `${path} is not valid JSON`, 'Fix or delete the file, then try again.');
  }
}

/** Writes beside the target then renames, so a crash never leaves half a credentials file. */
async function writePrivate(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

export const credentialsFile = (env: Env) => join(configDir(env), 'credentials.json');

/** The user config, `{}` when there is none. */
export async function readUserConfig(env: Env): Promise<UserConfig> {
  return (await readJson<UserConfig>(configFile(env))) ?? {};
}

/** The stored credential for a registry, if any. */
export async function readCredential(env: Env, registry: string): Promise<Credential | null> {
  const file = await readJson<CredentialsFile>(credentialsFile(env));
  return file?.registries?.[normalizeRegistry(registry)] ?? null;
}

/** Stores (or, with null, forgets) the credential for a registry; returns whether one was there. */
export async function writeCredential(env: Env, registry: string, credential: Credential | null): Promise<boolean> {
  const path = credentialsFile(env);
  const file = (await readJson<CredentialsFile>(path)) ?? { registries: {} };
  file.registries ??= {};
  const key = normalizeRegistry(registry);
  const existed = key in file.registries;
  if (credential === null) delete file.registries[key];
  else file.registries[key] = credential;
  await writePrivate(path, file);
  return existed;
}
