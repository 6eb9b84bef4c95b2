import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './index.ts';

// A random-looking secret (production refuses low-entropy ones) and a public URL (required there).
const SECRET = 'Zq3v9Lk2Wm8Rt5Yp1Hs7Nd4Bf6Gc0Jx-Ua_Ee';
const PRODUCTION = { REGISTRY_ENV: 'production', REGISTRY_PUBLIC_URL: 'https://registry.example.com' };

test('development defaults: SQLite file and blob folder under ./data, port 8080', () => {
  const config = loadConfig({});
  assert.equal(config.env, 'development');
  assert.equal(config.server.port, 8080);
  assert.equal(config.server.host, '127.0.0.1');
  assert.deepEqual(config.database, { kind: 'sqlite', path: 'data/registry.db' });
  assert.deepEqual(config.storage, { type: 'local', path: 'data/packages' });
  assert.equal(config.limits.maxTarballBytes, 100 * 1024 * 1024);
  assert.equal(config.rateLimit.enabled, true);
  assert.equal(config.auth.jwtTtlSeconds, 30 * 86_400);
});

test('test mode: in-memory database and rate limits off', () => {
  const config = loadConfig({ REGISTRY_ENV: 'test' });
  assert.deepEqual(config.database, { kind: 'sqlite', path: ':memory:' });
  assert.equal(config.rateLimit.enabled, false);
});

test('NODE_ENV is the fallback for REGISTRY_ENV', () => {
  assert.equal(loadConfig({ NODE_ENV: 'test' }).env, 'test');
  assert.equal(loadConfig({ NODE_ENV: 'test', REGISTRY_ENV: 'development' }).env, 'development');
});

test('production refuses to start without a secret of at least 32 bytes', () => {
  assert.throws(
    () => loadConfig({ REGISTRY_ENV: 'production' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /REGISTRY_SECRET_KEY is required in production/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: 'short' }), /at least 32 bytes/);
  assert.throws(() => loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: `dev-key-${SECRET}` }), /placeholder/);
  assert.equal(loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: SECRET }).auth.secretKey, SECRET);
});

test('production refuses a long secret with little randomness, and says how to make one', () => {
  for (const weak of ['a'.repeat(32), 'x'.repeat(64), '0123456789'.repeat(4), 'abababababababababababababababab'.repeat(2)]) {
    assert.throws(
      () => loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: weak }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /not random enough/, weak);
        assert.match(e.message, /openssl rand -base64 48/);
        return true;
      },
      weak,
    );
  }
  // What the hint's commands print passes, and so does 32 random bytes as hex (the old advice).
  const base64 = randomBytes(48).toString('base64');
  assert.equal(loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: base64 }).auth.secretKey, base64);
  for (let i = 0; i < 50; i++) {
    const hex = randomBytes(32).toString('hex');
    assert.equal(loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: hex }).auth.secretKey, hex);
  }
  // Outside production a weak key is the developer's business.
  assert.equal(loadConfig({ REGISTRY_SECRET_KEY: 'a'.repeat(32) }).auth.secretKey, 'a'.repeat(32));
});

test('password hashes: the OWASP cost by default, a cheap one in test mode, and never below OWASP in production', () => {
  const owasp = { memoryKib: 19456, passes: 2 };
  assert.deepEqual(loadConfig({}).auth.passwordHashCost, owasp);
  assert.deepEqual(loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: SECRET }).auth.passwordHashCost, owasp);
  assert.deepEqual(loadConfig({ REGISTRY_ENV: 'test' }).auth.passwordHashCost, { memoryKib: 1024, passes: 1 });
  assert.deepEqual(loadConfig({ REGISTRY_ENV: 'test', REGISTRY_PASSWORD_HASH_COST: 'm=19456,t=2' }).auth.passwordHashCost, owasp);
  assert.deepEqual(loadConfig({ REGISTRY_PASSWORD_HASH_COST: 'm=4096,t=1' }).auth.passwordHashCost, { memoryKib: 4096, passes: 1 });
  const stronger = { ...PRODUCTION, REGISTRY_SECRET_KEY: SECRET, REGISTRY_PASSWORD_HASH_COST: 'm=65536,t=3' };
  assert.deepEqual(loadConfig(stronger).auth.passwordHashCost, { memoryKib: 65536, passes: 3 });
  for (const weak of ['m=1024,t=1', 'm=19455,t=2', 'm=47104,t=1']) {
    assert.throws(
      () => loadConfig({ ...PRODUCTION, REGISTRY_SECRET_KEY: SECRET, REGISTRY_PASSWORD_HASH_COST: weak }),
      (e: unknown) => e instanceof ConfigError && /REGISTRY_PASSWORD_HASH_COST=m=\d+,t=\d is below m=19456,t=2/.test(e.message),
      weak,
    );
  }
  for (const bad of ['19456', 'm=19456', 'm=4,t=1', 'm=19456,t=0', 't=2,m=19456', 'm=19456,t=2,p=4']) {
    assert.throws(() => loadConfig({ REGISTRY_PASSWORD_HASH_COST: bad }), /REGISTRY_PASSWORD_HASH_COST=.* must be m=KiB,t=passes/, bad);
  }
});

test('production needs REGISTRY_PUBLIC_URL, unless a trusted proxy sets the Host', () => {
  const env = { REGISTRY_ENV: 'production', REGISTRY_SECRET_KEY: SECRET };
  assert.throws(() => loadConfig(env), /REGISTRY_PUBLIC_URL is required in production/);
  assert.equal(loadConfig({ ...env, REGISTRY_PUBLIC_URL: 'https://r.example.com/' }).server.publicUrl, 'https://r.example.com');
  const proxied = loadConfig({ ...env, REGISTRY_TRUST_PROXY: 'true' });
  assert.equal(proxied.server.publicUrl, undefined);
  assert.equal(proxied.server.trustProxy, true);
  assert.equal(loadConfig({}).server.publicUrl, undefined, 'development follows the Host');
});

test('database URLs: sqlite file, sqlite memory, postgres; anything else is refused', () => {
  assert.deepEqual(loadConfig({ REGISTRY_DB_URL: 'sqlite:///var/lib/r.db' }).database, { kind: 'sqlite', path: '/var/lib/r.db' });
  assert.deepEqual(loadConfig({ REGISTRY_DB_URL: 'sqlite::memory:' }).database, { kind: 'sqlite', path: ':memory:' });
  assert.equal(loadConfig({ REGISTRY_DB_URL: 'postgres://u@h/db' }).database.kind, 'postgres');
  assert.throws(() => loadConfig({ REGISTRY_DB_URL: 'mysql://x' }), /REGISTRY_DB_URL="mysql:\/\/x" must be/);
});

test('every wrong value is reported at once, one line each', () => {
  try {
    loadConfig({
      REGISTRY_ENV: 'staging',
      REGISTRY_PORT: 'eighty',
      REGISTRY_STORAGE_TYPE: 'ftp',
      REGISTRY_LOG_LEVEL: 'loud',
      REGISTRY_MAX_TARBALL_BYTES: '-1',
      REGISTRY_RATE_LIMIT_ENABLED: 'maybe',
    });
    assert.fail('expected a ConfigError');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 6, e.message);
    assert.match(e.message, /REGISTRY_ENV="staging" must be one of development, test, production/);
    assert.match(e.message, /REGISTRY_PORT="eighty" must be a whole number/);
    assert.match(e.message, /REGISTRY_STORAGE_TYPE="ftp" must be one of local, s3/);
  }
});

test('S3 storage needs a bucket and reads the S3 variables', () => {
  assert.throws(() => loadConfig({ REGISTRY_STORAGE_TYPE: 's3' }), /REGISTRY_S3_BUCKET is required/);
  const config = loadConfig({
    REGISTRY_STORAGE_TYPE: 's3',
    REGISTRY_S3_BUCKET: 'pkgs',
    REGISTRY_S3_ENDPOINT: 'http://127.0.0.1:9000',
    REGISTRY_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: 'a',
    AWS_SECRET_ACCESS_KEY: 'b',
  });
  assert.deepEqual(config.storage, {
    type: 's3',
    bucket: 'pkgs',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    prefix: undefined,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    redirectDownloads: false,
    stagingDir: undefined,
  });
});

test('REGISTRY_SEARCH_RANK_ALL_LIMIT: 5,000 matches by default, a whole number from 1 to 100,000', () => {
  assert.equal(loadConfig({}).search.rankAllLimit, 5_000);
  assert.equal(loadConfig({ REGISTRY_SEARCH_RANK_ALL_LIMIT: '200' }).search.rankAllLimit, 200);
  for (const wrong of ['0', '100001', 'lots']) {
    assert.throws(() => loadConfig({ REGISTRY_SEARCH_RANK_ALL_LIMIT: wrong }), /REGISTRY_SEARCH_RANK_ALL_LIMIT/);
  }
});

test('REGISTRY_SEARCH_CACHE_MS: 5 s by default, 0 (off) to 60 s', () => {
  assert.equal(loadConfig({}).search.cacheMs, 5_000);
  assert.equal(loadConfig({ REGISTRY_SEARCH_CACHE_MS: '0' }).search.cacheMs, 0);
  for (const wrong of ['-1', '60001', 'soon']) {
    assert.throws(() => loadConfig({ REGISTRY_SEARCH_CACHE_MS: wrong }), /REGISTRY_SEARCH_CACHE_MS/);
  }
});

test('REGISTRY_JOBS_*: the job runner is on, polls every second (50 ms in test) and runs 16 jobs at once by default', () => {
  const jobs = (env: Record<string, string>) => {
    const { enabled, pollMs, concurrency } = loadConfig(env).jobs;
    return { enabled, pollMs, concurrency };
  };
  assert.deepEqual(jobs({}), { enabled: true, pollMs: 1_000, concurrency: 16 });
  assert.equal(jobs({ REGISTRY_ENV: 'test' }).pollMs, 50);
  assert.deepEqual(jobs({ REGISTRY_JOBS_ENABLED: 'false', REGISTRY_JOBS_POLL_MS: '250', REGISTRY_JOBS_CONCURRENCY: '4' }), {
    enabled: false,
    pollMs: 250,
    concurrency: 4,
  });
  assert.throws(
    () => loadConfig({ REGISTRY_JOBS_ENABLED: 'sometimes', REGISTRY_JOBS_POLL_MS: '5', REGISTRY_JOBS_CONCURRENCY: '0' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      for (const problem of [
        'REGISTRY_JOBS_ENABLED="sometimes" must be true or false',
        'REGISTRY_JOBS_POLL_MS="5" must be a whole number >= 10 and <= 3600000',
        'REGISTRY_JOBS_CONCURRENCY="0" must be a whole number >= 1 and <= 1000',
      ]) {
        assert.ok(e.problems.includes(problem), `${problem} in ${JSON.stringify(e.problems)}`);
      }
      return true;
    },
  );
});

test('REGISTRY_SECRET_SCAN_THREAD: a worker thread where more than two cores are, inline on fewer; true and false decide', () => {
  assert.equal(loadConfig({}).limits.scanThread, availableParallelism() > 2);
  assert.equal(loadConfig({ REGISTRY_SECRET_SCAN_THREAD: 'auto' }).limits.scanThread, availableParallelism() > 2);
  assert.equal(loadConfig({ REGISTRY_SECRET_SCAN_THREAD: 'true' }).limits.scanThread, true);
  assert.equal(loadConfig({ REGISTRY_SECRET_SCAN_THREAD: 'false' }).limits.scanThread, false);
  assert.throws(() => loadConfig({ REGISTRY_SECRET_SCAN_THREAD: 'sometimes' }), /REGISTRY_SECRET_SCAN_THREAD/);
});
