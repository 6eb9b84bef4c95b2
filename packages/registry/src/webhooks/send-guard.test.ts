// The SSRF guard at delivery: every refusal happens before a connection is attempted. Counting loopback
// servers prove nothing connected to them; the net.client.socket channel shows that an IP literal gets no
// socket at all and that a host name's socket never received an address (its lookup was refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import tls from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { closeServer, startLoopback, type Loopback } from './loopback-servers.test-support.ts';
import { newWebhookSecret } from './secrets.ts';
import { deliver, type DeliveryResult } from './send.ts';
import { checkWebhookUrl, type Resolver, type UrlPolicy } from './url-guard.ts';

const defaults: UrlPolicy = { allowPrivate: false, allowHttp: false };
const httpOnly: UrlPolicy = { allowPrivate: false, allowHttp: true };
const open: UrlPolicy = { allowPrivate: true, allowHttp: true };
const resolveTo =
  (address: string): Resolver =>
  async () => [{ address, family: address.includes(':') ? 6 : 4 }];

interface Counted {
  result: DeliveryResult;
  /** Client sockets created during the delivery (tests in a file run one at a time). */
  sockets: number;
  /** Of those, the ones that got an address to connect to: every socket minus those whose lookup failed. */
  addressed: number;
}

async function deliverCounting(url: string, policy: UrlPolicy): Promise<Counted> {
  let sockets = 0;
  let refusedLookups = 0;
  const count = (message: unknown) => {
    sockets += 1;
    (message as { socket: Socket }).socket.once('lookup', (error: Error | null) => {
      if (error) refusedLookups += 1;
    });
  };
  subscribe('net.client.socket', count);
  try {
    const result = await deliver({ url, msgId: 'msg_guard', timestamp: new Date(), body: '{}', secrets: [newWebhookSecret()], policy });
    return { result, sockets, addressed: sockets - refusedLookups };
  } finally {
    unsubscribe('net.client.socket', count);
  }
}

async function assertRefusedBoth(url: string, policy: UrlPolicy, codes: [string, string], counter?: Loopback): Promise<Counted> {
  const check = await checkWebhookUrl(url, policy);
  assert.equal(check.ok ? 'ok' : check.code, codes[0], `checkWebhookUrl ${url}`);
  const counted = await deliverCounting(url, policy);
  assert.equal(counted.result.error?.code, codes[1], `deliver ${url}: ${counted.result.error?.message}`);
  assert.equal(counted.addressed, 0, `deliver ${url} gave a socket an address`);
  if (counter) assert.equal(counter.connections(), 0, `${url} reached the loopback server`);
  return counted;
}

test('loopback literals are refused before connecting, by default and with http allowed', async (t) => {
  const v4 = await startLoopback(t, (_req, res) => res.writeHead(204).end());
  const v6 = await startLoopback(t, (_req, res) => res.writeHead(204).end(), '::1');
  for (const server of [v4, v6]) {
    const https = server.url.replace('http:', 'https:');
    await assertRefusedBoth(https, defaults, ['webhook_url_private', 'address_refused'], server);
    await assertRefusedBoth(server.url, defaults, ['webhook_url_scheme', 'invalid_url'], server);
    await assertRefusedBoth(server.url, httpOnly, ['webhook_url_private', 'address_refused'], server);
    await assertRefusedBoth(`http://[::ffff:127.0.0.1]:${server.port}/`, httpOnly, ['webhook_url_private', 'address_refused'], v4);
  }
  await assertRefusedBoth(`http://2130706433:${v4.port}/`, httpOnly, ['webhook_url_private', 'address_refused'], v4);
  // The control: with private addresses allowed the same URLs do connect, so the counters can see it.
  for (const server of [v4, v6]) assert.equal((await deliverCounting(server.url, open)).result.statusCode, 204);
  assert.deepEqual([v4.connections(), v6.connections()], [1, 1]);
});

test('metadata, private and mapped-private literals are refused without a socket', async () => {
  for (const url of [
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://[::ffff:10.0.0.1]/',
    'https://[::ffff:169.254.169.254]/',
    'https://[fd00::1]/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
  ]) {
    const { sockets } = await assertRefusedBoth(url, httpOnly, ['webhook_url_private', 'address_refused']);
    assert.equal(sockets, 0, `${url}: an IP literal is refused before any socket exists`);
  }
});

test('a host name resolving to loopback is refused at creation and at delivery, before connecting', async (t) => {
  const seenHosts: (string | undefined)[] = [];
  const server = await startLoopback(t, (req, res) => {
    seenHosts.push(req.headers.host);
    res.writeHead(204).end();
  });
  const url = `http://receiver.test:${server.port}/hooks`;
  await assertRefusedBoth(url, { ...httpOnly, lookup: resolveTo('127.0.0.1') }, ['webhook_url_private', 'address_refused'], server);
  await assertRefusedBoth(url, { ...httpOnly, lookup: resolveTo('::ffff:10.0.0.1') }, ['webhook_url_private', 'address_refused'], server);
  // The control: allowed, the delivery goes to the pinned address and keeps the host name in Host.
  const allowed = await deliverCounting(url, { ...open, lookup: resolveTo('127.0.0.1') });
  assert.deepEqual([allowed.result.statusCode, allowed.addressed, server.connections()], [204, 1, 1]);
  assert.equal(seenHosts[0], `receiver.test:${server.port}`);
});

test('a DNS rebind between creation and delivery is refused before connecting', async (t) => {
  const server = await startLoopback(t, (_req, res) => res.writeHead(204).end());
  const answers = ['93.184.216.34', '127.0.0.1'];
  let calls = 0;
  const rebinding: Resolver = async () => {
    const address = answers[Math.min(calls, answers.length - 1)]!;
    calls += 1;
    return [{ address, family: 4 }];
  };
  const url = `http://rebind.example:${server.port}/`;
  const policy = { ...httpOnly, lookup: rebinding };
  assert.equal((await checkWebhookUrl(url, policy)).ok, true, 'at creation the host was public');
  const { result, addressed } = await deliverCounting(url, policy);
  assert.equal(result.error?.code, 'address_refused', result.error?.message);
  assert.deepEqual([addressed, server.connections(), calls], [0, 0, 2]);

  const mixed: Resolver = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ];
  const second = await deliverCounting(url, { ...httpOnly, lookup: mixed });
  assert.deepEqual([second.result.error?.code, second.addressed, server.connections()], ['address_refused', 0, 0]);
});

test('plain http is refused when allowHttp is false, even to an allowed address', async (t) => {
  const server = await startLoopback(t, (_req, res) => res.writeHead(204).end());
  await assertRefusedBoth(server.url, { allowPrivate: true, allowHttp: false }, ['webhook_url_scheme', 'invalid_url'], server);
});

test('https to a pinned address keeps the host name for SNI', async (t) => {
  const names: string[] = [];
  // No certificate at all: the server records the SNI name of the ClientHello and ends the handshake.
  const server = tls.createServer({
    SNICallback: (servername, callback) => {
      names.push(servername);
      callback(new Error('test server has no certificate'));
    },
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => closeServer(server));
  const { port } = server.address() as AddressInfo;
  const { result } = await deliverCounting(`https://hooks.receiver.test:${port}/`, { ...open, lookup: resolveTo('127.0.0.1') });
  assert.deepEqual(names, ['hooks.receiver.test']);
  assert.ok(result.error?.code === 'tls_error' || result.error?.code === 'connect_failed', result.error?.code);
});
