import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Context } from '../context.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProject } from '../project.ts';
import { packDirectory, type PackedTarball } from '../pack-tarball.ts';
import { humanBytes, plural } from '../format.ts';

/** The listing shared by pack and publish --dry-run. */
export function describePack(packed: PackedTarball): { data: Record<string, unknown>; lines: string[] } {
  const { manifest } = packed;
  return {
    data: {
      name: manifest.name,
      version: manifest.version,
      filename: packed.filename,
      files: packed.files,
      size: packed.size,
      unpacked_size: packed.unpackedSize,
      integrity: packed.integrity,
      checksum: packed.checksum,
    },
    lines: [
      `${manifest.name}@${manifest.version}`,
      ...packed.files.map((f) => `  ${humanBytes(f.size).padStart(9)}  ${f.path}`),
      `${plural(packed.files.length, 'file')}, ${humanBytes(packed.size)} packed, ${humanBytes(packed.unpackedSize)} unpacked`,
      `integrity ${packed.integrity}`,
    ],
  };
}

/** Builds `NAME-VERSION.tgz` in the current folder, exactly as publish would upload it. */
export async function pack(ctx: Context, options: { dryRun?: boolean }): Promise<CommandOutput> {
  // The one manifest reader first, so pack refuses exactly what install and add refuse.
  const { dir } = await requireProject(ctx);
  const packed = await packDirectory(dir);
  const { data, lines } = describePack(packed);
  if (!options.dryRun) await writeFile(join(dir, packed.filename), packed.bytes);
  lines.push(options.dryRun ? '(dry run: nothing written)' : `Wrote ${relative(ctx.cwd, join(dir, packed.filename))}`);
  return output({ ...data, written: !options.dryRun }, lines.join('\n'));
}
