/** Packages and versions, as views/package.ts renders them, and the package lists. */
import { DEPRECATION_REASONS } from '../../../../core/src/lifecycle-rules.ts';
import { DELETE_REFUSALS } from '../../registry/delete-policy.ts';
import { advisorySummarySchema } from './advisories.ts';
const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const dependencies = { type: 'object', additionalProperties: { type: 'string' }, description: 'Name → version range' } as const;
const keywords = { type: 'array', items: { type: 'string' } } as const;
const integrity = { type: 'string', description: 'Subresource Integrity string (sha512-…)' } as const;
const checksum = { type: 'string', description: 'SHA-256 of the tarball, hex' } as const;
const size = { type: 'integer', minimum: 0, description: 'Tarball size in bytes' } as const;

const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const deprecationSchema = {
  $id: 'Deprecation',
  type: ['object', 'null'],
  required: ['reason', 'message', 'replacement', 'deprecated_at', 'deprecated_by'],
  description: 'Set when the package or version is deprecated; null otherwise',
  properties: {
    reason: { type: 'string', enum: [...DEPRECATION_REASONS] },
    message: { ...nullableString, description: 'What users should know or do' },
    replacement: { ...nullableString, description: 'A package to use instead' },
    deprecated_at: timestamp,
    deprecated_by: { ...nullableString, description: 'Username' },
  },
} as const;

/** Yank and deprecation state and the advisories affecting it, on every version entry. */
const lifecycleProperties = {
  yanked: { type: 'boolean', description: 'Never picked by a new resolution; still downloads, an existing lockfile keeps it' },
  yank_reason: nullableString,
  yanked_at: nullableTimestamp,
  yanked_by: { ...nullableString, description: 'Username' },
  deprecation: { $ref: 'Deprecation#' },
  advisories: advisorySummarySchema,
} as const;
const lifecycleRequired = ['yanked', 'yank_reason', 'yanked_at', 'yanked_by', 'deprecation', 'advisories'] as const;

/** The per-version entry of a package document: enough for a resolver. */
export const versionSummarySchema = {
  $id: 'VersionSummary',
  type: 'object',
  required: ['version', 'published_at', 'dependencies', 'integrity', 'checksum', 'size', 'downloads', 'tarball_url', ...lifecycleRequired],
  properties: {
    version: { type: 'string' },
    published_at: timestamp,
    dependencies,
    integrity,
    checksum,
    size,
    downloads: { type: 'integer', minimum: 0 },
    tarball_url: { type: 'string' },
    ...lifecycleProperties,
  },
} as const;

export const versionSchema = {
  $id: 'Version',
  type: 'object',
  required: [
    'name',
    'version',
    'description',
    'checksum',
    'integrity',
    'size',
    'dependencies',
    'keywords',
    'downloads',
    'published_at',
    'tarball_url',
    ...lifecycleRequired,
    'deletable_until',
    'delete_refusal',
  ],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    description: nullableString,
    checksum,
    integrity,
    size,
    dependencies,
    keywords,
    downloads: { type: 'integer', minimum: 0 },
    published_at: timestamp,
    tarball_url: { type: 'string' },
    ...lifecycleProperties,
    deletable_until: {
      ...nullableTimestamp,
      description: 'While the deletion window after publishing is open, its end (owners may delete until then); null after',
    },
    delete_refusal: {
      type: ['string', 'null'],
      enum: [...DELETE_REFUSALS, null],
      description: 'Why an owner cannot delete this version now (yank it instead), or null when they can',
    },
  },
} as const;

/** Tag → version; `latest` is always there (see the README, "Dist-tags and pre-releases"). */
export const distTagsSchema = {
  type: 'object',
  required: ['latest'],
  properties: { latest: { type: 'string', description: 'The version `synapse pkg add NAME` and `info NAME` show' } },
  additionalProperties: { type: 'string' },
  description: 'Dist-tag name → the version it points at',
} as const;

export const packageSchema = {
  $id: 'Package',
  type: 'object',
  required: [
    'name',
    'description',
    'author',
    'license',
    'homepage',
    'repository',
    'keywords',
    'owners',
    'latest',
    'dist_tags',
    'versions',
    'deprecation',
    'locked',
    'downloads',
    'created_at',
    'updated_at',
  ],
  properties: {
    name: { type: 'string' },
    description: nullableString,
    author: nullableString,
    license: nullableString,
    homepage: nullableString,
    repository: nullableString,
    keywords,
    owners: { type: 'array', items: { type: 'string' } },
    latest: {
      type: 'string',
      description: 'The latest dist-tag: tagged explicitly, else the highest usable release, else the highest usable pre-release',
    },
    dist_tags: distTagsSchema,
    versions: { type: 'array', items: { $ref: 'VersionSummary#' }, description: 'Newest first by SemVer precedence' },
    deprecation: { $ref: 'Deprecation#' },
    locked: { $ref: 'PackageLock#' },
    downloads: { type: 'integer', minimum: 0 },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const versionListSchema = {
  type: 'object',
  required: ['name', 'latest', 'versions'],
  properties: { name: { type: 'string' }, latest: { type: 'string' }, versions: { type: 'array', items: { $ref: 'VersionSummary#' } } },
} as const;

export const publishedSchema = {
  type: 'object',
  required: ['name', 'version', 'checksum', 'integrity', 'size', 'published_at'],
  properties: { name: { type: 'string' }, version: { type: 'string' }, checksum, integrity, size, published_at: timestamp },
} as const;

/**
 * The body of a publish: the .tgz itself, or a form with it in the field "tarball". No `type`: the
 * body reaches validation as a stream (or not at all, for a form), and the pipeline checks the bytes.
 */
const tgz = { contentMediaType: 'application/gzip', description: 'The package, a gzip-compressed tar with synapse.json at its root' };
export const tarballUploadBody = {
  content: {
    'application/gzip': { schema: tgz },
    'application/x-gzip': { schema: tgz },
    'application/octet-stream': { schema: tgz },
    'multipart/form-data': { schema: { required: ['tarball'], properties: { tarball: tgz } } },
  },
} as const;

export const trendingItemSchema = {
  type: 'object',
  required: ['name', 'description', 'latest', 'downloads_last_week', 'downloads_prior_week', 'growth'],
  properties: {
    name: { type: 'string' },
    description: nullableString,
    latest: { type: 'string' },
    downloads_last_week: { type: 'integer', minimum: 0 },
    downloads_prior_week: { type: 'integer', minimum: 0 },
    growth: { type: 'integer', description: 'Downloads gained over the week before' },
  },
} as const;

export const recentItemSchema = {
  type: 'object',
  required: ['name', 'version', 'description', 'published_at'],
  properties: { name: { type: 'string' }, version: { type: 'string' }, description: nullableString, published_at: timestamp },
} as const;

/** The headers of a tarball answer (200, 206, HEAD). */
export const tarballHeaders = {
  etag: { type: 'string', description: 'The quoted SHA-256 checksum' },
  'content-length': { type: 'integer', description: 'Bytes in this answer' },
  'accept-ranges': { type: 'string', description: 'bytes' },
} as const;
