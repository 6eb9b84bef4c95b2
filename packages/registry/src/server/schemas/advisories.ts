/** Advisories: the OSV document as stored, the listing entry, and the bulk query's answer. */
import { SEVERITY_LEVELS } from '../../advisories/severity.ts';

const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;
const level = {
  type: ['string', 'null'],
  enum: [...SEVERITY_LEVELS, null],
  description: 'low, moderate, high or critical; null when unknown',
} as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;

/** An OSV document: the fields the registry reads are declared, the rest passes through as sent. */
export const advisorySchema = {
  $id: 'Advisory',
  type: 'object',
  required: ['id', 'modified'],
  additionalProperties: true,
  description: 'An OSV advisory (https://ossf.github.io/osv-schema/); database_specific.severity holds the level in capitals',
  properties: {
    schema_version: { type: 'string' },
    id: { type: 'string' },
    modified: timestamp,
    published: timestamp,
    withdrawn: timestamp,
    aliases: stringList,
    summary: { type: 'string' },
    details: { type: 'string' },
    severity: { type: 'array', items: { type: 'object', additionalProperties: true } },
    affected: { type: 'array', items: { type: 'object', additionalProperties: true } },
    references: { type: 'array', items: { type: 'object', additionalProperties: true } },
    database_specific: { type: 'object', additionalProperties: true },
  },
} as const;

/** An advisory in a list: what a person reads first, and the affected entries a client matches with. */
const listingRequired = ['id', 'aliases', 'summary', 'level', 'cvss', 'published', 'modified', 'withdrawn', 'url', 'affected'] as const;
const listingProperties = {
  id: { type: 'string' },
  aliases: stringList,
  summary: { type: 'string' },
  level,
  cvss: {
    type: ['object', 'null'],
    required: ['type', 'vector', 'score'],
    properties: {
      type: { type: 'string', description: 'CVSS_V3, CVSS_V2 or CVSS_V4' },
      vector: { type: 'string' },
      score: { type: ['number', 'null'], description: 'The base score, computed for CVSS 3.x vectors' },
    },
  },
  published: timestamp,
  modified: timestamp,
  withdrawn: { ...nullableTimestamp, description: 'Set when the advisory was withdrawn: it affects nothing any more' },
  url: { type: 'string', description: 'The whole OSV document' },
  affected: { type: 'array', items: { type: 'object', additionalProperties: true }, description: "The OSV document's affected entries" },
} as const;

/** An advisory in the bulk query's answer: what an audit prints (no affected entries: the answer says what they affect). */
export const advisoryBriefSchema = {
  type: 'object',
  required: ['id', 'aliases', 'summary', 'level', 'cvss', 'published', 'modified', 'url'],
  properties: {
    id: listingProperties.id,
    aliases: listingProperties.aliases,
    summary: listingProperties.summary,
    level: listingProperties.level,
    cvss: listingProperties.cvss,
    published: listingProperties.published,
    modified: listingProperties.modified,
    url: listingProperties.url,
  },
} as const;

/** A package's advisory, with the live versions of the package it affects. */
export const packageAdvisorySchema = {
  type: 'object',
  required: [...listingRequired, 'affected_versions'],
  properties: {
    ...listingProperties,
    affected_versions: { type: 'array', items: { type: 'string' }, description: 'Newest first; empty for a withdrawn advisory' },
  },
} as const;

/** The summary every version entry carries. */
export const advisorySummarySchema = {
  type: 'object',
  required: ['count', 'highest', 'ids'],
  description: 'The advisories that affect this version (withdrawn ones never count)',
  properties: { count: { type: 'integer', minimum: 0 }, highest: level, ids: stringList },
} as const;

export const queryAnswerSchema = {
  type: 'object',
  required: ['results', 'advisories'],
  properties: {
    results: {
      type: 'object',
      description:
        'name → version → the advisories affecting it, each with the lowest version it is fixed in; unaffected names and versions are left out',
      additionalProperties: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: { type: 'object', required: ['id', 'fixed'], properties: { id: { type: 'string' }, fixed: { type: ['string', 'null'] } } },
        },
      },
    },
    advisories: {
      type: 'object',
      description: 'id → the advisory (GET its url for the whole document), for every id in results',
      additionalProperties: advisoryBriefSchema,
    },
  },
} as const;
