import type { EnvReader } from './config-error.ts';

/** When an owner may still delete a version (admins always may); past it, yanking is the way. */
export interface DeletionConfig {
  /** Hours after publishing during which an owner may delete a version unconditionally. */
  windowHours: number;
  /** Past the window, a version with this many downloads or more in the last 30 days stays. */
  maxRecentDownloads: number;
}

export function readDeletion(r: EnvReader): DeletionConfig {
  return {
    windowHours: r.int('REGISTRY_DELETE_WINDOW_HOURS', 72, { min: 0, max: 100_000 }),
    maxRecentDownloads: r.int('REGISTRY_DELETE_MAX_RECENT_DOWNLOADS', 500, { min: 0 }),
  };
}
