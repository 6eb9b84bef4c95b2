/**
 * The user's settings (`config.json`) and credentials (`credentials.json`, mode 0600), both in
 * the config folder. Credentials are kept per registry URL, so logging in to one registry never
 * sends that token to another.
 */
import { join } from 'node:path';
import { userError } from './errors.ts';
import { configDir, type Env } from './paths.ts';
import { readTextIfExists, writeFileAtomic } from '../files.ts';

export interface UserConfig {
  registry?: string;
  /** Connect + response-header timeout in milliseconds. */
  timeout?: number | string;
}

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

/** Registry URLs compare without a trailing slash, and without the API path people paste from docs. */
export const normalizeRegistry = (url: string): string => url.trim().replace(/\/+$/, '').replace(/\/api\/v1$/i, '').replace(/\/+$/, '');

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
    throw userError('invalid_registry', `${from} "${raw}" ${scheme ? `starts with ${scheme}; a registry URL starts with http:// or https://` : 'has no scheme'}`, fix);
  }
  try {
    new URL(url);
  } catch {
    throw userError('invalid_registry', `${from} "${raw}" is not a valid URL`, 'Use a URL such as https://registry.example.com.');
  }
  return url;
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

export const configFile = (env: Env) => join(configDir(env), 'config.json');
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
