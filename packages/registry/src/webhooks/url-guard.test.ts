import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWebhookUrl, MAX_ADDRESSES, type Resolver, type UrlPolicy } from './url-guard.ts';

const strict: UrlPolicy = { allowPrivate: false, allowHttp: false };
const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const publicDns = resolveTo('93.184.216.34');

test('a public https URL passes and comes back normalised', async () => {
  const check = await checkWebhookUrl('HTTPS://CI.Example.com:8443/hooks/synapse?team=a', { ...strict, lookup: publicDns });
  assert.equal(check.ok, true);
  assert.equal(check.ok && check.url.href, 'https://ci.example.com:8443/hooks/synapse?team=a');
});

test('syntax: relative, garbage, credentials and overlong URLs are invalid', async () => {
  for (const raw of [
    '/hooks',
    'not a url',
    '',
    'https://',
    'https://user:pw@ci.example.com/',
    'https://user@ci.example.com/',
    `https://ci.example.com/${'a'.repeat(2048)}`,
    `https://ci.example.com/${'é'.repeat(700)}`,
  ]) {
    const check = await checkWebhookUrl(raw, { ...strict, lookup: publicDns });
    assert.equal(check.ok ? 'ok' : check.code, 'webhook_url_invalid', raw.slice(0, 60));
  }
});

test('scheme: https only by default, http with allowHttp, nothing else ever', async () => {
  const refused = await checkWebhookUrl('http://ci.example.com/', { ...strict, lookup: publicDns });
  assert.deepEqual(refused.ok ? null : [refused.code, refused.message], ['webhook_url_scheme', 'The webhook URL must use https, not http']);
  assert.equal((await checkWebhookUrl('http://ci.example.com/', { ...strict, allowHttp: true, lookup: publicDns })).ok, true);
  for (const raw of ['ftp://ci.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://ci.example.com/']) {
    const check = await checkWebhookUrl(raw, { allowPrivate: true, allowHttp: true, lookup: publicDns });
    assert.equal(check.ok ? 'ok' : check.code, 'webhook_url_scheme', raw);
  }
});

test('IP literals in every notation are checked directly, without DNS', async () => {
  const noDns: Resolver = async () => assert.fail('an IP literal must not be resolved');
  const policy = { ...strict, allowHttp: true, lookup: noDns };
  for (const raw of [
    'http://127.0.0.1/',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'https://0.0.0.0/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://100.64.0.1/',
    'https://192.168.0.1:8443/',
  ]) {
    const check = await checkWebhookUrl(raw, policy);
    assert.equal(check.ok ? 'ok' : check.code, 'webhook_url_private', raw);
  }
  assert.equal((await checkWebhookUrl('https://93.184.216.34/', policy)).ok, true);
  assert.equal((await checkWebhookUrl('http://127.0.0.1:8080/', { ...policy, allowPrivate: true })).ok, true);
});

test('a host name is refused when any of its addresses is not public', async () => {
  for (const lookup of [
    resolveTo('127.0.0.1'),
    resolveTo('93.184.216.34', '10.0.0.1'),
    resolveTo('2606:4700::1', '::1'),
    resolveTo('::ffff:169.254.169.254'),
  ]) {
    const check = await checkWebhookUrl('https://hooks.example.com/', { ...strict, lookup });
    assert.equal(check.ok ? 'ok' : check.code, 'webhook_url_private');
    assert.match(check.ok ? '' : check.message, /hooks\.example\.com resolves to a loopback, private, link-local or reserved address/);
  }
  const allowed = await checkWebhookUrl('https://hooks.example.com/', { ...strict, allowPrivate: true, lookup: resolveTo('127.0.0.1') });
  assert.equal(allowed.ok, true);
});

test('only the first MAX_ADDRESSES answers count (bounded work)', async () => {
  const many = [...Array(MAX_ADDRESSES).fill('93.184.216.34'), '127.0.0.1'];
  assert.equal((await checkWebhookUrl('https://hooks.example.com/', { ...strict, lookup: resolveTo(...many) })).ok, true);
});

test('a host that does not resolve, or resolves to nothing, is unresolvable even when private addresses are allowed', async () => {
  const failing: Resolver = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
  };
  for (const lookup of [failing, resolveTo()]) {
    const check = await checkWebhookUrl('https://nowhere.invalid/', { allowPrivate: true, allowHttp: true, lookup });
    assert.equal(check.ok ? 'ok' : check.code, 'webhook_url_unresolvable');
  }
  // The system resolver: .invalid never resolves (RFC 6761).
  const real = await checkWebhookUrl('https://synapse-webhook-test.invalid/', strict);
  assert.equal(real.ok ? 'ok' : real.code, 'webhook_url_unresolvable');
});

test('the default resolver is the system one: localhost is refused', async () => {
  const check = await checkWebhookUrl('https://localhost:8443/', strict);
  assert.equal(check.ok ? 'ok' : check.code, 'webhook_url_private');
});
