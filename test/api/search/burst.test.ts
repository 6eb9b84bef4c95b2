/**
 * A burst of searches (or of name suggestions, a package list) does not hold up other requests: a
 * metadata read that arrives with 40 of them is answered before most of them. On SQLite a search runs on the server's own thread, and without
 * the search queue (packages/registry/src/registry/turn-queue.ts) every search read in one poll of
 * the event loop ran before the next request was read: the metadata read came back last.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { publish, signUp, uniqueName } from '../../helpers/client.ts';

const SEARCHES = 40;
const names = Array.from({ length: 12 }, () => uniqueName('gadget'));
let r: TestRegistry;

before(async () => {
  r = await startRegistry({ REGISTRY_RATE_LIMIT_ENABLED: 'false' });
  const { token } = await signUp(r.api);
  for (const name of names) {
    const res = await publish(r.api, token, { name, version: '1.0.0', description: `A burstgadget for ${name}` });
    assert.equal(res.status, 201);
  }
});
after(() => r?.close());

/** A kept-alive HTTP/1.1 connection sending one GET at a time; resolves with the status. */
async function connection(origin: string): Promise<{ get(path: string): Promise<number>; socket: Socket }> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let buffered = Buffer.alloc(0);
  let waiting: ((status: number) => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 'NaN');
    if (buffered.length < end + 4 + length) return;
    buffered = buffered.subarray(end + 4 + length);
    waiting?.(Number(head.slice(9, 12)));
  });
  return {
    socket,
    get: (path) =>
      new Promise((resolve) => {
        waiting = resolve;
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
      }),
  };
}

for (const [what, path] of [
  ['searches', (i: number) => `/api/v1/search?q=burstgadget&per_page=${10 + (i % 10)}`],
  ['suggestions', (i: number) => `/api/v1/search/suggest?q=gadget&per_page=${10 + (i % 10)}`],
] as const) {
  test(`a metadata read sent with 40 ${what} is answered before most of them`, async () => {
    const conns = await Promise.all(Array.from({ length: SEARCHES + 1 }, () => connection(r.url)));
    try {
      // Every connection open and answered once, so the burst arrives on established connections.
      assert.deepEqual(new Set(await Promise.all(conns.map((c) => c.get('/api/v1/health/live')))), new Set([200]));
      const order: string[] = [];
      const searches = conns.slice(0, SEARCHES).map(async (c, i) => {
        const status = await c.get(path(i));
        order.push(`search ${status}`);
      });
      const metadata = conns[SEARCHES]!.get(`/api/v1/packages/${names[0]}`).then((status) => order.push(`metadata ${status}`));
      await Promise.all([...searches, metadata]);
      assert.equal(order.filter((o) => o === 'search 200').length, SEARCHES, order.join(', '));
      const after = order.length - 1 - order.indexOf('metadata 200');
      assert.ok(after >= SEARCHES / 2, `only ${after} of ${SEARCHES} searches were answered after the metadata read: ${order.join(', ')}`);
    } finally {
      for (const c of conns) c.socket.destroy();
    }
  });
}
