/**
 * The project's `synapse.json`, as the client reads and edits it. Every command reads it here,
 * through the registry's own manifest rules (the ones publish enforces), so install, add and pack
 * accept and refuse exactly the same files. Edits keep every field the user wrote and only touch
 * `dependencies`.
 */
import { join } from 'node:path';
import { RegistryError } from '../errors.ts';
import { parseManifest } from '../tarball/manifest.ts';
import { userError } from './errors.ts';
import { readTextIfExists, writeFileAtomic } from '../files.ts';

export const MANIFEST_FILE = 'synapse.json';
export const LOCK_FILE = 'synapse.lock';
export const MODULES_DIR = 'synapse_modules';

export interface ProjectManifest {
  name?: string;
  version?: string;
  registry?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Applies the publish rules (name, version, ranges, URLs, sizes); every broken field is listed at once. */
function checkManifest(json: unknown): void {
  try {
    parseManifest(json);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const fields = error.errors?.map((e) => `  ${e.field}: ${e.message}`).join('\n');
    throw userError(
      'manifest_invalid',
      `${MANIFEST_FILE} is invalid${fields ? `:\n${fields}` : `: ${error.message}`}`,
      `Fix ${MANIFEST_FILE} and run the command again.`,
      { errors: error.errors ?? [] },
    );
  }
}

// Read and checked once per run (the registry choice and the command both need it); a write forgets it.
const read = new Map<string, Promise<ProjectManifest | null>>();

/** Reads `synapse.json` in dir; null when there is none. */
export function readProjectManifest(dir: string): Promise<ProjectManifest | null> {
  let pending = read.get(dir);
  if (!pending) read.set(dir, (pending = loadProjectManifest(dir)));
  return pending.then((m) => (m === null ? null : structuredClone(m)));
}

async function loadProjectManifest(dir: string): Promise<ProjectManifest | null> {
  const path = join(dir, MANIFEST_FILE);
  const text = await readTextIfExists(path);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw userError('manifest_invalid', `${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`, 'Fix the file and run the command again.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw userError('manifest_invalid', `${MANIFEST_FILE} must hold a JSON object`);
  }
  checkManifest(json);
  const manifest = json as ProjectManifest;
  if (manifest.registry !== undefined && typeof manifest.registry !== 'string') {
    throw userError('manifest_invalid', `"registry" in ${MANIFEST_FILE} must be a URL string`);
  }
  return manifest;
}

/** Like readProjectManifest, but a missing manifest is a user error that says what to do. */
export async function requireProjectManifest(dir: string): Promise<ProjectManifest> {
  const manifest = await readProjectManifest(dir);
  if (manifest === null) {
    throw userError('manifest_missing', `No ${MANIFEST_FILE} in ${dir}`, 'Run synapse pkg init to create one, or run the command in your project folder.');
  }
  return manifest;
}

/** Writes `synapse.json` (two-space JSON, dependencies sorted) atomically. */
export async function writeProjectManifest(dir: string, manifest: ProjectManifest): Promise<void> {
  const out: ProjectManifest = { ...manifest };
  if (out.dependencies) {
    out.dependencies = Object.fromEntries(Object.entries(out.dependencies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  const path = join(dir, MANIFEST_FILE);
  read.delete(dir);
  await writeFileAtomic(path, `${JSON.stringify(out, null, 2)}\n`);
}
