/**
 * The dependency graph `bench/cli-install.ts` installs: `graph-000` … `graph-NNN`, version 1.0.0
 * each, package i depending on i+1, i+7 and i+31 (where they exist), so everything is reachable
 * from the first ten. The same packages, files and dependencies go to our registry (synapse.json
 * tarballs through POST /api/v1/packages) and to an npm-style registry (package.json tarballs
 * through npm's PUT /NAME), and the same project asks for them from either client.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTar, gzip, packageTarball } from '../../test/fixtures/tarballs.ts';
import { npmPublishBody } from './mix-plan.ts';
import { benchToken } from './populate.ts';
import { npmToken } from './verdaccio.ts';

export const graphName = (i: number) => `graph-${String(i).padStart(3, '0')}`;

/** The first ten packages: what the project depends on directly. */
const ROOTS = 10;

function manifestOf(
  i: number,
  count: number,
): { name: string; version: string; description: string; dependencies: Record<string, string> } {
  const dependencies: Record<string, string> = {};
  for (const step of [1, 7, 31]) if (i + step < count) dependencies[graphName(i + step)] = '^1.0.0';
  return { name: graphName(i), version: '1.0.0', description: `generated package ${i}`, dependencies };
}

const filesOf = (i: number): Record<string, string> => ({
  'README.md': `# ${graphName(i)}\n`,
  'src/main.syn': `fn f${i}() {}\n`.repeat(20),
  'src/util.syn': 'fn util() {}\n',
});

/** Publishes the graph to our registry (api: its /api/v1 URL), dependencies first as it requires. */
export async function publishGraph(api: string, count: number): Promise<void> {
  const token = await benchToken(api);
  for (let i = count - 1; i >= 0; i--) {
    const tgz = packageTarball(manifestOf(i, count), { files: filesOf(i) });
    const res = await fetch(`${api}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip' },
      body: new Uint8Array(tgz),
    });
    if (res.status !== 201) throw new Error(`publish ${graphName(i)}: ${res.status} ${await res.text()}`);
  }
}

/** The same package as npm packs it: package/package.json and the same files. */
function npmTarball(i: number, count: number): Buffer {
  const manifest = manifestOf(i, count);
  const entries = [
    { path: 'package/package.json', content: JSON.stringify(manifest, null, 2) },
    ...Object.entries(filesOf(i)).map(([path, content]) => ({ path: `package/${path}`, content })),
  ];
  return gzip(buildTar(entries));
}

/** Publishes the graph to an npm-style registry (Verdaccio) at origin, four publishes at a time. */
export async function publishNpmGraph(origin: string, count: number): Promise<void> {
  const token = await npmToken(origin);
  let next = 0;
  const publisher = async () => {
    while (next < count) {
      const i = next++;
      const body = npmPublishBody(manifestOf(i, count), npmTarball(i, count));
      const res = await fetch(`${origin}/${graphName(i)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 201) throw new Error(`npm publish ${graphName(i)}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, publisher));
}

const rootDependencies = () => Object.fromEntries(Array.from({ length: ROOTS }, (_, i) => [graphName(i), '^1.0.0']));

/** A fresh folder holding the project for `synapse pkg install`. */
export async function synapseProject(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'synapse.json'),
    JSON.stringify({ name: 'bench-app', version: '1.0.0', dependencies: rootDependencies() }, null, 2),
  );
}

/** A fresh folder holding the same project for `npm install`. */
export async function npmProject(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true, dependencies: rootDependencies() }, null, 2),
  );
}
