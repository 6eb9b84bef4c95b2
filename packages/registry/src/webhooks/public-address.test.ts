import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicAddress } from './public-address.ts';

test('ordinary public addresses are public', () => {
  for (const address of [
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '[2a00:1450:4001:82a::200e]',
    '::ffff:93.184.216.34',
    '64:ff9b::808:808',
    '2002:5db8:d822::1',
  ]) {
    assert.equal(isPublicAddress(address), true, address);
  }
});

test('loopback, private, link-local, metadata and every other special range are not public', () => {
  for (const address of [
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '100.64.0.1',
    '100.127.255.255',
    '192.0.2.1',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    '240.0.0.1',
    '192.0.0.8',
    '::1',
    '[::1]',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    'fec0::1',
    '2001:db8::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a00:1',
    '::ffff:0:7f00:1',
    '64:ff9b::7f00:1',
    '64:ff9b:1::808:808',
    '::127.0.0.1',
    '::8.8.8.8',
    '::8.8.8.8%eth0',
    '2002:7f00:1::1',
    '2002:a00:1::',
    '2001:0:4136:e378:8000:63bf:f5ff:fffe', // Teredo whose client is 10.0.0.1
    'not-an-address',
    '',
    '127.1',
    '2130706433',
    '0177.0.0.1',
  ]) {
    assert.equal(isPublicAddress(address), false, address);
  }
});

test('a Teredo address whose server and client are public is public', () => {
  // Server 65.54.227.120, client 8.8.8.8 (stored with every bit flipped: f7f7:f7f7).
  assert.equal(isPublicAddress('2001:0:4136:e378:8000:63bf:f7f7:f7f7'), true);
});
