/**
 * A ~10 MB tarball of text files (random words and numbers, so gzip cannot shrink it much), the same
 * bytes on every run, and copies of it under other versions: what the secret-scan benchmarks publish.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildTar } from '../../test/fixtures/tarballs.ts';

/** A deterministic PRNG, so every run publishes the same bytes. */
export function prng(seed: number) {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const WORDS = ['let', 'fn', 'return', 'match', 'value', 'config', 'token', 'registry', 'npm', 'syn', 'key', 'import', 'export', 'struct'];

export function textFile(random: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const parts = Array.from({ length: 6 + Math.floor(random() * 6) }, () =>
      random() < 0.5 ? WORDS[Math.floor(random() * WORDS.length)]! : Math.floor(random() * 2 ** 48).toString(36),
    );
    const line = `${'  '.repeat(Math.floor(random() * 4))}${parts.join(' ')};`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** Files of text to fill a tarball with, in order, as long as asked. */
type FileSource = () => string;

function fill(name: string, version: string, targetBytes: number, next: FileSource): Buffer {
  const files: { path: string; content: string }[] = [];
  const pack = () =>
    gzipSync(buildTar([{ path: 'package/synapse.json', content: JSON.stringify({ name, version }) }, ...files]), { level: 6 });
  // Add files up to the raw size the last packing's ratio says reaches the target, then pack again.
  let raw = 0;
  let wanted = targetBytes;
  let tgz = Buffer.alloc(0);
  while (tgz.length < targetBytes) {
    while (raw < wanted) {
      const content = next();
      files.push({ path: `package/src/file${files.length}.syn`, content });
      raw += content.length;
    }
    tgz = pack();
    wanted = Math.max(raw + 100_000, Math.ceil((raw * targetBytes) / tgz.length));
  }
  return tgz;
}

export function bigTarball(name: string, version: string, targetBytes: number): Buffer {
  const random = prng(42);
  return fill(name, version, targetBytes, () => textFile(random, 100_000));
}

/**
 * The same size of real source code: the JavaScript of a few installed dependencies (Fastify's and
 * Kysely's, pinned by the lockfile), file after file, over again when they run out. Code has more
 * short lines, underscores and hyphens than the words above, and packs about four times smaller.
 */
export function sourceTarball(name: string, version: string, targetBytes: number, root: string): Buffer {
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(js|mjs|ts)$/.test(e.name)) texts.push(readFileSync(path, 'utf8'));
    }
  };
  for (const dir of ['node_modules/fastify/lib', 'node_modules/kysely/dist/esm', 'node_modules/pg/lib', 'node_modules/ioredis/built'])
    walk(join(root, dir));
  // Joined into files of about 100 KB, as the words are: one entry per source file would pass the entry limit.
  let i = 0;
  return fill(name, version, targetBytes, () => {
    const parts: string[] = [];
    for (let size = 0; size < 100_000; size += parts.at(-1)!.length) parts.push(texts[i++ % texts.length]!);
    return parts.join('\n');
  });
}

/** The sample with another version in its manifest (the manifest is the first entry, so the rest is reused). */
export function withVersion(sample: Buffer, version: string): Buffer {
  const tar = gunzipSync(sample);
  const manifest = Buffer.from(JSON.stringify({ name: 'big', version }));
  const rest = tar.subarray(512 + Math.ceil(JSON.stringify({ name: 'big', version: '0.0.1' }).length / 512) * 512);
  return gzipSync(Buffer.concat([buildTar([{ path: 'package/synapse.json', content: manifest }]).subarray(0, 1024), rest]), { level: 6 });
}
