import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteBar, byteMeter } from './download.ts';

test('the bar fills with what arrived, and stays away for small downloads', () => {
  assert.equal(byteBar(0, 100, 10), '[----------]');
  assert.equal(byteBar(55, 100, 10), '[#####-----]');
  assert.equal(byteBar(200, 100, 10), '[##########]');
  const meter = byteMeter();
  meter.expect(500_000);
  assert.equal(meter.text(), null);
  meter.expect(Number.NaN);
  meter.expect(58_100_000);
  meter.received(12_400_000);
  assert.equal(meter.text(), '[####----------------] 12.4 MB / 58.6 MB');
});
