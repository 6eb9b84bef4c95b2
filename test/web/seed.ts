/** Real packages for the page tests, published over the API like any client would. */
import assert from 'node:assert/strict';
import { packageTarball } from '../fixtures/tarballs.ts';
import { call, publishTarball, signUp } from '../helpers/client.ts';
import type { TestRegistry } from '../helpers/registry.ts';

export const README = [
  '# json-parser',
  '',
  'A **fast** JSON parser for Synapse.',
  '',
  '```',
  'let value = json.parse(text)',
  '```',
  '',
  '![logo](https://img.example/logo.png)',
  '',
  'See [the docs](https://docs.example/json).',
].join('\n');

export interface Seeded {
  owner: { username: string; token: string };
}

async function publishOk(r: TestRegistry, token: string, manifest: Record<string, unknown>, files?: Record<string, string>) {
  const res = await publishTarball(r.api, token, packageTarball(manifest, files ? { files } : {}));
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** json-parser (two versions, a README, one yanked), http-client depending on it, and downloads. */
export async function seed(r: TestRegistry): Promise<Seeded> {
  const owner = await signUp(r.api);
  const base = {
    description: 'Parse JSON text into values, fast',
    keywords: ['json', 'parser'],
    license: 'MIT',
    homepage: 'https://json.example',
  };
  await publishOk(r, owner.token, { name: 'json-parser', version: '1.0.0', ...base }, { 'README.md': README });
  await publishOk(r, owner.token, { name: 'json-parser', version: '1.1.0', ...base }, { 'README.md': README });
  await publishOk(r, owner.token, {
    name: 'http-client',
    version: '0.3.0',
    description: 'An HTTP client with JSON bodies',
    dependencies: { 'json-parser': '^1.0.0' },
  });
  assert.equal(
    (await call(`${r.api}/packages/json-parser/1.0.0/yank`, { method: 'PUT', token: owner.token, json: { reason: 'wrong output' } }))
      .status,
    200,
  );
  for (let i = 0; i < 3; i++) await (await fetch(`${r.api}/packages/json-parser/1.1.0/tarball`)).arrayBuffer();
  // Counts are flushed every 50 ms by the test registry: wait for them to be written.
  for (let tries = 0; tries < 100; tries++) {
    const doc = await call(`${r.api}/packages/json-parser`);
    if (doc.body.downloads >= 3) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { owner };
}
