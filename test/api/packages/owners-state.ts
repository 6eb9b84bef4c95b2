/** Shared helpers for the owners and invitations tests: who owns what, and a snapshot to compare after refusals. */
import assert from 'node:assert/strict';
import { call, publish, signUp, uniqueName, type Res } from '../../helpers/client.ts';
import type { TestRegistry } from '../../helpers/registry.ts';

export interface User {
  username: string;
  token: string;
}

/** Everything an owner change could touch for one package: owners, invitations, audit entries, updated_at. */
export async function ownersState(r: TestRegistry, name: string) {
  const db = r.registry.deps.db.kysely;
  const pkg = await db.selectFrom('packages').select(['id', 'updated_at']).where('name', '=', name).executeTakeFirstOrThrow();
  const owners = await db.selectFrom('package_owners').selectAll().where('package_id', '=', pkg.id).orderBy('user_id').execute();
  const invitations = await db.selectFrom('owner_invitations').selectAll().where('package_id', '=', pkg.id).orderBy('id').execute();
  const audit = await db.selectFrom('audit_log').select(['id', 'action']).where('package_id', '=', pkg.id).orderBy('id').execute();
  return { updatedAt: pkg.updated_at, owners, invitations, audit };
}

/** Asserts a refusal: its status, code and a detail for people, as problem+json. */
export function refused(res: Res, status: number, code: string, detail?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.ok(typeof res.body.detail === 'string' && res.body.detail.length > 10, JSON.stringify(res.body));
  if (detail) assert.match(res.body.detail, detail);
}

/** A new package published by `owner`. */
export async function newPackage(r: TestRegistry, owner: User, prefix = 'own'): Promise<string> {
  const name = uniqueName(prefix);
  const res = await publish(r.api, owner.token, { name, version: '1.0.0' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return name;
}

export async function apiToken(r: TestRegistry, user: User, scopes: string[], packages?: string[]): Promise<string> {
  const res = await call(`${r.api}/auth/tokens`, {
    token: user.token,
    json: { name: uniqueName('tok'), scopes, ...(packages ? { packages } : {}) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

export const invite = (r: TestRegistry, name: string, username: unknown, token?: string) =>
  call(`${r.api}/packages/${name}/owners/invitations`, { token, json: { username } });

export const answer = (r: TestRegistry, name: string, what: 'accept' | 'decline', token?: string) =>
  call(`${r.api}/auth/invitations/${name}/${what}`, { method: 'POST', token });

export const removeOwner = (r: TestRegistry, name: string, username: string, token?: string) =>
  call(`${r.api}/packages/${name}/owners/${username}`, { method: 'DELETE', token });

export async function ownerNames(r: TestRegistry, name: string): Promise<string[]> {
  const res = await call(`${r.api}/packages/${name}/owners`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.owners.map((o: { username: string }) => o.username);
}

/** Makes `invitee` a co-owner of `name` by invitation and acceptance. */
export async function addOwner(r: TestRegistry, name: string, owner: User, invitee: User): Promise<void> {
  assert.equal((await invite(r, name, invitee.username, owner.token)).status, 201);
  assert.equal((await answer(r, name, 'accept', invitee.token)).status, 200);
}

export const users = (r: TestRegistry, n: number): Promise<User[]> => Promise.all(Array.from({ length: n }, () => signUp(r.api)));
