/**
 * Property: whatever query string, headers and body reach any route of the OpenAPI document, the
 * registry answers without a 5xx, every 4xx is problem+json with a `code`, and every answer is one
 * the document promises (status and body schema).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { publish, signUp } from '../helpers/client.ts';
import { createChecker } from '../helpers/openapi-check.ts';

interface FuzzRequest {
  method: string;
  template: string;
  params: Record<string, string>;
  /** Path parameters sent as they are (possibly malformed), not percent-encoded. */
  rawPath: boolean;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

let r: TestRegistry;
let token: string;
let doc: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
const PKG = { name: 'fuzz-target', version: '1.0.0' };

before(async () => {
  r = await startRegistry();
  ({ token } = await signUp(r.api));
  const published = await publish(r.api, token, { ...PKG, description: 'a package the fuzzer can find' });
  assert.equal(published.status, 201);
  doc = (await (await fetch(`${r.api}/openapi.json`)).json()) as typeof doc;
});
after(() => r.close());

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '2',
    '100',
    '101',
    '1e300',
    'Infinity',
    'NaN',
    'true',
    'null',
    '%',
    '%zz',
    '..',
    PKG.name,
    PKG.version,
  ),
);

const paramValue = fc.oneof(text, fc.constantFrom(PKG.name, PKG.version, '1', 'latest'));

const headerValue = (values: string[]) => fc.option(fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 30 })), { nil: undefined });

const headers = fc.record({
  'content-type': headerValue([
    'application/json',
    'application/gzip',
    'application/octet-stream',
    'multipart/form-data; boundary=xyz',
    'text/plain',
    'application/json; charset=latin1',
  ]),
  authorization: headerValue(['Bearer ', 'Bearer syn_0000', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', 'TOKEN']),
  range: headerValue(['bytes=0-', 'bytes=5-2', 'bytes=999999-', 'bytes=-5', 'bytes=0-0,2-3']),
  'if-none-match': headerValue(['*', 'W/"x"', '""']),
  accept: headerValue(['application/json', 'text/html', '*/*']),
  // Sometimes a real session, so the fuzz reaches past authentication.
  session: fc.boolean(),
});

const body = fc.option(
  fc.oneof(
    fc.json({ maxDepth: 2 }).map((s) => new TextEncoder().encode(s)),
    fc.uint8Array({ maxLength: 64 }),
    fc
      .record({ username: text, password: text, email: text, name: text, scopes: fc.array(text, { maxLength: 3 }) })
      .map((o) => new TextEncoder().encode(JSON.stringify(o))),
  ),
  { nil: undefined },
);

function requestFor(method: string, template: string): fc.Arbitrary<FuzzRequest> {
  const operation = doc.paths[template]![method]!;
  const names = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
  const known = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const queryKey = known.length > 0 ? fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 });
  return fc.record({
    method: fc.constant(method.toUpperCase()),
    template: fc.constant(template),
    params: fc.record(Object.fromEntries(names.map((n) => [n, paramValue]))) as fc.Arbitrary<Record<string, string>>,
    rawPath: fc.boolean(),
    query: fc.dictionary(queryKey, text, { maxKeys: 4 }),
    headers: headers.map(({ session, ...h }) => {
      const out = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
      if (session) out.authorization = `Bearer ${token}`;
      return out;
    }),
    body: method === 'get' || method === 'head' ? fc.constant(undefined) : body,
  });
}

/** The URL of a request: path parameters percent-encoded, or raw (and perhaps malformed). */
function urlOf(req: FuzzRequest): string {
  const path = req.template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    // Lone surrogates cannot be percent-encoded; no client could send them either.
    const value = (req.params[name] ?? '').replace(/[\ud800-\udfff]/gu, '\ufffd');
    // Raw: only what would change the URL's shape is escaped, so '%zz' and the like arrive malformed.
    return req.rawPath ? value.replace(/[\s/?#\u0000-\u001f\u007f]|[^\u0000-\u007f]/gu, encodeURIComponent) : encodeURIComponent(value);
  });
  const query = new URLSearchParams(req.query).toString();
  return `${r.url}${path}${query ? `?${query}` : ''}`;
}

async function send(req: FuzzRequest): Promise<Answer> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    try {
      headers.set(name, value);
    } catch {
      // A value no HTTP client could send (a newline, a non-Latin-1 character) is left out.
    }
  }
  const res = await fetch(urlOf(req), {
    method: req.method,
    headers,
    body: req.body ? new Uint8Array(req.body) : undefined,
    redirect: 'manual',
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('every route, random input', () => {
  test('no 5xx, problem+json with a code on every 4xx, and only documented answers', async (t) => {
    const check = createChecker(doc as never);
    const operations = Object.entries(doc.paths).flatMap(([template, ops]) => Object.keys(ops).map((method) => ({ template, method })));
    assert.ok(operations.length >= 20, `only ${operations.length} operations in the document`);
    for (const { template, method } of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(method, template), async (req) => {
          const res = await send(req);
          const where = `${req.method} ${urlOf(req)} → ${res.status} ${res.text.slice(0, 200)}`;
          assert.ok(res.status < 500, where);
          if (res.status >= 400) {
            assert.match(res.contentType, /^application\/problem\+json/, where);
            if (req.method !== 'HEAD') assert.equal(typeof JSON.parse(res.text).code, 'string', where);
          }
          const parsed = /json/.test(res.contentType) && res.text ? JSON.parse(res.text) : res.text;
          check({ method: req.method, url: urlOf(req), status: res.status, contentType: res.contentType, body: parsed, text: res.text });
        }),
        { numRuns: 12, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      );
    }
  });
});
