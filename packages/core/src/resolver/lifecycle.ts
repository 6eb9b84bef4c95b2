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

/** The advisories affecting a version, as its entry summarises them (for the install's one-line note). */
export interface AdvisoryInfo {
  readonly count: number;
  /** low, moderate, high or critical; null when none of them has a known level. */
  readonly highest: string | null;
  readonly ids: readonly string[];
}

const MAX_IDS = 100;

export function parseAdvisoryInfo(value: unknown): AdvisoryInfo | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const doc = value as Record<string, unknown>;
  if (!Number.isInteger(doc.count) || (doc.count as number) <= 0) return null;
  const ids = Array.isArray(doc.ids)
    ? doc.ids
        .filter((id): id is string => typeof id === 'string')
        .slice(0, MAX_IDS)
        .map((id) => id.slice(0, 128))
    : [];
  return { count: doc.count as number, highest: text(doc.highest, MAX_REASON), ids };
}

/** The yank reason (only for a yanked version), the deprecation and the advisories of one version entry. */
export function parseVersionLifecycle(doc: { yanked?: unknown; yank_reason?: unknown; deprecation?: unknown; advisories?: unknown }) {
  return {
    yankReason: doc.yanked === true ? text(doc.yank_reason, MAX_MESSAGE) : null,
    deprecation: parseDeprecation(doc.deprecation),
    advisories: parseAdvisoryInfo(doc.advisories),
  };
}
