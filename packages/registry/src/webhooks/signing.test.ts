import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret } from './secrets.ts';
import { signedHeaders } from './signing.ts';

test('newWebhookSecret is whsec_ and the base64 of 32 random bytes, different each time', () => {
  const a = newWebhookSecret();
  const b = newWebhookSecret();
  assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(Buffer.from(a.slice('whsec_'.length), 'base64').length, 32);
  assert.notEqual(a, b);
});

test('the standardwebhooks verifier accepts our headers, with the timestamp in whole seconds', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ type: 'ping', data: { note: 'héllo' } });
  const timestamp = new Date(Date.now() - 1234);
  const headers = signedHeaders({ msgId: 'msg_1', timestamp, body, secrets: [secret] });
  assert.equal(headers['webhook-id'], 'msg_1');
  assert.equal(headers['webhook-timestamp'], String(Math.floor(timestamp.getTime() / 1000)));
  assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
  assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
});

test('during a rotation both secrets sign and a receiver holding either one verifies', () => {
  const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
  const body = '{"type":"package.published"}';
  const headers = signedHeaders({ msgId: 'msg_2', timestamp: new Date(), body, secrets: [newSecret, oldSecret] });
  assert.equal(headers['webhook-signature'].split(' ').length, 2);
  for (const secret of [oldSecret, newSecret]) new Webhook(secret).verify(body, headers);
  assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers), WebhookVerificationError);
  assert.throws(() => new Webhook(oldSecret).verify(`${body} `, headers), WebhookVerificationError);
});

test('signedHeaders refuses to sign with no secret', () => {
  assert.throws(() => signedHeaders({ msgId: 'm', timestamp: new Date(), body: '{}', secrets: [] }));
});
