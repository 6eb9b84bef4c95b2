/**
 * Importing a folder of OSV files (`npm run advisories -- import DIR`). Every file is read and
 * checked first (JSON, the OSV schema, this registry's rules, packages that exist, one file per id);
 * if any is bad, each bad file is named with its reasons and nothing is stored. Otherwise all of them
 * are written in one transaction: a new id is added, a known one replaced, an identical one left alone.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RegistryDatabase } from '../db/database.ts';
import { existingCanonicalNames } from '../db/packages.ts';
import { RegistryError } from '../../../core/src/errors.ts';
import type { ParsedAdvisory } from './advisory.ts';
import { parseAdvisory } from './parse.ts';
import { saveAdvisory } from './save.ts';
import { findAdvisory } from './store.ts';

export const IMPORT_LIMITS = { files: 50_000, fileBytes: 1024 * 1024 };

export interface BadFile {
  file: string;
  reasons: string[];
}

/** Thrown when any file is bad; nothing was stored. */
export class ImportRefused extends RegistryError {
  readonly bad: BadFile[];
  constructor(bad: BadFile[]) {
    super(
      400,
      'advisory_import_refused',
      `${bad.length} file${bad.length === 1 ? ' is' : 's are'} not a valid advisory; nothing was imported`,
    );
    this.bad = bad;
  }
}

export interface ImportSummary {
  added: string[];
  replaced: string[];
  unchanged: string[];
}

/** The .json files under dir (sorted, every depth), at most IMPORT_LIMITS.files. */
export async function osvFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath ?? e.path, e.name));
  if (files.length > IMPORT_LIMITS.files)
    throw new RegistryError(
      400,
      'advisory_import_too_large',
      `${dir} holds ${files.length} .json files; import at most ${IMPORT_LIMITS.files} at a time`,
    );
  return files.sort();
}

async function readOne(path: string): Promise<{ advisory?: ParsedAdvisory; reasons: string[] }> {
  if ((await stat(path)).size > IMPORT_LIMITS.fileBytes) return { reasons: [`larger than ${IMPORT_LIMITS.fileBytes} bytes`] };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { reasons: [`not JSON: ${(error as Error).message}`] };
  }
  const parsed = parseAdvisory(json);
  return parsed.ok ? { advisory: parsed.value, reasons: [] } : { reasons: parsed.errors.map((e) => `${e.field}: ${e.message}`) };
}

/** Reads and checks every file; throws ImportRefused naming each bad one. */
export async function readAdvisories(db: RegistryDatabase, dir: string): Promise<{ file: string; advisory: ParsedAdvisory }[]> {
  const good: { file: string; advisory: ParsedAdvisory }[] = [];
  const bad: BadFile[] = [];
  const seen = new Map<string, string>();
  for (const path of await osvFiles(dir)) {
    const file = relative(dir, path);
    const { advisory, reasons } = await readOne(path);
    if (advisory) {
      const twice = seen.get(advisory.id);
      if (twice) reasons.push(`id: ${advisory.id} is also the id of ${twice}`);
      seen.set(advisory.id, file);
      const held = await existingCanonicalNames(
        db.kysely,
        advisory.packages.map((p) => p.name),
      );
      for (const p of advisory.packages) if (!held.has(p.canonical)) reasons.push(`affected: this registry has no package named ${p.name}`);
    }
    if (reasons.length > 0) bad.push({ file, reasons });
    else good.push({ file, advisory: advisory! });
  }
  if (bad.length > 0) throw new ImportRefused(bad);
  return good;
}

/** Imports the folder in one transaction (see the module comment). */
export async function importAdvisories(db: RegistryDatabase, dir: string, now: () => Date): Promise<ImportSummary> {
  const advisories = await readAdvisories(db, dir);
  const summary: ImportSummary = { added: [], replaced: [], unchanged: [] };
  await db.kysely.transaction().execute(async (trx) => {
    const at = now().toISOString();
    for (const { advisory } of advisories) {
      const existing = await findAdvisory(trx, advisory.id);
      if (existing && existing.document === JSON.stringify(advisory.document)) {
        summary.unchanged.push(advisory.id);
        continue;
      }
      await saveAdvisory(trx, db.dialect, { advisory, existing, actor: null, by: 'command line', now: at });
      (existing ? summary.replaced : summary.added).push(advisory.id);
    }
  });
  return summary;
}
