/** Shared checks for the publish tests: what a publish leaves on disk and in the database. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { call, type Json } from '../../helpers/client.ts';
import type { TestRegistry } from '../../helpers/registry.ts';

export interface StoreState {
  packages: number;
  versions: number;
  owners: number;
  blobs: string[];
}

async function count(r: TestRegistry, table: 'packages' | 'versions' | 'package_owners'): Promise<number> {
  const row = await r.registry.deps.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts and committed blobs, to compare before and after a request. */
export async function storeState(r: TestRegistry): Promise<StoreState> {
  return {
    packages: await count(r, 'packages'),
    versions: await count(r, 'versions'),
    owners: await count(r, 'package_owners'),
    blobs: (await r.blobFiles()).sort(),
  };
}

/** Files in the upload staging folder; it must be empty whenever no upload is in flight. */
export async function stagingFiles(r: TestRegistry): Promise<string[]> {
  return readdir(join(r.dir, 'packages', '.staging')).catch(() => []);
}

/**
 * Asserts a failed publish left nothing behind: same rows and blobs as before, an empty staging
 * folder and, when a name is given, no such package (or version) over HTTP.
 */
export async function assertNothingLeft(r: TestRegistry, before: StoreState, lookup?: { name: string; version?: string }): Promise<void> {
  assert.deepEqual(await storeState(r), before);
  assert.deepEqual(await stagingFiles(r), []);
  if (lookup) {
    const path = lookup.version ? `${lookup.name}/${lookup.version}` : lookup.name;
    const res = await call(`${r.api}/packages/${path}`);
    assert.equal(res.status, 404, `${path} should not exist: ${JSON.stringify(res.body)}`);
  }
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const sha512Integrity = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** Asserts a problem+json response with this status and code; returns its body. */
export function assertProblem(res: { status: number; headers: Headers; body: Json }, status: number, code?: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(typeof res.body.title, 'string');
  assert.equal(typeof res.body.detail, 'string');
  if (code !== undefined) assert.equal(res.body.code, code, JSON.stringify(res.body));
  return res.body;
}
