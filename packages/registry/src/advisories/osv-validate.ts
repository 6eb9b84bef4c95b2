/**
 * Validation against the official OSV JSON Schema (osv-schema.json, vendored unchanged with its
 * license beside it). One widening is made here: the CVSS_V4 severity type, which later versions of
 * the schema accept and current databases publish. Compiled once, on first use.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import osvSchema from './osv-schema.json' with { type: 'json' };

// ajv-formats is CommonJS with a default export; under ESM the function may sit one level down.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

const SEVERITY_TYPES = ['CVSS_V2', 'CVSS_V3', 'CVSS_V4'];

/** A schema node, walked by property names known to be there (the vendored file is fixed). */
interface SchemaNode {
  properties: Record<string, SchemaNode>;
  items: SchemaNode;
  enum?: string[];
}

function widenedSchema(): object {
  const schema = structuredClone(osvSchema) as unknown as SchemaNode;
  schema.properties.severity!.items.properties.type!.enum = SEVERITY_TYPES;
  schema.properties.affected!.items.properties.severity!.items.properties.type!.enum = SEVERITY_TYPES;
  return schema;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(widenedSchema());
  }
  return compiled;
}

/** Each schema violation as `path: message` (at most 20), or an empty list when the document is valid OSV. */
export function osvSchemaErrors(document: unknown): string[] {
  const validate = validator();
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, 20).map(describe);
}

function describe(error: ErrorObject): string {
  const path = error.instancePath === '' ? '(the document)' : error.instancePath.slice(1).replace(/\//g, '.');
  const allowed = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  return `${path}: ${error.message ?? 'is invalid'}${allowed}`;
}
