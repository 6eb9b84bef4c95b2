/** Limits and choices shared by the lifecycle actions (yank, deprecate, tag) and their readers. */

/** Why a package or version is retired, hex.pm's way: a reason from a fixed list plus free text. */
export const DEPRECATION_REASONS = ['deprecated', 'renamed', 'security', 'invalid', 'other'] as const;
export type DeprecationReason = (typeof DEPRECATION_REASONS)[number];

/** The longest yank reason or deprecation message, in characters. */
export const LIFECYCLE_MESSAGE_MAX = 500;

// Control, format and unassigned characters (escapes, newlines, bidi overrides): these texts are shown
// as they are in terminals, pages and refusals.
const UNPRINTABLE = /\p{C}/u;

/**
 * What is wrong with a lifecycle text (a yank reason, a deprecation message, a lock or reservation
 * reason), or null: at most LIFECYCLE_MESSAGE_MAX characters of printable text on one line.
 */
export function lifecycleTextProblem(field: string, text: string): string | null {
  if ([...text].length > LIFECYCLE_MESSAGE_MAX) return `${field} has at most ${LIFECYCLE_MESSAGE_MAX} characters; shorten it`;
  if (UNPRINTABLE.test(text)) return `${field} must be printable text on one line (no control characters or newlines)`;
  return null;
}
