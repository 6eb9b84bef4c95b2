import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpSource } from './http-source.ts';
import { resolve, ResolutionError } from '../../../core/src/resolver/resolve.ts';

const registry: Record<string, { version: string; dependencies: Record<string, string>; yanked?: boolean }[]> = {
  app: [{ version: '1.0.0', dependencies: { web: '^1.0.0', log: '^1.0.0' } }],
  web: [
    { version: '1.0.0', dependencies: { log: '^1.0.0' } },
    { version: '1.1.0', dependencies: { log: '^1.1.0' }, yanked: true },
  ],
  log: [
    { version: '1.0.0', dependencies: {} },
    { version: '1.1.0', dependencies: {} },
  ],
  broken: [{ version: '1.0.0', dependencies: { ghost: '^1.0.0' } }],
};

async function withRegistry(run: (url: string, hits: Map<string, number>) => Promise<void>): Promise<void> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const name = decodeURIComponent(req.url!.replace('/api/v1/packages/', ''));
    hits.set(name, (hits.get(name) ?? 0) + 1);
    const versions = registry[name];
    if (!versions) {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, code: 'package_not_found' }));
      return;
    }
    const body = {
      name,
      latest: versions.at(-1)!.version,
      versions: versions.map((v) => ({
        ...v,
        published_at: '2024-01-01T00:00:00Z',
        integrity: `sha512-${Buffer.from(`${name}${v.version}`).toString('base64')}`,
        tarball_url: `http://registry.test/api/v1/packages/${name}/${v.version}/tarball`,
      })),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits);
  } finally {
    await new Promise<void>((done) => server.close(() => done()));
  }
}

test('resolves over the registry API, fetching each package once and honouring yanked flags', async () => {
  await withRegistry(async (url, hits) => {
    const { packages } = await resolve({ root: { dependencies: { app: '^1.0.0' } }, source: httpSource({ registry: url }) });
    assert.deepEqual(
      packages.map((p) => `${p.name}@${p.version}`),
      ['app@1.0.0', 'log@1.1.0', 'web@1.0.0'],
    );
    assert.equal(packages[0]!.tarball, 'http://registry.test/api/v1/packages/app/1.0.0/tarball');
    assert.deepEqual(Object.fromEntries(hits), { app: 1, web: 1, log: 1 });
  });
});

test('a 404 becomes a missing package in the explanation', async () => {
  await withRegistry(async (url) => {
    await assert.rejects(
      resolve({ root: { dependencies: { broken: '*' } }, source: httpSource({ registry: url }) }),
      (error: ResolutionError) => {
        assert.match(error.explanation, /every version of broken depends on ghost \^1\.0\.0 and no package named ghost exists/);
        return true;
      },
    );
  });
});

test('an unreachable registry is a transport error, not a resolution failure', async () => {
  await assert.rejects(
    resolve({ root: { dependencies: { app: '*' } }, source: httpSource({ registry: 'http://127.0.0.1:9' }) }),
    (error: { code?: string }) => error.code === 'registry_unreachable',
  );
});

/** A source whose getter answers from a table of paths (query string ignored). */
function tableSource(answers: Record<string, unknown>) {
  return httpSource({
    registry: 'http://registry.test',
    get: async (url) => {
      const path = new URL(url).pathname.replace('/api/v1', '');
      const status = path in answers ? 200 : 404;
      return { status, contentType: 'application/json', etag: null, text: JSON.stringify(path in answers ? answers[path] : {}) };
    },
  });
}

const release = (version: unknown, dependencies: unknown = {}) => ({
  version,
  dependencies,
  integrity: 'sha512-AA',
  tarball_url: 'http://registry.test/t',
});

test('versions the client cannot represent are dropped: bad SemVer, bad ranges, bad names, too many dependencies', async () => {
  const many = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`d${i}`, '^1.0.0']));
  const source = tableSource({
    '/packages/web': {
      name: 'web',
      versions: [
        release('1.0.0'),
        release('1.1.0', { log: 'banana' }),
        release('1.2.0', { 'Bad Name!': '^1' }),
        release('1.3.0', many),
        release('1.x'),
        release(7),
        null,
      ],
    },
  });
  const info = await source.getPackage('web');
  assert.deepEqual(
    info!.versions.map((v) => v.version),
    ['1.0.0'],
  );
});

test('a versions list past the cap is refused rather than processed', async () => {
  const source = tableSource({
    '/packages/huge': { name: 'huge', versions: Array.from({ length: 10_001 }, (_, i) => release(`1.0.${i}`)) },
  });
  await assert.rejects(
    source.getPackage('huge'),
    (error: { code?: string; message: string }) => error.code === 'registry_error' && /at most 10000/.test(error.message),
  );
});

test('"did you mean" comes from the registry search, close names only', async () => {
  const source = tableSource({ '/search': { results: [{ name: 'colors' }, { name: 'colours' }, { name: 'zzz-far-away' }, { name: 42 }] } });
  assert.deepEqual(await source.similarNames!('colrs'), ['colors']);
  await assert.rejects(resolve({ root: { dependencies: { colrs: '^1.0.0' } }, source }), (error: ResolutionError) =>
    /no package named colrs exists \(did you mean colors\?\)/.test(error.explanation),
  );
});

test('yank reasons and deprecations are read for warnings; anything of the wrong shape reads as none', async () => {
  const deprecation = {
    reason: 'renamed',
    message: 'Moved',
    replacement: 'new-web',
    deprecated_at: '2026-01-01T00:00:00Z',
    deprecated_by: 'ann',
  };
  const source = tableSource({
    '/packages/web': {
      name: 'web',
      deprecation,
      versions: [
        { ...release('1.0.0'), yanked: true, yank_reason: 'broken', deprecation: { ...deprecation, replacement: 'Not A Name!' } },
        { ...release('1.1.0'), yanked: false, yank_reason: 'ignored when not yanked', deprecation: { reason: 42 } },
        { ...release('1.2.0'), deprecation: 'yes', yank_reason: 'x'.repeat(600), yanked: true },
      ],
    },
  });
  const info = await source.getPackage('web');
  assert.deepEqual(info!.deprecation, { reason: 'renamed', message: 'Moved', replacement: 'new-web' });
  assert.deepEqual(
    info!.versions.map((v) => [v.version, v.yanked, v.yankReason, v.deprecation]),
    [
      ['1.0.0', true, 'broken', { reason: 'renamed', message: 'Moved', replacement: null }],
      ['1.1.0', false, null, null],
      ['1.2.0', true, 'x'.repeat(500), null],
    ],
  );
});
