import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { resolveCheckedAddresses, type UrlPolicy, type UrlProblem } from './url-guard.ts';

/** The guard refused the host at connection time (a non-public address, or no address at all); nothing was connected. */
export class LookupRefusedError extends Error {
  readonly problem: UrlProblem;
  constructor(problem: UrlProblem) {
    super(problem.message);
    this.name = 'LookupRefusedError';
    this.problem = problem;
  }
}

/**
 * A `lookup` for http.request / https.request that resolves the host, checks every address against the
 * policy and hands the socket only checked addresses. The connection therefore goes to the very address
 * that was checked: a DNS answer that changes between a check and the connect (rebinding) cannot slip
 * through. The request keeps the host name for Host and SNI. IP literals never reach a lookup (Node
 * connects to them directly), so callers check those themselves first.
 */
export function guardedLookup(policy: UrlPolicy, timeoutMs: number): LookupFunction {
  return (hostname, options, callback) => {
    // resolveCheckedAddresses never rejects: every resolver failure comes back as a problem.
    void resolveCheckedAddresses(hostname, policy, timeoutMs).then((check) => {
      if (!check.ok) {
        callback(new LookupRefusedError(check), '', 0);
        return;
      }
      const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
      const addresses: LookupAddress[] = check.addresses
        .filter((a) => wanted === 0 || a.family === wanted)
        .map((a) => ({ address: a.address, family: a.family }));
      const first = addresses[0];
      if (first === undefined) {
        const error = Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: 'ENOTFOUND' });
        callback(error, '', 0);
      } else if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}
