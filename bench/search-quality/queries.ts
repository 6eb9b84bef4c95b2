/** The relevance set: what a user types, and the package they want first. */
export interface RelevanceQuery {
  q: string;
  want: string;
  kind: 'exact' | 'prefix' | 'typo' | 'keyword' | 'description' | 'boolean';
}

const q = (kind: RelevanceQuery['kind'], query: string, want: string): RelevanceQuery => ({ q: query, want, kind });

export const QUERIES: RelevanceQuery[] = [
  // Exact names, typed as they are, in another case or with other separators.
  q('exact', 'http-client', 'http-client'),
  q('exact', 'http', 'http'),
  q('exact', 'yaml', 'yaml'),
  q('exact', 'oauth2', 'oauth2'),
  q('exact', 'left_pad', 'left-pad'),
  q('exact', 'Semver', 'semver'),
  q('exact', 'json-schema', 'json-schema'),
  q('exact', 'websocket', 'websocket'),
  q('exact', 'uuid', 'uuid'),
  q('exact', 'rate.limiter', 'rate-limiter'),
  // Prefixes: the last word while typing.
  q('prefix', 'oaut', 'oauth2'),
  q('prefix', 'websoc', 'websocket'),
  q('prefix', 'markd', 'markdown'),
  q('prefix', 'dote', 'dotenv'),
  q('prefix', 'kubern', 'kubernetes-client'),
  q('prefix', 'graphq', 'graphql'),
  q('prefix', 'postgres clie', 'postgres-client'),
  // One typo in a word of five letters or more.
  q('typo', 'markdwon', 'markdown'),
  q('typo', 'websokcet ', 'websocket'),
  q('typo', 'kubernetse client', 'kubernetes-client'),
  q('typo', 'postgre client ', 'postgres-client'),
  q('typo', 'grapql ', 'graphql'),
  q('typo', 'colorise ', 'colorize'),
  q('typo', 'schedular cron ', 'cron-scheduler'),
  q('typo', 'tensr gpu ', 'tensor'),
  // Keywords and field filters.
  q('keyword', 'keyword:k8s', 'kubernetes-client'),
  q('keyword', 'commonmark', 'markdown'),
  q('keyword', 'keyword:backoff', 'retry'),
  q('keyword', 'ansi terminal ', 'colorize'),
  q('keyword', 'author:"Mira Patel"', 'oauth2'),
  q('keyword', 'dkim', 'smtp-mailer'),
  // Words from descriptions, several at once.
  q('description', 'parse command line arguments', 'args-parser'),
  q('description', 'sign verify tokens', 'jwt'),
  q('description', 'exponential backoff jitter', 'retry'),
  q('description', 'resize crop images', 'image-resize'),
  q('description', 'load environment variables', 'dotenv'),
  q('description', 'great-circle distance', 'geo-distance'),
  q('description', 'structured logging redaction', 'logger'),
  q('description', 'time-ordered uuid', 'uuid'),
  q('description', 'render pdf pages', 'pdf-render'),
  // OR and NOT.
  q('boolean', 'http client -legacy -deprecated', 'http-client'),
  q('boolean', 'http NOT client NOT server -mock -legacy', 'http'),
  q('boolean', 'xml OR csv parser streaming', 'csv-parser'),
  q('boolean', 'yaml OR yml comments -toml', 'yaml'),
  q('boolean', '"json schema" validation', 'json-schema'),
  q('boolean', 'redis -client -cache rate', 'rate-limiter'),
];
