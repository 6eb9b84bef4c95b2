/** Limits and choices shared by the lifecycle actions (yank, deprecate, tag) and their readers. */

/** Why a package or version is retired, hex.pm's way: a reason from a fixed list plus free text. */
export const DEPRECATION_REASONS = ['deprecated', 'renamed', 'security', 'invalid', 'other'] as const;
export type DeprecationReason = (typeof DEPRECATION_REASONS)[number];

/** The longest yank reason or deprecation message, in characters. */
export const LIFECYCLE_MESSAGE_MAX = 500;
