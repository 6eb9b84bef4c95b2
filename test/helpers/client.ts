/** Small HTTP helpers for API tests: JSON in, parsed JSON out, status kept, checked against the OpenAPI document. */
import { packageTarball } from '../fixtures/tarballs.ts';
import { checkAgainstOpenApi } from './openapi-check.ts';

/**
 * A JSON body as a test reads it: any shape, pinned down by the assertions that read it (and checked
 * against the OpenAPI document by `call`). The one place tests opt out of types.
 */
// biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field; typing each would restate the schema.
export type Json = any;

export interface Res<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Json>(
  url: string,
  init: { method?: string; token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const method = init.method ?? (body ? 'POST' : 'GET');
  const res = await fetch(url, { method, headers, body });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const parsed = type.includes('json') && text ? JSON.parse(text) : text;
  // Every answer the API tests see must be one the OpenAPI document promises.
  await checkAgainstOpenApi({ method, url, status: res.status, contentType: type, body: parsed, text });
  return { status: res.status, headers: res.headers, body: parsed as T };
}

let counter = 0;
/** A unique, valid username per call. */
export const uniqueName = (prefix = 'user') => `${prefix}-${process.pid}-${++counter}`;

export const PASSWORD = 'correct-horse-battery-9';

/** Registers and logs in a new user; returns the session token. */
export async function signUp(api: string, username = uniqueName()): Promise<{ username: string; token: string }> {
  const reg = await call(`${api}/auth/register`, { json: { username, email: `${username}@example.com`, password: PASSWORD } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await call(`${api}/auth/login`, { json: { username, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { username, token: login.body.token };
}

/** Publishes a tarball as application/gzip. */
export function publishTarball(api: string, token: string | undefined, tgz: Buffer, contentType = 'application/gzip') {
  return call(`${api}/packages`, { method: 'POST', token, body: new Uint8Array(tgz), headers: { 'content-type': contentType } });
}

/** Publishes a package built from a manifest. */
export function publish(api: string, token: string, manifest: Record<string, unknown>) {
  return publishTarball(api, token, packageTarball(manifest));
}
