/**
 * Per-action limits (see registry/action-limits.ts): for each action a burst and the interval at
 * which one more token comes back. Either at 0 turns that action's limit off. Off by default in
 * tests, as the per-request limits are, so a suite can publish as much as it likes.
 */
import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';
import type { LimitedAction } from '../registry/action-limits.ts';

export interface ActionRule {
  /** Tokens a full bucket holds: this many actions at once. */
  burst: number;
  /** Milliseconds for one token to come back. */
  everyMs: number;
}

/** Each action's rule, or null when it is not limited. */
export type ActionLimitsConfig = Record<LimitedAction, ActionRule | null>;

const MINUTE = 60_000;

/** The env name of each action and its defaults outside tests (see the README for why). */
export const ACTION_LIMIT_DEFAULTS: Record<LimitedAction, { env: string; burst: number; everyMs: number }> = {
  new_package: { env: 'NEW_PACKAGES', burst: 100, everyMs: MINUTE },
  new_version: { env: 'NEW_VERSIONS', burst: 100, everyMs: 10_000 },
  yank: { env: 'YANKS', burst: 100, everyMs: MINUTE },
  invitation: { env: 'INVITATIONS', burst: 50, everyMs: MINUTE },
};

const MAX_BURST = 1_000_000;
/** Thirty days: a slower refill is a limit nobody could reason about; turn the action off instead. */
const MAX_EVERY_MS = 30 * 86_400_000;

export function readActionLimits(r: EnvReader, mode: RegistryEnv): ActionLimitsConfig {
  const read = (action: LimitedAction): ActionRule | null => {
    const defaults = ACTION_LIMIT_DEFAULTS[action];
    const name = `REGISTRY_LIMIT_${defaults.env}`;
    const burst = r.int(`${name}_BURST`, mode === 'test' ? 0 : defaults.burst, { min: 0, max: MAX_BURST });
    const everyMs = r.int(`${name}_EVERY_MS`, defaults.everyMs, { min: 0, max: MAX_EVERY_MS });
    return burst === 0 || everyMs === 0 ? null : { burst, everyMs };
  };
  return {
    new_package: read('new_package'),
    new_version: read('new_version'),
    yank: read('yank'),
    invitation: read('invitation'),
  };
}
