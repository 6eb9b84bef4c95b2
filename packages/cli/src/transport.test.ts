import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fakeRegistry, json as reply, type FakeRegistry } from '../../../test/cli/fake-registry.ts';
import { type Answer, readBody, send } from './transport.ts';

let a: FakeRegistry;
let b: FakeRegistry;
const noWait = async () => {};
const json = async (answer: Answer) =>
  JSON.parse((await readBody(answer, { idleMs: 5_000, maxBytes: 1_000_000, what: 'the answer' })).toString('utf8'));

before(async () => {
  a = await fakeRegistry();
  b = await fakeRegistry();
});
after(async () => {
  await a.close();
  await b.close();
});

test('a same-origin 307 re-sends the body with the token; a 303 turns into a GET', async () => {
  a.routes.set('POST /old', (_req, res) => void res.writeHead(307, { location: '/new' }).end());
  a.routes.set('POST /new', (_req, res, body) => reply(res, 200, { got: body }));
  const moved = await send(`${a.url}/old`, { body: '{"x":1}', headers: { authorization: 'Bearer t' }, timeoutMs: 5_000 });
  assert.deepEqual(await json(moved), { got: '{"x":1}' });
  assert.equal(a.seen.at(-1)!.authorization, 'Bearer t');

  a.routes.set('POST /form', (_req, res) => void res.writeHead(303, { location: '/done' }).end());
  a.routes.set('GET /done', (_req, res) => reply(res, 200, { ok: true }));
  assert.equal((await send(`${a.url}/form`, { body: 'x', timeoutMs: 5_000 })).status, 200);
  assert.equal(a.seen.at(-1)!.body, '');
});

test('a body sent with progress goes out whole, again after a 307, and progress reaches its size', async () => {
  a.routes.set('POST /up', (_req, res) => void res.writeHead(307, { location: '/up2' }).end());
  a.routes.set('POST /up2', (req, res, body) => reply(res, 200, { length: body.length, declared: req.headers['content-length'] }));
  const body = new TextEncoder().encode('y'.repeat(200_000));
  const seen: number[] = [];
  const moved = await send(`${a.url}/up`, { body, timeoutMs: 5_000, onBodyProgress: (sent, total) => seen.push(sent / total) });
  assert.deepEqual(await json(moved), { length: 200_000, declared: '200000' });
  assert.equal(a.seen.at(-2)!.body.length, 200_000, 'the first hop got the whole body too');
  assert.ok(seen.length >= 8, `progress was reported ${seen.length} times for two 200 kB sends`);
  assert.equal(seen.at(-1), 1);
});

test('reads are retried on 503, writes are not', async () => {
  let calls = 0;
  a.routes.set('GET /flaky', (_req, res) => (++calls < 3 ? reply(res, 503, {}) : reply(res, 200, { calls })));
  assert.deepEqual(await json(await send(`${a.url}/flaky`, { timeoutMs: 5_000, sleep: noWait })), { calls: 3 });
  let writes = 0;
  a.routes.set('POST /flaky', (_req, res) => reply(res, 503, { writes: ++writes }));
  assert.equal((await send(`${a.url}/flaky`, { body: 'x', timeoutMs: 5_000, sleep: noWait })).status, 503);
  assert.equal(writes, 1);
});

test('a redirect loop stops, and non-http redirects are refused', async () => {
  a.routes.set('GET /loop', (_req, res) => void res.writeHead(302, { location: '/loop' }).end());
  await assert.rejects(send(`${a.url}/loop`, { timeoutMs: 5_000 }), { code: 'too_many_redirects' });
  a.routes.set('GET /file', (_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end());
  await assert.rejects(send(`${a.url}/file`, { timeoutMs: 5_000 }), { code: 'redirect_refused' });
  assert.equal(b.seen.length, 0);
});

test('a body cut off by a closed connection is a network error that says so', async () => {
  a.routes.set('GET /cut', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"name":');
    setTimeout(() => res.destroy(), 20);
  });
  const answer = await send(`${a.url}/cut`, { timeoutMs: 5_000 });
  await assert.rejects(
    readBody(answer, { idleMs: 5_000, maxBytes: 1_000_000, what: 'The answer' }),
    (error: { code?: string; exitCode?: number; message: string }) => {
      assert.equal(error.code, 'response_cut_off');
      assert.equal(error.exitCode, 2, "a network failure, not the user's");
      assert.match(error.message, /The answer was cut off: the connection closed after 8 bytes/);
      return true;
    },
  );
});
