/**
 * The client against a registry over TLS, as every real registry is served: the real executable
 * trusts a certificate made for this test through NODE_EXTRA_CA_CERTS, and refuses one it does not
 * trust with a message naming why. openssl makes the certificate.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Sandbox, sandbox } from './cli.ts';

let box: Sandbox;
let server: Server;
let url = '';
const seen: string[] = [];

before(async () => {
  box = await sandbox();
  const key = join(box.root, 'key.pem');
  const cert = join(box.root, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        results: [{ name: 'tls-pkg', version: '1.0.0', description: 'served over TLS', score: 1 }],
        total: 1,
        page: 1,
        per_page: 20,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `https://127.0.0.1:${address.port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(box.root, { recursive: true, force: true });
});

describe('a registry over https', () => {
  test('a trusted certificate: the search is answered', async () => {
    const env = { NODE_EXTRA_CA_CERTS: join(box.root, 'cert.pem') };
    const result = await box.run(['pkg', 'search', 'tls', '--registry', url], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /tls-pkg/);
    assert.equal(seen.at(-1)?.split('?')[0], '/api/v1/search');
  });

  test('an untrusted certificate is refused, and the error says why', async () => {
    const before = seen.length;
    const result = await box.run(['pkg', 'search', 'tls', '--registry', url]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Could not reach the registry at https:\/\/127\.0\.0\.1:\d+ \(self-signed certificate/);
    assert.equal(seen.length, before, 'no request got through');
  });
});
