import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSecretScanner } from '../../../core/src/tarball/secret-scan.ts';
import {
  ALL_SCOPES,
  generateApiToken,
  hashApiToken,
  looksLikeApiToken,
  parseTokenRequest,
  tokenAllows,
  type Scope,
  type TokenGrant,
} from './api-tokens.ts';

test('a generated token is syn_ plus 40 base62 characters, stored as its sha256', () => {
  const { secret, hash } = generateApiToken();
  assert.match(secret, /^syn_[0-9A-Za-z]{40}$/);
  assert.equal(secret.length, 44);
  assert.equal(hash, createHash('sha256').update(secret).digest('hex'));
  assert.equal(hashApiToken(secret), hash);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(looksLikeApiToken(secret), true);
});

test('1,000 generated tokens are all different and use the whole alphabet', () => {
  const secrets = new Set<string>();
  const hashes = new Set<string>();
  const characters = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const { secret, hash } = generateApiToken();
    secrets.add(secret);
    hashes.add(hash);
    for (const c of secret.slice(4)) characters.add(c);
  }
  assert.equal(secrets.size, 1000);
  assert.equal(hashes.size, 1000);
  // 40,000 draws over 62 symbols: missing one by chance is about 62 * e^-645, i.e. never.
  assert.equal(characters.size, 62);
});

test('looksLikeApiToken checks prefix and shape', () => {
  const { secret } = generateApiToken();
  const cases: [unknown, boolean][] = [
    [secret, true],
    ['syn_' + 'a'.repeat(40), true],
    ['syn_' + 'a'.repeat(39), false],
    ['syn_' + 'a'.repeat(41), false],
    ['SYN_' + 'a'.repeat(40), false],
    ['npm_' + 'a'.repeat(40), false],
    ['syn_' + 'a'.repeat(39) + '-', false],
    [' ' + secret, false],
    [secret + '\n', false],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.sig', false],
    ['', false],
    [undefined, false],
    [42, false],
  ];
  for (const [input, expected] of cases) assert.equal(looksLikeApiToken(input), expected, JSON.stringify(input));
});

test('ALL_SCOPES lists the scopes', () => {
  assert.deepEqual([...ALL_SCOPES], ['publish', 'delete', 'yank', 'owners', 'dist-tags', 'webhooks']);
});

test('tokenAllows', () => {
  const everything: TokenGrant = { scopes: ['publish', 'delete'], packages: null };
  const publishOnly: TokenGrant = { scopes: ['publish'], packages: null };
  const limited: TokenGrant = { scopes: ['publish'], packages: ['foo_bar', 'web.kit'] };
  const cases: [TokenGrant, Scope, string, boolean][] = [
    [everything, 'publish', 'anything', true],
    [everything, 'delete', 'anything', true],
    [publishOnly, 'publish', 'anything', true],
    [publishOnly, 'delete', 'anything', false],
    [{ scopes: [], packages: null }, 'publish', 'anything', false],
    [limited, 'publish', 'foo_bar', true],
    [limited, 'publish', 'foo-bar', true],
    [limited, 'publish', 'foo.bar', true],
    [limited, 'publish', 'Foo__Bar', true],
    [limited, 'publish', 'web-kit', true],
    [limited, 'publish', 'foobar', false],
    [limited, 'publish', 'foo-bar-baz', false],
    [limited, 'publish', 'other', false],
    [limited, 'delete', 'foo_bar', false],
  ];
  for (const [grant, scope, name, expected] of cases) {
    assert.equal(tokenAllows(grant, scope, name), expected, `${JSON.stringify(grant)} ${scope} ${name}`);
  }
});

test('parseTokenRequest accepts a minimal and a full request', () => {
  assert.deepEqual(parseTokenRequest({ name: 'laptop', scopes: ['publish'] }), {
    ok: true,
    value: { name: 'laptop', scopes: ['publish'], packages: null, expiresInDays: null },
  });
  assert.deepEqual(
    parseTokenRequest({
      name: '  CI for web-kit \u{1F680} ',
      scopes: ['delete', 'publish', 'delete'],
      packages: ['web-kit', 'web_kit', 'utils'],
      expires_in_days: 365,
    }),
    {
      ok: true,
      value: { name: 'CI for web-kit \u{1F680}', scopes: ['publish', 'delete'], packages: ['web-kit', 'utils'], expiresInDays: 365 },
    },
  );
  assert.deepEqual(parseTokenRequest({ name: 'x'.repeat(64), scopes: ['publish'], packages: null, expires_in_days: null }), {
    ok: true,
    value: { name: 'x'.repeat(64), scopes: ['publish'], packages: null, expiresInDays: null },
  });
});

test('parseTokenRequest reports every bad field', () => {
  const valid = { name: 'ci', scopes: ['publish'] };
  const cases: [body: unknown, errors: [field: string, message: RegExp][]][] = [
    [null, [['body', /JSON object/]]],
    [[], [['body', /JSON object/]]],
    ['name=ci', [['body', /JSON object/]]],
    [
      {},
      [
        ['name', /required/],
        ['scopes', /list of one or more of "publish", "delete"/],
      ],
    ],
    [{ ...valid, name: '   ' }, [['name', /blank/]]],
    [{ ...valid, name: 'x'.repeat(65) }, [['name', /at most 64/]]],
    [{ ...valid, name: 'tab\there' }, [['name', /printable/]]],
    [{ ...valid, name: 'bell\u0007' }, [['name', /printable/]]],
    [{ ...valid, name: 'zero\u200bwidth' }, [['name', /printable/]]],
    [{ ...valid, name: 42 }, [['name', /required/]]],
    [{ ...valid, scopes: [] }, [['scopes', /list of one or more/]]],
    [{ ...valid, scopes: 'publish' }, [['scopes', /list of one or more/]]],
    [{ ...valid, scopes: ['publish', 'admin'] }, [['scopes', /unknown scope "admin"/]]],
    [{ ...valid, scopes: ['Publish'] }, [['scopes', /unknown scope "Publish"/]]],
    [{ ...valid, packages: [] }, [['packages', /at least one package/]]],
    [{ ...valid, packages: 'web-kit' }, [['packages', /list of package names/]]],
    [{ ...valid, packages: Array.from({ length: 101 }, (_, i) => `p${i}`) }, [['packages', /at most 100/]]],
    [
      { ...valid, packages: ['ok', 'Bad Name', 'con', 7] },
      [
        ['packages[1]', /lowercase/],
        ['packages[2]', /device name/],
        ['packages[3]', /required/],
      ],
    ],
    [{ ...valid, expires_in_days: 0 }, [['expires_in_days', /1 to 365/]]],
    [{ ...valid, expires_in_days: 366 }, [['expires_in_days', /1 to 365/]]],
    [{ ...valid, expires_in_days: 1.5 }, [['expires_in_days', /whole number/]]],
    [{ ...valid, expires_in_days: '30' }, [['expires_in_days', /whole number/]]],
    [{ ...valid, expiresInDays: 30 }, [['expiresInDays', /unknown field/]]],
    [
      { name: '', scopes: ['root'], packages: ['UPPER'], expires_in_days: -1 },
      [
        ['name', /blank/],
        ['scopes', /unknown scope "root"/],
        ['packages[0]', /lowercase/],
        ['expires_in_days', /1 to 365/],
      ],
    ],
  ];
  for (const [body, expected] of cases) {
    const result = parseTokenRequest(body);
    const label = JSON.stringify(body).slice(0, 80);
    assert.equal(result.ok, false, label);
    if (result.ok) continue;
    assert.deepEqual(
      result.errors.map((e) => e.field),
      expected.map(([field]) => field),
      label,
    );
    result.errors.forEach((error, i) => assert.match(error.message, expected[i]![1], label));
  }
});

test('the publish secret scan finds a generated token, and keeps it to revoke', () => {
  for (let i = 0; i < 100; i++) {
    const { secret } = generateApiToken();
    const scanner = createSecretScanner('package/src/config.syn');
    scanner.write(Buffer.from(`let token = "${secret}"\n`));
    assert.deepEqual(
      scanner.end().map((f) => [f.kind, f.token]),
      [['synapse_token', secret]],
    );
  }
});
