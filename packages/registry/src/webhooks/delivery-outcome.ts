import { LookupRefusedError } from './guarded-lookup.ts';

export type DeliveryErrorCode =
  | 'timeout'
  | 'address_refused'
  | 'connect_failed'
  | 'redirect_not_followed'
  | 'http_error'
  | 'response_too_large'
  | 'tls_error'
  | 'invalid_url';

export interface DeliveryError {
  code: DeliveryErrorCode;
  message: string;
}

/** Why a delivery's abort signal fired: our own deadline, or the caller (for example at shutdown). */
export class DeliveryDeadline extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'DeliveryDeadline';
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'EPROTO',
]);

/** The error of a delivery that got no HTTP status: the request failed before or while connecting. */
export function requestError(error: unknown, abortReason: unknown): DeliveryError {
  if (abortReason instanceof DeliveryDeadline) return { code: 'timeout', message: `Timed out: ${abortReason.message}` };
  if (abortReason !== undefined) {
    // The caller cancelled (shutdown); reported as a timeout so the attempt is retried like one.
    return { code: 'timeout', message: 'Cancelled before a complete response (the registry was stopping)' };
  }
  if (error instanceof LookupRefusedError) {
    return error.problem.code === 'webhook_url_private'
      ? { code: 'address_refused', message: error.message }
      : { code: 'connect_failed', message: error.message };
  }
  const e = error as NodeJS.ErrnoException & { library?: string };
  const code = e.code ?? '';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || e.library === 'SSL routines') {
    return { code: 'tls_error', message: `TLS failed: ${code ? `${code}: ` : ''}${e.message}` };
  }
  if (code.startsWith('HPE_')) {
    return { code: 'http_error', message: `The receiver's response is not valid HTTP (${code})` };
  }
  return { code: 'connect_failed', message: `${code ? `${code}: ` : ''}${e.message}` };
}

/** The error of a delivery that got a status: none for 2xx, a refused redirect for 3xx, else an HTTP error. */
export function statusError(status: number, location: string | undefined): DeliveryError | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    const where = location ? ` to ${location.slice(0, 200)}` : '';
    return {
      code: 'redirect_not_followed',
      message: `The receiver answered ${status}, a redirect${where}; webhooks do not follow redirects: configure the final URL`,
    };
  }
  return { code: 'http_error', message: `The receiver answered ${status}` };
}
