import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '@node-rs/argon2';
import { ARGON2_PARALLELISM, OWASP_PASSWORD_HASH_COST, checkPasswordPolicy, createPasswordHasher, verifyPassword } from './passwords.ts';

// The production cost, as every registry outside the test suites uses it.
const owasp = await createPasswordHasher(OWASP_PASSWORD_HASH_COST);

test('a hashed password verifies, a wrong one does not', async () => {
  const stored = await owasp.hash('correct horse battery staple');
  assert.equal(await verifyPassword(stored, 'correct horse battery staple'), true);
  assert.equal(await verifyPassword(stored, 'correct horse battery stapler'), false);
  assert.equal(await verifyPassword(stored, 'Correct horse battery staple'), false);
  assert.equal(await verifyPassword(stored, ''), false);
});

test('the stored hash is argon2id with the OWASP parameters and a fresh salt', async () => {
  assert.deepEqual([OWASP_PASSWORD_HASH_COST.memoryKib, OWASP_PASSWORD_HASH_COST.passes, ARGON2_PARALLELISM], [19456, 2, 1]);
  const a = await owasp.hash('same password twice');
  const b = await owasp.hash('same password twice');
  const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
  const match = phc.exec(a);
  assert.ok(match, `not an argon2id PHC string: ${a}`);
  assert.deepEqual(match.slice(1, 4).map(Number), [19456, 2, 1]);
  assert.ok(a.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'));
  assert.notEqual(a, b, 'two hashes of one password must differ by salt');
  assert.equal(owasp.needsRehash(a), false);
});

test('a malformed or foreign hash verifies as false instead of throwing', async () => {
  for (const bad of ['', 'garbage', '$argon2id$v=19$m=19456,t=2,p=1$', '$2b$10$abcdefghijklmnopqrstuv', 'x'.repeat(500)]) {
    assert.equal(await verifyPassword(bad, 'whatever it is'), false, bad);
    assert.equal(owasp.needsRehash(bad), true, bad);
  }
});

test('hashes made with weaker parameters are flagged for rehashing', () => {
  assert.equal(owasp.needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$VGhpcyBpcyBub3QgYSByZWFsIGhhc2ggdmFsdWUhIQ'), true);
});

test('a hash verifies at the cost it records, whatever cost the hasher has now, and is flagged when the cost moved', async () => {
  const cheap = await createPasswordHasher({ memoryKib: 1024, passes: 1 });
  const stored = await cheap.hash('made at a lower cost');
  assert.ok(stored.startsWith('$argon2id$v=19$m=1024,t=1,p=1$'), stored);
  assert.equal(await verifyPassword(stored, 'made at a lower cost'), true);
  assert.equal(cheap.needsRehash(stored), false);
  assert.equal(owasp.needsRehash(stored), true);
  assert.equal(cheap.needsRehash(await owasp.hash('made at the OWASP cost')), true);
});

test('unicode forms of one password verify alike', async () => {
  const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
  const decomposed = composed.normalize('NFD');
  assert.notEqual(composed, decomposed);
  const stored = await owasp.hash(composed);
  assert.equal(await verifyPassword(stored, decomposed), true);
});

test("the dummy hash is made at the hasher's own cost and never matches", async () => {
  for (const cost of [OWASP_PASSWORD_HASH_COST, { memoryKib: 1024, passes: 1 }, { memoryKib: 8192, passes: 3 }]) {
    const hasher = cost === OWASP_PASSWORD_HASH_COST ? owasp : await createPasswordHasher(cost);
    const options = parseOptions(hasher.dummyHash);
    assert.deepEqual([options.memoryCost, options.timeCost, options.parallelism], [cost.memoryKib, cost.passes, ARGON2_PARALLELISM]);
    assert.equal(hasher.needsRehash(hasher.dummyHash), false);
    assert.equal(await hasher.verifyAgainstDummy('any password at all'), false);
    assert.equal(await hasher.verifyAgainstDummy(''), false);
  }
  const other = await createPasswordHasher(OWASP_PASSWORD_HASH_COST);
  assert.notEqual(other.dummyHash, owasp.dummyHash, 'each hasher makes its own dummy, from a random password');
});

test('password policy', () => {
  const pangrams = 'The quick brown fox jumps over the lazy dog. '.repeat(6);
  const cases: [password: string, username: string, expected: RegExp | null][] = [
    ['short', 'alice', /at least 10 characters/],
    ['nine char', 'alice', /at least 10 characters \(this one has 9\)/],
    ['\u{1F600}\u{1F389}\u{1F40D}\u{1F680}\u{1F308}\u{1F355}\u{1F3B8}\u{1F4E6}\u{1F511}x', 'alice', null], // code points, not UTF-16 units
    ['\u{1F600}\u{1F389}\u{1F40D}\u{1F680}\u{1F308}', 'alice', /at least 10/],
    [pangrams.slice(0, 256), 'alice', null],
    [pangrams.slice(0, 257), 'alice', /at most 256 characters/],
    ['TheRealAliceLiddell', 'thereal', /contain your username/],
    ['LongUserName', 'longusername', /must not be your username/],
    ['emanresugnol9!', 'longusername', /username reversed/],
    ['longuser, but a different one', 'longusername', null],
    ['my dog is named ECILA, really', 'alice', /username reversed/],
    ['my name is bo, really', 'bo', null], // short usernames are only checked for equality
    ['1234567890', 'alice', /common/],
    ['qwertyuiop', 'alice', /common/],
    ['QwertyUiop', 'alice', /common/],
    ['password123', 'alice', /common/],
    ['iloveyou12', 'alice', /common/],
    ['Dragon2024!', 'alice', /common/],
    ['P@ssw0rd123', 'alice', /common/],
    ['123password', 'alice', /common/],
    ['aaaaaaaaaaaa', 'alice', /common/],
    ['abcabcabcabc', 'alice', /common/],
    ['correct horse battery staple', 'alice', null],
    ['passion fruit tastes odd', 'alice', null],
    ['Tr0ub4dor&3-extra', 'alice', null],
  ];
  for (const [password, username, expected] of cases) {
    const message = checkPasswordPolicy(password, { username });
    if (expected === null) assert.equal(message, null, `${password} should pass, got: ${message}`);
    else assert.match(message ?? '(accepted)', expected, password);
  }
});
