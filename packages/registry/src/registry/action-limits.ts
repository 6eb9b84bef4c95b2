/**
 * Per-action rate limits in crates.io's manner: a burst, then a steady rate (a token bucket per
 * action and subject, see action-bucket.ts). The buckets live in Redis when the registry has one,
 * else in the database (action-bucket-store.ts). Limits are a guard, not a dependency: when the
 * store fails the action goes through and the failure is reported.
 */
import { RegistryError } from '../../../core/src/errors.ts';
import type { ActionLimitsConfig, ActionRule } from '../config/index.ts';
import type { BucketStore } from './action-bucket-store.ts';

export const LIMITED_ACTIONS = ['new_package', 'new_version', 'yank', 'invitation'] as const;
export type LimitedAction = (typeof LIMITED_ACTIONS)[number];

export interface ActionLimits {
  /**
   * Takes one token for `action` by `subject` (a user id for new packages, yanks and invitations;
   * a package id for new versions), or throws a 429 RegistryError `action_rate_limited` saying when
   * to retry. Call it after the cheap checks that may refuse the action and before its transaction,
   * never inside one: the database store runs a transaction of its own (on SQLite's one connection,
   * from inside another it would wait forever). Routes that call it document a 429.
   */
  take(action: LimitedAction, subject: string | number): Promise<void>;
}

export const unlimitedActions: ActionLimits = { take: async () => {} };

/** What each bucket counts, for the 429's detail. */
const COUNTS: Record<LimitedAction, string> = {
  new_package: 'new packages for one account',
  new_version: 'new versions of one package',
  yank: 'yanks for one account',
  invitation: 'owner invitations sent by one account',
};

export interface ActionLimitsOptions {
  rules: ActionLimitsConfig;
  store: BucketStore;
  now: () => Date;
  onError: (error: unknown) => void;
  /** Told of each refusal (for metrics). */
  onRefused?: (action: LimitedAction) => void;
}

export function createActionLimits({ rules, store, now, onError, onRefused }: ActionLimitsOptions): ActionLimits {
  return {
    async take(action, subject) {
      const rule = rules[action];
      if (!rule) return;
      let result;
      try {
        result = await store.take({ action, subject: String(subject) }, rule, now().getTime());
      } catch (error) {
        onError(error);
        return;
      }
      if (!result.taken) {
        onRefused?.(action);
        throw actionRateLimited(action, rule, result.retryAfterMs);
      }
    },
  };
}

/** "1 every 10 minutes", "1 every 90 seconds". */
function every(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms % size === 0) return ms === size ? `1 every ${unit}` : `1 every ${ms / size} ${unit}s`;
  }
  return `1 every ${ms} ms`;
}

export function actionRateLimited(action: LimitedAction, rule: ActionRule, retryAfterMs: number): RegistryError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new RegistryError(
    429,
    'action_rate_limited',
    `Too many ${COUNTS[action]}: the limit is ${rule.burst} at once, then ${every(rule.everyMs)}; ` +
      `retry in ${seconds} second${seconds === 1 ? '' : 's'}`,
    {
      data: { action, limit: rule.burst, refill_every_seconds: rule.everyMs / 1000 },
      headers: {
        'retry-after': String(seconds),
        'ratelimit-limit': String(rule.burst),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(seconds),
      },
    },
  );
}
