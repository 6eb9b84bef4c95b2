/**
 * The one error type of the registry. Domain modules throw it (or a subclass) with a stable
 * machine `code`; the HTTP layer renders it as RFC 9457 problem+json.
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface RegistryErrorOptions {
  data?: Record<string, unknown>;
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
}

export class RegistryError extends Error {
  readonly code: string;
  readonly status: number;
  readonly data?: Record<string, unknown>;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(status: number, code: string, message: string, options: RegistryErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'RegistryError';
    this.status = status;
    this.code = code;
    this.data = options.data;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export const badRequest = (code: string, message: string, options?: RegistryErrorOptions) => new RegistryError(400, code, message, options);

/** A 400 listing every invalid field at once, so a client can fix them all in one go. */
export const validationError = (errors: FieldError[], message = 'The request has invalid fields') =>
  new RegistryError(400, 'validation_failed', message, { errors });

export const unauthorized = (message = 'Authentication required: send Authorization: Bearer <token>') =>
  new RegistryError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer' } });

export const forbidden = (code: string, message: string) => new RegistryError(403, code, message);

export const notFound = (code: string, message: string) => new RegistryError(404, code, message);

export const conflict = (code: string, message: string) => new RegistryError(409, code, message);

export const unavailable = (code: string, message: string, cause?: unknown) => new RegistryError(503, code, message, { cause });
