import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { isPublicAddress, stripBrackets } from './public-address.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (the default is the system resolver, like a connection uses). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface UrlPolicy {
  /** Lifts the rule that every address must be public (tests and internal setups). */
  allowPrivate: boolean;
  /** Allows plain http besides https. */
  allowHttp: boolean;
  /** Injectable DNS; default: dns.promises.lookup with all: true. */
  lookup?: Resolver;
}

export type UrlProblemCode = 'webhook_url_invalid' | 'webhook_url_scheme' | 'webhook_url_private' | 'webhook_url_unresolvable';

export type UrlProblem = { ok: false; code: UrlProblemCode; message: string };
export type UrlCheck = { ok: true; url: URL } | UrlProblem;
export type AddressCheck = { ok: true; addresses: ResolvedAddress[] } | UrlProblem;

export const MAX_URL_LENGTH = 2048;
/** Only this many resolved addresses are checked; a connection only ever uses checked ones. */
export const MAX_ADDRESSES = 32;
const RESOLVE_TIMEOUT_MS = 5_000;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true });

/**
 * Checks a webhook URL when a subscription is created or its URL changed: an absolute http(s) URL with no
 * credentials, at most 2048 characters, https unless the policy allows http, and every address its host
 * resolves to public unless the policy allows private ones. Store `url.href` (the normalised form).
 * Deliveries check again after their own resolution (see send.ts), so a later DNS change cannot slip through.
 *
 * @example await checkWebhookUrl('https://ci.example.com/hooks', { allowPrivate: false, allowHttp: false })
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<UrlCheck> {
  const parsed = parseWebhookUrl(raw, policy);
  if (!parsed.ok) return parsed;
  const addresses = await resolveCheckedAddresses(parsed.url.hostname, policy, RESOLVE_TIMEOUT_MS);
  return addresses.ok ? parsed : addresses;
}

/** The syntax and scheme rules alone, without DNS. */
export function parseWebhookUrl(raw: string, policy: Pick<UrlPolicy, 'allowHttp'>): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) {
    return invalid(`The webhook URL is ${raw.length} characters long; the limit is ${MAX_URL_LENGTH}`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('The webhook URL is not a valid absolute URL; give one like https://ci.example.com/hooks/synapse');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    const allowed = policy.allowHttp ? 'https or http' : 'https';
    return { ok: false, code: 'webhook_url_scheme', message: `The webhook URL must use ${allowed}, not ${url.protocol.slice(0, -1)}` };
  }
  if (url.username !== '' || url.password !== '') {
    return invalid('Remove the user name and password from the webhook URL; receivers check deliveries by their signature');
  }
  if (url.href.length > MAX_URL_LENGTH) {
    return invalid(`The webhook URL is ${url.href.length} characters long once normalised; the limit is ${MAX_URL_LENGTH}`);
  }
  return { ok: true, url };
}

/**
 * Resolves a URL host (an IP literal is taken as is) and checks every address against the policy.
 * On success the addresses returned are the checked ones, the only ones a connection may use.
 */
export async function resolveCheckedAddresses(host: string, policy: UrlPolicy, timeoutMs: number): Promise<AddressCheck> {
  const bare = stripBrackets(host);
  const family = isIP(bare);
  let addresses: ResolvedAddress[];
  if (family !== 0) {
    addresses = [{ address: bare, family }];
  } else {
    try {
      addresses = (await withTimeout((policy.lookup ?? systemResolver)(bare), timeoutMs)).slice(0, MAX_ADDRESSES);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return {
        ok: false,
        code: 'webhook_url_unresolvable',
        message: `The webhook host ${bare} does not resolve (${reason}); check the host name`,
      };
    }
    if (addresses.length === 0) {
      return { ok: false, code: 'webhook_url_unresolvable', message: `The webhook host ${bare} has no addresses; check the host name` };
    }
  }
  if (!policy.allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) {
    const what = family !== 0 ? `${bare} is` : `${bare} resolves to`;
    return {
      ok: false,
      code: 'webhook_url_private',
      message: `The webhook host ${what} a loopback, private, link-local or reserved address; webhooks go only to public addresses`,
    };
  }
  return { ok: true, addresses };
}

function invalid(message: string): UrlProblem {
  return { ok: false, code: 'webhook_url_invalid', message };
}

/** Rejects after `ms`; the timer never outlives the race. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
