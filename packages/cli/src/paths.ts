/**
 * Where the client keeps its files: credentials and settings under the user's config folder,
 * the package store under the user's cache folder (XDG base directories, with the usual
 * platform fallbacks).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

function home(env: Env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** `$XDG_CONFIG_HOME/synapse`, else `~/.config/synapse` (`%APPDATA%\synapse` on Windows). */
export function configDir(env: Env): string {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'synapse');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'synapse');
  return join(home(env), '.config', 'synapse');
}

/** The user's settings: `config.json` in the config folder. */
export const configFile = (env: Env) => join(configDir(env), 'config.json');

/** `$XDG_CACHE_HOME/synapse`, else `~/.cache/synapse` (`%LOCALAPPDATA%\synapse\cache` on Windows). */
export function cacheDir(env: Env): string {
  if (env.SYNAPSE_CACHE_DIR) return env.SYNAPSE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'synapse');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'synapse', 'cache');
  return join(home(env), '.cache', 'synapse');
}
