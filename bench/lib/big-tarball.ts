/**
 * A ~10 MB tarball of text files (random words and numbers, so gzip cannot shrink it much), the same
 * bytes on every run, and copies of it under other versions: what the secret-scan benchmarks publish.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildTar } from '../../test/fixtures/tarballs.ts';

/** A deterministic PRNG, so every run publishes the same bytes. */
export function prng(seed: number) {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
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

export function bigTarball(name: string, version: string, targetBytes: number): Buffer {
  const random = prng(42);
  const files = [];
  // Add 100 KB files until the gzip reaches the target (checked every 20 files).
  let tgz = Buffer.alloc(0);
  while (tgz.length < targetBytes) {
    for (let k = 0; k < 20; k++) files.push({ path: `package/src/file${files.length}.syn`, content: textFile(random, 100_000) });
    tgz = gzipSync(buildTar([{ path: 'package/synapse.json', content: JSON.stringify({ name, version }) }, ...files]), { level: 6 });
  }
  return tgz;
}

/** The sample with another version in its manifest (the manifest is the first entry, so the rest is reused). */
export function withVersion(sample: Buffer, version: string): Buffer {
  const tar = gunzipSync(sample);
  const manifest = Buffer.from(JSON.stringify({ name: 'big', version }));
  const rest = tar.subarray(512 + Math.ceil(JSON.stringify({ name: 'big', version: '0.0.1' }).length / 512) * 512);
  return gzipSync(Buffer.concat([buildTar([{ path: 'package/synapse.json', content: manifest }]).subarray(0, 1024), rest]), { level: 6 });
}

