import type { Scope } from '../auth/index.ts';

/** Where a request came from, as the audit log records it. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Who is acting: a signed-in user (all scopes) or an API token (its scopes and package limits). */
export interface Actor {
  userId: number;
  username: string;
  via: 'session' | 'token';
  /** The API token's id, for the audit log; null for a session. */
  tokenId: number | null;
  /** Set only by `npm run admin -- grant NAME`. */
  isAdmin: boolean;
  client: ClientInfo;
  allows(scope: Scope, packageName: string): boolean;
  /** Whether the scope is granted for at least one package: checkable before the name is known. */
  allowsSome(scope: Scope): boolean;
  /** Whether the scope is granted with no package limit (account-wide webhooks need that). */
  allowsEvery(scope: Scope): boolean;
}
