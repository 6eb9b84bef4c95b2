import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretScanner, type SecretFinding } from './secret-scan.ts';

const random = (alphabet: string, n: number) => Array.from({ length: n }, (_, i) => alphabet[(i * 7919 + 13) % alphabet.length]).join('');
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The line a byte offset is on, counted the slow, obvious way. */
const lineOf = (bytes: Buffer, offset: number) => bytes.subarray(0, offset).toString('latin1').split('\n').length;

/** What the scanner found, each as kind@line (its offsets turned into lines). */
function scan(text: string | Buffer, chunkSize = 64 * 1024): string[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return kinds(scanFindings(bytes, chunkSize), bytes);
}

function scanFindings(bytes: Buffer, chunkSize = 64 * 1024): SecretFinding[] {
  const scanner = createSecretScanner('package/src/config.js');
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.write(bytes.subarray(i, i + chunkSize));
  return scanner.end();
}

const kinds = (found: SecretFinding[], bytes: Buffer) => found.map((f) => `${f.kind}@${lineOf(bytes, f.offset)}`);

// The registry's token shape (syn_ and 40 base62 characters); that the tokens it generates are found is
// tested beside the generator (the server's auth/api-tokens.test.ts).
const token = `syn_${random(ALNUM, 40)}`;
const SECRETS = [
  `const registryToken = "${token}";`,
  `aws_access_key_id = AKIA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
  `-----BEGIN RSA PRIVATE KEY-----\n${random(ALNUM, 64)}\n-----END RSA PRIVATE KEY-----`,
  `GITHUB_TOKEN=ghp_${random(ALNUM, 36)}`,
  `slack: xoxb-123456789012-1234567890123-${random(ALNUM, 24)}`,
  `stripe.key = 'sk_live_${random(ALNUM, 24)}'`,
  `//registry.npmjs.org/:_authToken=npm_${random(ALNUM, 36)}`,
  `notify: 'https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${random(ALNUM, 24)}'`,
].join('\n');
const EXPECTED = [
  'synapse_token@1',
  'aws_access_key@2',
  'private_key@3',
  'github_token@6',
  'slack_token@7',
  'stripe_key@8',
  'npm_token@9',
  'slack_token@10',
];

describe('secret scanning', () => {
  test('finds each kind on its line, however the bytes are split into chunks', () => {
    for (const size of [1, 2, 3, 7, 50, 1000, 64 * 1024]) {
      assert.deepEqual(scan(`${SECRETS}\n`, size).sort(), [...EXPECTED].sort(), `chunks of ${size} bytes`);
    }
    const found = scanFindings(Buffer.from(SECRETS));
    assert.equal(found.find((f) => f.kind === 'synapse_token')?.token, token, 'the token is kept, to be revoked');
  });

  test('every secret is found on its line when the bytes are cut in two at any offset', () => {
    const bytes = Buffer.from(`${SECRETS}\n`);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const scanner = createSecretScanner('package/src/config.js');
      scanner.write(bytes.subarray(0, cut));
      scanner.write(bytes.subarray(cut));
      assert.deepEqual(kinds(scanner.end(), bytes).sort(), [...EXPECTED].sort(), `cut at byte ${cut}`);
    }
  });

  test('an underscore of a token is told from one of an identifier, at the start of a chunk too', () => {
    const lines = [
      `my_token = "${token}"`,
      `stripe=rk_live_${random(ALNUM, 30)}`,
      `pat github_pat_${random(ALNUM, 22)}_${random(ALNUM, 59)}`,
      `ghs_${random(ALNUM, 36)}`,
    ];
    assert.deepEqual(scan(lines.join('\n')), ['synapse_token@1', 'stripe_key@2', 'github_token@3', 'github_token@4']);
    assert.deepEqual(scan(`some_identifier_name\n${lines[3]}`, 21), ['github_token@2'], 'a line starting a chunk');
  });

  test('look-alikes are not secrets', () => {
    const lookAlikes = [
      `syn_${'x'.repeat(40)}`,
      `syn_${random(ALNUM, 39)} is one character short`,
      'const my_syn_token_name = process.env.SYNAPSE_TOKEN;',
      'AKIAIOSFODNN7EXAMPLE is the key the AWS documentation uses',
      '-----BEGIN PUBLIC KEY-----',
      '-----BEGIN PRIVATE KEY-----\n... your key here ...\n-----END PRIVATE KEY-----',
      `ghp_${'a'.repeat(36)}`,
      `sk_test_${random(ALNUM, 24)}`,
      'npm_config_registry=https://example.com',
      `xoxb-not-a-token`,
      `xoxz-123456789012-${random(ALNUM, 24)} (no such Slack prefix)`,
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'see https://api.slack.com/services/T0123ABCD for the rest',
    ].join('\n');
    assert.deepEqual(scan(lookAlikes), []);
  });

  test('a binary file is skipped; a very long line is still scanned', () => {
    assert.deepEqual(scan(Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(token)])), []);
    const long = `${'a'.repeat(5000)} ${token} ${'b'.repeat(5000)}\nnext ${token}`;
    for (const size of [100, 4096]) assert.deepEqual(scan(long, size), ['synapse_token@1', 'synapse_token@2'], `chunks of ${size}`);
  });
});
