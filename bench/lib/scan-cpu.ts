/**
 * CPU time of the secret scanner alone, in ms a megabyte of text: the scanner now and the one before
 * its anchor search, on the same bytes in 64 KB chunks (as the tar reader hands them over), best of
 * a few runs so a busy neighbour does not count.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretScanner } from '../../packages/core/src/tarball/secret-scan.ts';
import { createSecretScanner as baselineScanner } from './secret-scan-baseline.ts';

/** Either scanner: their findings differ in shape (offsets now, line numbers before), their work does not. */
type Factory = (path: string) => { write(chunk: Buffer): void; end(): unknown };

/** This repository's own TypeScript, repeated up to `bytes`: realistic source text. */
export function sourceText(root: string, bytes: number): Buffer {
  const parts: Buffer[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'dist') walk(path);
      } else if (e.name.endsWith('.ts')) parts.push(readFileSync(path));
    }
  };
  walk(join(root, 'packages'));
  const once = Buffer.concat(parts);
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / once.length) }, () => once)).subarray(0, bytes);
}

function scanOnce(factory: Factory, text: Buffer, chunk: number): number {
  const before = process.cpuUsage();
  const scanner = factory('package/file.ts');
  for (let i = 0; i < text.length; i += chunk) scanner.write(text.subarray(i, i + chunk));
  scanner.end();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** [baseline, now] CPU ms a megabyte, best of `runs`. */
export function scanCpuPerMb(text: Buffer, runs = 5, chunk = 64 * 1024): [number, number] {
  const mb = text.length / 1024 / 1024;
  const best = (factory: Factory) => Math.min(...Array.from({ length: runs }, () => scanOnce(factory, text, chunk))) / mb;
  return [best(baselineScanner), best(createSecretScanner)];
}
