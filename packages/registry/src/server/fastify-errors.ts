/**
 * Fastify's and its plugins' own errors, mapped to the registry's stable codes so that no
 * `FST_ERR_*` name (an implementation detail that changes between versions) reaches a client.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { RegistryError } from '../../../core/src/errors.ts';

const KNOWN: Record<string, { status: number; code: string; detail?: string }> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'bad_url',
    detail: 'The URL is not valid: a path segment is not well-formed percent-encoded UTF-8',
  },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', detail: 'A path segment is longer than any name or version can be' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_content_length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_PROTO_VIOLATION: { status: 400, code: 'invalid_multipart' },
  FST_INVALID_JSON_FIELD_ERROR: { status: 400, code: 'invalid_multipart' },
  FST_PARTS_LIMIT: { status: 413, code: 'too_many_parts' },
  FST_FILES_LIMIT: { status: 413, code: 'too_many_parts' },
  FST_FIELDS_LIMIT: { status: 413, code: 'too_many_parts' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'tarball_too_large' },
};

/** For a client error of Fastify's that the table does not know yet: a code from its status. */
const BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  404: 'route_not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'body_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

// A multipart body that is malformed or cut short fails inside busboy, with plain Errors.
const MULTIPART_BROKEN = /^(Multipart: |Unexpected end of |Malformed part header|Premature close)/;

function validationFailed(error: FastifyError): RegistryError {
  const errors = (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const path = `${v.instancePath.replace(/^\//, '').replace(/\//g, '.')}${missing ? (v.instancePath ? '.' : '') + missing : ''}`;
    const field = path || error.validationContext || 'body';
    return { field, message: missing ? `${missing} is required` : `${field} ${v.message ?? 'is invalid'}` };
  });
  return new RegistryError(400, 'validation_failed', errors.map((e) => e.message).join('; '), { errors });
}

/** Fastify's own errors (and broken request bodies) as RegistryErrors; null for a server fault. */
export function fromFastify(error: FastifyError, request?: FastifyRequest): RegistryError | null {
  if (error.validation) return validationFailed(error);
  const known = error.code ? KNOWN[error.code] : undefined;
  if (known) return new RegistryError(known.status, known.code, known.detail ?? error.message);
  if (request?.isMultipart?.() && MULTIPART_BROKEN.test(error.message)) {
    return new RegistryError(
      400,
      'invalid_multipart',
      `The multipart/form-data body is malformed or cut short (${error.message}); send the tarball in the field "tarball"`,
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new RegistryError(status, BY_STATUS[status] ?? 'bad_request', error.message);
  return null;
}
