/**
 * Per-action rate limits in crates.io's manner: a burst, then a steady rate (a token bucket per
 * action and subject). Placeholder interface: the real buckets (Redis when configured, else the
 * database) replace `unlimitedActions`.
 */
export const LIMITED_ACTIONS = ['new_package', 'new_version', 'yank', 'invitation'] as const;
export type LimitedAction = (typeof LIMITED_ACTIONS)[number];

export interface ActionLimits {
  /**
   * Takes one token for `action` by `subject` (a user id for new packages, yanks and invitations;
   * a package id for new versions), or throws a 429 RegistryError `action_rate_limited` saying when
   * to retry. Call it before the change's transaction.
   */
  take(action: LimitedAction, subject: string): Promise<void>;
}

export const unlimitedActions: ActionLimits = { take: async () => {} };
