/**
 * The lifecycle state a package document carries beside what resolution needs: why a version is
 * yanked, and the deprecation of a version or of the whole package. Untrusted like the rest of the
 * document: anything of the wrong shape reads as absent, and texts are capped. Printing them is the
 * client's job (it strips control characters there).
 */
import { parsePackageName } from '../names.ts';

export interface DeprecationInfo {
  /** One of the registry's reasons (deprecated, renamed, security, invalid, other), as sent. */
  readonly reason: string;
  readonly message: string | null;
  /** Another package to use instead. */
  readonly replacement: string | null;
}

const MAX_REASON = 40;
const MAX_MESSAGE = 500;

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() !== '' ? [...value.trim()].slice(0, max).join('') : null;

export function parseDeprecation(value: unknown): DeprecationInfo | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const doc = value as Record<string, unknown>;
  const reason = text(doc.reason, MAX_REASON);
  if (reason === null) return null;
  const replacement = parsePackageName(doc.replacement).ok ? (doc.replacement as string) : null;
  return { reason, message: text(doc.message, MAX_MESSAGE), replacement };
}

/** The yank reason (only for a yanked version) and the deprecation of one version entry. */
export function parseVersionLifecycle(doc: { yanked?: unknown; yank_reason?: unknown; deprecation?: unknown }) {
  return {
    yankReason: doc.yanked === true ? text(doc.yank_reason, MAX_MESSAGE) : null,
    deprecation: parseDeprecation(doc.deprecation),
  };
}
