/**
 * A deterministic corpus of realistic packages for search quality and speed: a hand-written core of
 * well-known packages (the ones the relevance queries want) among generated neighbours that share
 * their words (`http-client-lite`, `fast-yaml-tools`, descriptions reusing the same vocabulary),
 * with Zipf-like downloads so popularity has to be weighed, not just read.
 */

export interface CorpusPackage {
  name: string;
  description: string;
  keywords: string[];
  author: string;
  /** Downloads over the last 30 days. */
  downloads: number;
  /** Days since the latest publish. */
  ageDays: number;
  /** How many versions to create (the last is the latest). */
  versions: number;
}

/** mulberry32: a small seeded PRNG, so every run builds the same corpus. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const p = (name: string, description: string, keywords: string[], author: string, downloads: number, ageDays = 30): CorpusPackage => ({
  name,
  description,
  keywords,
  author,
  downloads,
  ageDays,
  versions: 5,
});

/** The packages the relevance queries look for, each with a plausible, popular-enough profile. */
export const CORE: CorpusPackage[] = [
  p(
    'http-client',
    'A fast HTTP client with retries, timeouts and connection pooling',
    ['http', 'client', 'fetch', 'network'],
    'Jane Doe',
    480_000,
  ),
  p('http-server', 'A minimal HTTP server with routing and middleware', ['http', 'server', 'web'], 'John Roe', 350_000),
  p('http', 'Low-level HTTP/1.1 message parsing and serialisation', ['http', 'protocol'], 'Carl Vine', 90_000),
  p(
    'oauth2',
    'OAuth 2.0 client and authorization server flows: PKCE, refresh tokens, device codes',
    ['oauth', 'auth', 'security'],
    'Mira Patel',
    210_000,
  ),
  p('jwt', 'Sign and verify JSON Web Tokens (HS256, RS256, EdDSA)', ['jwt', 'auth', 'token', 'security'], 'Omar Haddad', 330_000),
  p('yaml', 'YAML 1.2 parser and serializer with comments preserved', ['yaml', 'parser', 'config'], 'Ann Smith', 420_000),
  p('toml', 'TOML parser and writer', ['toml', 'config', 'parser'], 'Dee Eld', 120_000),
  p('json-schema', 'Validate JSON documents against JSON Schema draft 2020-12', ['json', 'schema', 'validation'], 'Lena Fischer', 260_000),
  p('left-pad', 'Pad the left side of a string with spaces or any character', ['string', 'padding'], 'Azer Koc', 700_000),
  p('semver', 'Parse, compare and match semantic version numbers and ranges', ['semver', 'version', 'range'], 'Isaac Slater', 900_000),
  p('websocket', 'WebSocket client and server with permessage-deflate', ['websocket', 'realtime', 'network'], 'Kofi Mensah', 300_000),
  p('markdown', 'CommonMark compliant Markdown to HTML renderer with plugins', ['markdown', 'commonmark', 'html'], 'Rita Gomez', 380_000),
  p(
    'postgres-client',
    'PostgreSQL client with pooling, prepared statements and COPY',
    ['postgres', 'postgresql', 'database', 'sql'],
    'Ivan Petrov',
    310_000,
  ),
  p('sqlite', 'Embedded SQLite bindings with a synchronous API', ['sqlite', 'database', 'sql'], 'Hana Sato', 260_000),
  p('redis-client', 'Redis client with cluster, sentinel and pipelining support', ['redis', 'cache', 'database'], 'Tom Berg', 280_000),
  p(
    'args-parser',
    'Parse command line arguments into typed options with generated help',
    ['cli', 'arguments', 'options', 'argv'],
    'Nora Lund',
    340_000,
  ),
  p(
    'colorize',
    'Terminal colors and styles: bold, underline, 256 colors and truecolor',
    ['terminal', 'color', 'ansi', 'cli'],
    'Sam Okafor',
    520_000,
  ),
  p('uuid', 'Generate RFC 9562 UUIDs: v4 random and v7 time-ordered', ['uuid', 'id', 'random'], 'Eva Novak', 610_000),
  p(
    'date-format',
    'Format and parse dates with locale-aware patterns and time zones',
    ['date', 'time', 'format', 'timezone'],
    'Luis Ortega',
    290_000,
  ),
  p('tensor', 'N-dimensional arrays and GPU-accelerated tensor math', ['tensor', 'gpu', 'math', 'machine-learning'], 'Wei Chen', 150_000),
  p('image-resize', 'Resize, crop and convert JPEG, PNG and WebP images quickly', ['image', 'resize', 'thumbnail'], 'Priya Rao', 160_000),
  p(
    'gzip-stream',
    'Streaming gzip and deflate compression and decompression',
    ['gzip', 'compression', 'stream', 'deflate'],
    'Olga Ivanova',
    140_000,
  ),
  p('tar-archive', 'Create and extract tar archives as streams', ['tar', 'archive', 'stream'], 'Ben Carter', 130_000),
  p(
    'rate-limiter',
    'Token bucket and sliding window rate limiting, in memory or Redis',
    ['rate-limit', 'throttle', 'redis'],
    'Ada Quinn',
    120_000,
  ),
  p('retry', 'Retry async operations with exponential backoff and jitter', ['retry', 'backoff', 'async'], 'Ken Watanabe', 330_000),
  p('logger', 'Structured JSON logging with levels, child loggers and redaction', ['log', 'logging', 'json'], 'Maya Levi', 450_000),
  p('test-runner', 'Test runner with parallel files, snapshots and watch mode', ['test', 'testing', 'snapshot'], 'Paul Weber', 300_000),
  p('mock-server', 'Mock HTTP APIs in tests from recorded fixtures', ['mock', 'http', 'testing'], 'Zoe Martin', 70_000),
  p('csv-parser', 'Fast streaming CSV parser with quoting and custom delimiters', ['csv', 'parser', 'stream'], 'Ali Demir', 240_000),
  p('xml-parser', 'SAX and DOM style XML parser with namespace support', ['xml', 'parser', 'dom', 'sax'], 'Sara Berg', 170_000),
  p('regex-builder', 'Build readable regular expressions from composable pieces', ['regex', 'regexp', 'pattern'], 'Jon Park', 60_000),
  p(
    'i18n',
    'Internationalization: message formats, plurals and locale fallbacks',
    ['i18n', 'locale', 'translation'],
    'Marie Dubois',
    210_000,
  ),
  p('email-validator', 'Validate e-mail addresses syntactically and check MX records', ['email', 'validation', 'mx'], 'Rui Costa', 110_000),
  p('smtp-mailer', 'Send e-mail over SMTP with attachments and DKIM signing', ['email', 'smtp', 'mail'], 'Elif Yilmaz', 180_000),
  p('graphql', 'GraphQL schema, parser and executor', ['graphql', 'api', 'schema'], 'Dan Brooks', 270_000),
  p('grpc', 'gRPC client and server over HTTP/2 with protobuf codegen', ['grpc', 'protobuf', 'rpc'], 'Yuki Mori', 140_000),
  p('crypto-hash', 'SHA-2, SHA-3, BLAKE3 and HMAC hashing', ['crypto', 'hash', 'sha256', 'hmac'], 'Fatima Zahra', 230_000),
  p('kubernetes-client', 'Kubernetes API client: watch, apply and port-forward', ['kubernetes', 'k8s', 'cloud'], 'Erik Holm', 90_000),
  p('dotenv', 'Load environment variables from a .env file', ['env', 'config', 'environment'], 'Tariq Aziz', 800_000),
  p('cron-scheduler', 'Run jobs on cron schedules with time zone support', ['cron', 'schedule', 'jobs'], 'Greta Lind', 95_000),
  p('pdf-render', 'Render PDF pages to images and extract text', ['pdf', 'render', 'text'], 'Hugo Blanc', 65_000),
  p('legacy-http', 'An old HTTP client, deprecated in favour of http-client', ['http', 'legacy', 'deprecated'], 'Bob Stone', 40_000, 900),
  p('fuzzy-search', 'Fuzzy string matching and ranking for search boxes', ['fuzzy', 'search', 'string'], 'Ines Moreau', 85_000),
  p('geo-distance', 'Great-circle distance, bearings and geohashes', ['geo', 'distance', 'geohash'], 'Pavel Novak', 45_000),
];

const DOMAINS = [
  'http',
  'json',
  'yaml',
  'toml',
  'xml',
  'csv',
  'crypto',
  'hash',
  'jwt',
  'oauth',
  'auth',
  'log',
  'cache',
  'redis',
  'sql',
  'postgres',
  'sqlite',
  'graph',
  'tensor',
  'matrix',
  'vector',
  'image',
  'audio',
  'video',
  'test',
  'mock',
  'bench',
  'cli',
  'args',
  'color',
  'date',
  'time',
  'uuid',
  'regex',
  'template',
  'markdown',
  'html',
  'css',
  'websocket',
  'grpc',
  'proto',
  'queue',
  'retry',
  'rate',
  'config',
  'env',
  'path',
  'file',
  'stream',
  'zip',
  'gzip',
  'tar',
  'diff',
  'semver',
  'i18n',
  'locale',
  'math',
  'stats',
  'random',
  'geo',
  'email',
  'smtp',
  'dns',
  'tls',
  'socket',
  'event',
  'router',
  'session',
  'cookie',
  'form',
  'upload',
  'pdf',
  'font',
  'svg',
  'chart',
  'table',
  'string',
  'array',
  'object',
  'promise',
  'async',
  'worker',
  'thread',
  'pool',
  'buffer',
  'binary',
  'bit',
  'number',
  'money',
  'currency',
  'password',
  'otp',
  'ssh',
  'git',
  'docker',
  'kubernetes',
  'cloud',
  's3',
  'storage',
  'search',
  'index',
  'tree',
  'trie',
  'heap',
  'lru',
  'bloom',
  'fuzzy',
];
const ROLES = [
  'client',
  'server',
  'parser',
  'kit',
  'utils',
  'core',
  'lite',
  'tools',
  'helper',
  'plugin',
  'sdk',
  'validator',
  'encoder',
  'decoder',
  'builder',
  'router',
  'middleware',
  'adapter',
  'bindings',
  'stream',
  'format',
  'schema',
  'cli',
  'loader',
  'store',
];
const PREFIXES = [
  'fast',
  'tiny',
  'simple',
  'super',
  'micro',
  'easy',
  'safe',
  'async',
  'better',
  'node',
  'syn',
  'pure',
  'smart',
  'hyper',
  'open',
];
const ADJECTIVES = [
  'small',
  'fast',
  'zero-dependency',
  'typed',
  'streaming',
  'minimal',
  'extensible',
  'battle-tested',
  'experimental',
  'lightweight',
  'pluggable',
  'robust',
];
const NOUNS: Record<string, string> = {
  client: 'client',
  server: 'server',
  parser: 'parser',
  kit: 'toolkit',
  utils: 'utilities',
  core: 'core library',
  lite: 'lightweight library',
  tools: 'tools',
  helper: 'helpers',
  plugin: 'plugin',
  sdk: 'SDK',
  validator: 'validator',
  encoder: 'encoder',
  decoder: 'decoder',
  builder: 'builder',
  router: 'router',
  middleware: 'middleware',
  adapter: 'adapter',
  bindings: 'bindings',
  stream: 'streams',
  format: 'formatter',
  schema: 'schema definitions',
  cli: 'command line tool',
  loader: 'loader',
  store: 'store',
};
const EXTRAS = [
  'with TypeScript types',
  'for the browser and servers',
  'with no dependencies',
  'built on streams',
  'with async iterators',
  'inspired by a popular Rust crate',
  'with good error messages',
  'used in production at scale',
  'for quick prototypes',
  'with caching built in',
  'supporting plugins',
  'with a tiny footprint',
  'for tests and benchmarks',
  'with retries and timeouts',
];
const FIRST = [
  'Alex',
  'Sam',
  'Kim',
  'Lee',
  'Ana',
  'Max',
  'Eli',
  'Ida',
  'Noa',
  'Ravi',
  'Lia',
  'Tao',
  'Ugo',
  'Vera',
  'Wim',
  'Yan',
  'Zara',
  'Oli',
  'Pia',
  'Quin',
];
const LAST = [
  'Adams',
  'Berg',
  'Cruz',
  'Diaz',
  'Eng',
  'Ford',
  'Gray',
  'Hale',
  'Ito',
  'Jain',
  'Kahn',
  'Lowe',
  'Moss',
  'Nash',
  'Owen',
  'Pike',
  'Reid',
  'Shaw',
  'Tran',
  'Voss',
];
const SYLLABLES = [
  'zor',
  'bly',
  'quan',
  'tix',
  'vel',
  'ora',
  'nim',
  'bus',
  'kai',
  'ros',
  'lum',
  'en',
  'dex',
  'fy',
  'gra',
  'pho',
  'ter',
  'ix',
  'mo',
  'sa',
];

/**
 * `size` packages: the CORE ones plus generated neighbours, the same list for the same seed.
 * Generated downloads follow a Zipf-like curve (a few thousand at best), so the CORE packages are
 * the popular ones in their niche, as real well-known packages are.
 */
export function generateCorpus(size: number, seed = 20_240_601): CorpusPackage[] {
  const rand = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const taken = new Set(CORE.map((c) => canonical(c.name)));
  const out: CorpusPackage[] = [...CORE];
  for (let attempt = 0; out.length < size; attempt++) {
    const domain = pick(DOMAINS);
    const role = pick(ROLES);
    const shape = rand();
    let name: string;
    if (shape < 0.35) name = `${domain}-${role}`;
    else if (shape < 0.6) name = `${pick(PREFIXES)}-${domain}-${role}`;
    else if (shape < 0.75) name = `${domain}-${pick(DOMAINS)}-${role}`;
    else if (shape < 0.87) name = `${pick(PREFIXES)}-${domain}`;
    else name = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYLLABLES)).join('');
    if (attempt > size * 4) name = `${name}-${attempt}`;
    if (taken.has(canonical(name))) continue;
    taken.add(canonical(name));
    const second = pick(DOMAINS);
    const description =
      `A ${pick(ADJECTIVES)} ${domain} ${NOUNS[role]} ${pick(EXTRAS)}` + (rand() < 0.4 ? `; works with ${second} too` : '');
    const keywords = [...new Set([domain, role, ...(rand() < 0.5 ? [second] : []), ...(rand() < 0.3 ? [pick(DOMAINS)] : [])])];
    const rank = out.length - CORE.length + 1;
    out.push({
      name,
      description,
      keywords,
      author: `${pick(FIRST)} ${pick(LAST)}`,
      downloads: Math.floor((40_000 / Math.pow(rank, 0.8)) * (0.5 + rand())),
      ageDays: Math.floor(rand() * 1_000),
      versions: 1 + Math.floor(rand() * 9),
    });
  }
  return out;
}

const canonical = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
