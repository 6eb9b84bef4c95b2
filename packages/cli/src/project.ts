/**
 * The project's `synapse.json`, as the client reads and edits it. Every command reads it here,
 * through the registry's own manifest rules (the ones publish enforces), so install, add and pack
 * accept and refuse exactly the same files. Edits keep every field the user wrote and only touch
 * `dependencies`.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryError } from '../../core/src/errors.ts';
import { parseManifest } from '../../core/src/tarball/manifest.ts';
import { userError } from './errors.ts';
import { readTextIfExists, writeFileAtomic } from '../../core/src/files.ts';
import { MANIFEST_FILE } from './project-files.ts';

export { findProjectDir, LOCK_FILE, MANIFEST_FILE, MODULES_DIR } from './project-files.ts';

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
    const where = jsonErrorPosition(text, (error as Error).message);
    throw userError(
      'manifest_invalid',
      `${path}${where ? `:${where.line}:${where.column}` : ''} is not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$| \(line \d+ column \d+\)$/, '')}`,
      'Fix the file and run the command again.',
      where ? { line: where.line, column: where.column } : undefined,
    );
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

/**
 * Line and column (from 1) of a JSON.parse error: Node 22 names them, Node 20 gives a position;
 * "Unexpected end of JSON input" is at the end.
 */
export function jsonErrorPosition(text: string, message: string): { line: number; column: number } | null {
  const named = /\(line (\d+) column (\d+)\)/.exec(message);
  if (named) return { line: Number(named[1]), column: Number(named[2]) };
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : null;
  if (offset === null) return null;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** A folder with nothing in it but dotfiles (a fresh `git init` counts as empty). */
async function isEmptyFolder(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => null);
  return entries !== null && entries.every((e) => e.startsWith('.'));
}

/**
 * The project the command works on (found by findProjectDir from cwd) and its manifest; outside
 * any project a user error that suggests init only where init makes sense: an empty folder.
 */
export async function requireProject(project: {
  cwd: string;
  projectDir: string | null;
}): Promise<{ dir: string; manifest: ProjectManifest }> {
  const manifest = project.projectDir === null ? null : await readProjectManifest(project.projectDir);
  if (project.projectDir !== null && manifest !== null) return { dir: project.projectDir, manifest };
  const hint = (await isEmptyFolder(project.cwd))
    ? 'Run synapse pkg init to start a package in this folder.'
    : `Run the command in a project: a folder with ${MANIFEST_FILE}, or a folder below one.`;
  throw userError('manifest_missing', `Not in a Synapse project: no ${MANIFEST_FILE} in ${project.cwd} or any folder above it`, hint);
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
