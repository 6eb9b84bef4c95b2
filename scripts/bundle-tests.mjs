// Compiles each test file, with the sources it imports, into one ES module (esbuild, the compiler
// tsx uses too), so the test processes load plain JavaScript. Under tsx every module of the graph,
// the packages' ones included, goes through a loader hook on another thread: about 1.4 CPU seconds of
// each test file's 3-5, paid again by each of the ~330 files the passes run. Packages stay external
// (loaded from node_modules as in production) and each source keeps its own import.meta.url, so
// paths built from it (fixtures, child processes' entry points) do not move; worker threads are the
// exception (below).
import { build } from 'esbuild';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

// Modules that start a worker thread from a file beside them (workerEntry(import.meta.url, ...)) keep
// the URL of their bundle instead, so the thread runs that worker's bundle (built with the tests) as
// plain JavaScript: a worker from the TypeScript source needs tsx's loader inside the thread, about
// 0.7 s of CPU per test process that renders a README.
const STARTS_WORKER = /workerEntry\(import\.meta\.url/;

function sourceImportMeta(root, outDir) {
  return {
    name: 'source-import-meta',
    setup(esbuild) {
      esbuild.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        const text = await readFile(path, 'utf8');
        const bundled = join(outDir, relative(root, path)).replace(/\.ts$/, '.mjs');
        const url = STARTS_WORKER.test(text) ? pathToFileURL(bundled).href : pathToFileURL(path).href;
        const contents = text
          .replaceAll('import.meta.url', JSON.stringify(url))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
          .replaceAll('import.meta.filename', JSON.stringify(path));
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** The worker threads' entry files (`*-worker.ts` under packages/), bundled beside the tests. */
async function workerEntries(root) {
  const files = await readdir(join(root, 'packages'), { recursive: true });
  return files.filter((f) => f.endsWith('-worker.ts') && !f.includes('node_modules')).map((f) => join('packages', f));
}

/**
 * Writes `outDir/<file>.mjs` (and its source map) for each test file (relative to root), and
 * `outDir/groups/<name>.mjs` for each group of test files (see groupEntry); outDir must lie inside
 * root, so the bundles find node_modules. Returns the path of each bundle by test file or group name.
 */
export async function bundleTests(root, files, outDir, groups = new Map()) {
  const options = {
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The running Node, as tsx compiles for: the Node 24 pass runs what Node 24 itself would.
    target: `node${process.versions.node}`,
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [sourceImportMeta(root, outDir)],
  };
  const entries = [...files, ...(await workerEntries(root))].map((f) => join(root, f));
  await build({ ...options, entryPoints: entries, outbase: root });
  if (groups.size > 0) {
    await mkdir(join(outDir, 'groups'), { recursive: true });
    for (const [name, members] of groups) await writeFile(join(outDir, 'groups', `${name}.ts`), groupEntry(root, members));
    await build({
      ...options,
      entryPoints: [...groups.keys()].map((name) => ({ in: join(outDir, 'groups', `${name}.ts`), out: `groups/${name}` })),
    });
  }
  return new Map([
    ...files.map((f) => [f, join(outDir, f.replace(/\.ts$/, '.mjs'))]),
    ...[...groups.keys()].map((name) => [name, join(outDir, 'groups', `${name}.mjs`)]),
  ]);
}

/**
 * One process for several test files: each file becomes a suite named by its path, whose callback
 * imports the file (esbuild bundles it as a module evaluated on that import), so the file's top-level
 * tests and hooks belong to the suite; top-level await in a file works, as the suite awaits the import.
 * The files share the process's loaded modules and the code V8 has optimised: about half the CPU of a
 * process per file for API files (12 of them, one after another: 33 → 15 CPU-seconds).
 */
function groupEntry(root, members) {
  const lines = members.map((f) => `describe(${JSON.stringify(f)}, async () => { await import(${JSON.stringify(join(root, f))}); });`);
  return `import { describe } from 'node:test';\n${lines.join('\n')}\n`;
}

/** The test file a bundle was made from (a path relative to root); other paths as they are. */
export function sourceOfBundle(root, outDir, file) {
  const path = relative(outDir, file);
  return path.startsWith('..') ? relative(root, file) : path.replace(/\.mjs$/, '.ts');
}
