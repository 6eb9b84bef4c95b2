import type { Scope } from '../auth/index.ts';

/** Who is acting: a signed-in user (all scopes) or an API token (its scopes and package limits). */
export interface Actor {
  userId: number;
  username: string;
  via: 'session' | 'token';
  allows(scope: Scope, packageName: string): boolean;
  /** Whether the scope is granted for at least one package: checkable before the name is known. */
  allowsSome(scope: Scope): boolean;
}
