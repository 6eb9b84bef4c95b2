#!/usr/bin/env node
// Builds the standalone client package (packages/cli/dist/): packages/cli/src/main.ts with everything it
// imports, the npm packages included, so `npm install -g synapse-cli` installs no dependency at all.
// Split at the client's dynamic imports, so a command loads only its own chunks, as it does from the
// sources. Run by scripts/build.mjs and by the package's prepack (so `npm pack` there packs a fresh
// build). No source maps: they would ship the sources, and the package holds only what runs.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'packages/cli/dist');

// Bundled CommonJS packages (commander, semver) call require() for Node's own modules; an ES module
// has none, so each chunk makes one.
const REQUIRE_BANNER =
  "import { createRequire as __synapseCreateRequire } from 'node:module'; const require = __synapseCreateRequire(import.meta.url);";

export async function buildClientPackage() {
  // Chunk names carry a content hash: without a clean folder, older chunks would be packed too.
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { synapse: join(root, 'packages/cli/src/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    // Input paths in the metafile are relative to this folder, wherever the script runs from.
    absWorkingDir: root,
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), licenseNotice(Object.keys(result.metafile.inputs)));
}

/** The notices of the npm packages inside the bundle: their licenses ask for them to travel with it. */
function licenseNotice(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    if (!input.includes('node_modules/')) continue;
    const dir = packageRoot(dirname(join(root, input)));
    if (dir && !packages.has(dir)) packages.set(dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
  }
  const sections = [...packages]
    .sort(([, a], [, b]) => a.name.localeCompare(b.name))
    .map(([dir, pkg]) => {
      const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
      return `${'-'.repeat(72)}\n${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
    });
  return `Third-party software bundled in this package, with its license notices.\n\n${sections.join('\n')}`;
}

/** The folder of the package a bundled file belongs to: the nearest package.json with a name. */
function packageRoot(dir) {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    const file = join(d, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name) return d;
  }
  return null;
}

// Run as a script (the package's prepack) rather than imported; the module's URL is the real path.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await buildClientPackage();
