/** Shared by the admin and audit API tests: admins made the way the command line makes them, and state checks. */
import assert from 'node:assert/strict';
import { setAdmin } from '../../../packages/registry/src/registry/admins.ts';
import type { TestRegistry } from '../../helpers/registry.ts';
import { call, signUp, uniqueName, type Json } from '../../helpers/client.ts';

export interface User {
  username: string;
  token: string;
}

/** A new account made admin as `npm run admin -- grant NAME` does it. */
export async function signUpAdmin(r: TestRegistry): Promise<User> {
  const user = await signUp(r.api);
  await setAdmin(r.registry.deps.db.kysely, { username: user.username, admin: true, now: new Date().toISOString() });
  return user;
}

/** An API token of the account, with these scopes (and packages, when given). */
export async function apiToken(r: TestRegistry, session: string, scopes: string[], packages?: string[]): Promise<string> {
  const res = await call(`${r.api}/auth/tokens`, {
    token: session,
    json: { name: uniqueName('tok'), scopes, ...(packages ? { packages } : {}) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

/** Every audit row, oldest first, straight from the database. */
export function auditRows(r: TestRegistry) {
  return r.registry.deps.db.kysely.selectFrom('audit_log').selectAll().orderBy('id').execute();
}

/** A refusal: its status, code and a detail that says what to do. */
export function assertProblem(res: { status: number; body: Json }, status: number, code: string, detail?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.detail, 'string');
  if (detail) assert.match(res.body.detail, detail);
}
