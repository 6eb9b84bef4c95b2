import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { readBody, startLoopback } from './loopback-servers.test-support.ts';
import { newWebhookSecret } from './secrets.ts';
import { deliver, type DeliveryRequest } from './send.ts';
import type { UrlPolicy } from './url-guard.ts';

// Loopback receivers need both lifted; the guard tests (send-guard.test.ts) use the defaults.
const loopbackPolicy: UrlPolicy = { allowPrivate: true, allowHttp: true };
const body = JSON.stringify({ type: 'package.published', data: { package: 'acme/http', version: '1.2.0' } });

function request(url: string, extra: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return { url, msgId: 'msg_test_1', timestamp: new Date(), body, secrets: [newWebhookSecret()], policy: loopbackPolicy, ...extra };
}

/** A receiver that verifies with the standardwebhooks package (not our code) and answers 204 or 401. */
async function verifyingReceiver(t: import('node:test').TestContext, secret: string) {
  const seen: { headers: Record<string, string | string[] | undefined>; method?: string }[] = [];
  const receiver = await startLoopback(t, async (req, res) => {
    const payload = await readBody(req);
    seen.push({ headers: req.headers, method: req.method });
    try {
      new Webhook(secret).verify(payload, req.headers as Record<string, string>);
      res.writeHead(204).end();
    } catch (error) {
      res.writeHead(401).end(`refused: ${(error as Error).message}`);
    }
  });
  return { receiver, seen };
}

test('a receiver verifying with the standardwebhooks package accepts our delivery', async (t) => {
  const secret = newWebhookSecret();
  const { receiver, seen } = await verifyingReceiver(t, secret);
  const result = await deliver(request(`${receiver.url}/hooks?x=1`, { secrets: [secret] }));
  assert.deepEqual({ ok: result.ok, status: result.statusCode, error: result.error }, { ok: true, status: 204, error: null });
  const headers = seen[0]!.headers;
  assert.equal(seen[0]!.method, 'POST');
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(headers['user-agent'], 'Synapse-Registry-Webhooks/1');
  assert.equal(headers['webhook-id'], 'msg_test_1');
  assert.equal(headers['content-length'], String(Buffer.byteLength(body)));

  const wrong = await deliver(request(receiver.url, { secrets: [newWebhookSecret()] }));
  assert.deepEqual([wrong.ok, wrong.statusCode, wrong.error?.code], [false, 401, 'http_error']);
  assert.match(wrong.responseExcerpt, /^refused: No matching signature found/);
});

test('while two secrets sign, receivers holding either one verify the same delivery', async (t) => {
  const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
  for (const held of [oldSecret, newSecret]) {
    const { receiver } = await verifyingReceiver(t, held);
    const result = await deliver(request(receiver.url, { secrets: [newSecret, oldSecret] }));
    assert.equal(result.statusCode, 204);
  }
});

test('a receiver that never answers is cut at the timeout', async (t) => {
  const hanging = await startLoopback(t, () => {});
  const result = await deliver(request(hanging.url, { timeoutMs: 200 }));
  assert.equal(result.error?.code, 'timeout');
  assert.equal(result.statusCode, null);
  assert.ok(result.latencyMs >= 190 && result.latencyMs < 2000, `latency ${result.latencyMs} ms`);
  assert.equal(hanging.requests(), 1);
});

test('a redirect is not followed: the Location is never requested', async (t) => {
  const target = await startLoopback(t, (_req, res) => res.writeHead(204).end());
  const redirecting = await startLoopback(t, (_req, res) => res.writeHead(302, { location: `${target.url}/elsewhere` }).end('moved'));
  const result = await deliver(request(redirecting.url));
  assert.deepEqual([result.ok, result.statusCode, result.error?.code], [false, 302, 'redirect_not_followed']);
  assert.match(result.error!.message, /a redirect to http:\/\/127\.0\.0\.1:\d+\/elsewhere/);
  assert.equal(result.responseExcerpt, 'moved');
  assert.deepEqual([redirecting.requests(), target.connections()], [1, 0]);
});

test('a huge response is read up to 64 KB, then the connection is dropped; the excerpt is the first 1 KB', async (t) => {
  const limit = 64 * 1024 * 1024;
  let written = 0;
  const flooding = await startLoopback(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (written < limit && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  const result = await deliver(request(flooding.url));
  assert.deepEqual([result.ok, result.statusCode, result.error], [true, 200, null]);
  assert.deepEqual([result.responseBytes, result.responseTruncated], [64 * 1024, true]);
  assert.equal(result.responseExcerpt, 'x'.repeat(1024));
  assert.ok(written < limit, `the receiver wrote all ${written} bytes`);
});

test('a small response is read whole; non-2xx answers are http errors with their excerpt', async (t) => {
  const status = { code: 200 };
  const receiver = await startLoopback(t, (_req, res) => res.writeHead(status.code).end(`é${'y'.repeat(2000)}`));
  const ok = await deliver(request(receiver.url));
  assert.deepEqual([ok.ok, ok.responseBytes, ok.responseTruncated, ok.responseExcerpt], [true, 2002, false, `é${'y'.repeat(1022)}`]);
  status.code = 503;
  const failed = await deliver(request(receiver.url));
  assert.deepEqual([failed.ok, failed.statusCode, failed.error?.code], [false, 503, 'http_error']);
});

test('a refused connection, a TLS failure and a cancelled attempt come back as results, not exceptions', async (t) => {
  const plain = await startLoopback(t, (_req, res) => res.writeHead(204).end());
  const tls = await deliver(request(`https://127.0.0.1:${plain.port}/`));
  assert.equal(tls.error?.code, 'tls_error', tls.error?.message);

  const closed = await startLoopback(t, () => {});
  await new Promise<void>((resolve) => closed.server.close(() => resolve()));
  const refused = await deliver(request(closed.url));
  assert.equal(refused.error?.code, 'connect_failed');
  assert.match(refused.error!.message, /ECONNREFUSED/);

  const hanging = await startLoopback(t, () => controller.abort());
  const controller = new AbortController();
  const cancelled = await deliver(request(hanging.url, { signal: controller.signal }));
  assert.equal(cancelled.error?.code, 'timeout');
  assert.match(cancelled.error!.message, /Cancelled/);
});

test('a caller bug (no secret, a newline in the message id) throws before anything is sent', async (t) => {
  const receiver = await startLoopback(t, (_req, res) => res.writeHead(204).end());
  await assert.rejects(deliver(request(receiver.url, { secrets: [] })), /at least one secret/);
  await assert.rejects(deliver(request(receiver.url, { msgId: 'msg\r\nx-injected: 1' })), { code: 'ERR_INVALID_CHAR' });
  assert.equal(receiver.connections(), 0);
});
