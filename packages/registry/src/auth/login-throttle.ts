/**
 * Failed-login limits that stop password guessing without letting anyone lock an account out.
 * Only failures count, in three fixed windows:
 *   - per account and address: a few guesses at one account from one address;
 *   - per address: guesses at many accounts from one address (credential stuffing);
 *   - per account, from every address: a much larger ceiling against guessing spread over many
 *     addresses. Past it, an address with no failure against the account in the window still has
 *     its password checked, so the owner logging in from their usual address gets in.
 * An attempt is counted as a failure before the password is checked (so parallel guesses cannot
 * all slip under a limit) and taken back when it succeeds or is refused.
 */
import type { CounterStore } from './counter-store.ts';

export interface LoginLimits {
  perAccountAndAddress: number;
  perAddress: number;
  perAccount: number;
  windowMs: number;
}

export interface LoginThrottleOptions {
  /** Null when rate limits are off: every attempt goes through. */
  store: CounterStore | null;
  limits: LoginLimits;
  /** Called when the store fails; the attempt then goes through (limits are a guard, not a dependency). */
  onError: (error: unknown) => void;
}

export type LoginAttempt =
  | { allowed: true /** Call once the password was right: the attempt was no failure. */; succeeded(): Promise<void> }
  | { allowed: false; limit: number; per: string; retryAfterSeconds: number };

export interface LoginThrottle {
  begin(attempt: { username: string; address: string }): Promise<LoginAttempt>;
}

const PASS: LoginAttempt = { allowed: true, succeeded: async () => {} };

// Real usernames are at most 39 characters; longer ones cannot exist, so sharing a key is harmless.
const MAX_NAME = 64;

export function createLoginThrottle({ store, limits, onError }: LoginThrottleOptions): LoginThrottle {
  if (!store) return { begin: async () => PASS };
  const guarded = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      onError(error);
    }
  };
  return {
    async begin({ username, address }) {
      const name = username.trim().toLowerCase().slice(0, MAX_NAME);
      const pair = `login-fail:account-address:${name}|${address}`;
      const keys = [pair, `login-fail:address:${address}`, `login-fail:account:${name}`];
      let counts;
      try {
        counts = await store.add(keys, limits.windowMs);
      } catch (error) {
        onError(error);
        return PASS;
      }
      const [forPair, forAddress, forAccount] = counts as [(typeof counts)[0], (typeof counts)[0], (typeof counts)[0]];
      const refusal = (count: (typeof counts)[0], limit: number, per: string): LoginAttempt => ({
        allowed: false,
        limit,
        per,
        retryAfterSeconds: Math.max(1, Math.ceil(count.ttlMs / 1000)),
      });
      let refused: LoginAttempt | undefined;
      if (forPair.count > limits.perAccountAndAddress) {
        refused = refusal(forPair, limits.perAccountAndAddress, 'failed logins an hour for one account from one address');
      } else if (forAddress.count > limits.perAddress) {
        refused = refusal(forAddress, limits.perAddress, 'failed logins an hour from one address');
      } else if (forAccount.count > limits.perAccount && forPair.count > 1) {
        refused = refusal(forAccount, limits.perAccount, 'failed logins an hour for one account');
      }
      if (refused) {
        // A refused attempt checked no password, so it is no failure.
        await guarded(() => store.takeBack(keys));
        return refused;
      }
      return {
        allowed: true,
        succeeded: () =>
          guarded(async () => {
            await store.takeBack(keys.slice(1));
            await store.clear(pair);
          }),
      };
    },
  };
}
