import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerEnds, getOneByOne } from './warm-client.ts';

function framer() {
  const seen = { answers: 0, unframed: 0 };
  const push = answerEnds(
    () => (seen.answers += 1),
    () => (seen.unframed += 1),
  );
  return { seen, push: (text: string) => push(Buffer.from(text, 'latin1')) };
}

test('answers end where their length says, however the bytes are split', () => {
  const { seen, push } = framer();
  const two = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\ncontent-length:3\r\n\r\nabc';
  push(two);
  assert.equal(seen.answers, 2);
  // A head split inside its end, a body split in three.
  for (const part of ['HTTP/1.1 200 OK\r\nContent-Length: 6\r', '\n\r\nab', 'cd', 'e']) push(part);
  assert.equal(seen.answers, 2, 'one byte of the body is still to come');
  push('f');
  assert.equal(seen.answers, 3);
  assert.equal(seen.unframed, 0);
});

test('answers without a body end with their head: 304, 204, and a length of 0', () => {
  const { seen, push } = framer();
  push('HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n');
  push('HTTP/1.1 204 No Content\r\n\r\n');
  push('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  assert.deepEqual(seen, { answers: 3, unframed: 0 });
});

test('an answer whose end cannot be told (chunked) gives up once, and ignores what follows', () => {
  const { seen, push } = framer();
  push('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
  push('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx');
  assert.deepEqual(seen, { answers: 0, unframed: 1 });
});

test('a head that never ends gives up instead of growing', () => {
  const { seen, push } = framer();
  push(`HTTP/1.1 200 OK\r\nX-Long: ${'a'.repeat(20_000)}`);
  assert.deepEqual(seen, { answers: 0, unframed: 1 });
});

async function server(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: { url: string | undefined; inFlight: number }[] = [];
  let inFlight = 0;
  const http = createServer((req, res) => {
    inFlight += 1;
    requests.push({ url: req.url, inFlight });
    res.once('finish', () => (inFlight -= 1));
    answer(req, res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return { http, requests, port: (http.address() as AddressInfo).port };
}

for (const clientCloses of [false, true]) {
  test(`GETs one at a time on one connection, then ${clientCloses ? 'the client' : 'the server'} ends it`, async () => {
    const { http, requests, port } = await server((_req, res) => res.end('{"ok":true}'));
    let connections = 0;
    http.on('connection', () => (connections += 1));
    try {
      await getOneByOne(port, ['/a', '/b', '/c'], clientCloses);
      assert.deepEqual(
        requests.map((r) => r.url),
        ['/a', '/b', '/c'],
      );
      assert.ok(
        requests.every((r) => r.inFlight === 1),
        'never a second request before the answer to the one before',
      );
      assert.equal(connections, 1);
    } finally {
      http.close();
    }
  });
}

test('a chunked answer ends the connection instead of hanging it', async () => {
  const { http, requests, port } = await server((_req, res) => {
    res.write('part');
    res.end();
  });
  try {
    await getOneByOne(port, ['/a', '/b'], true);
    assert.deepEqual(
      requests.map((r) => r.url),
      ['/a'],
    );
  } finally {
    http.close();
  }
});
