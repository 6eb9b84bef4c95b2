/**
 * The README as escaped plain text, and the note a cut README ends with. Apart from readme-html.ts so
 * the main thread, which needs only the fallback, never loads marked and sanitize-html (about 0.13 s
 * of CPU at each start); the render thread loads them.
 */
import type { Readme } from '../../../core/src/tarball/index.ts';

/**
 * The README as escaped plain text, for one whose rendering took too long: still readable, and
 * cheap (one pass of replacements) where Markdown was not.
 */
export function readmeAsText(readme: Readme): string {
  const escaped = readme.text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
  return withCutNote(`<p class="note">This README is shown as plain text: rendering it took too long.</p><pre>${escaped}</pre>`, readme);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The HTML, with a note after it when the README was cut. */
export function withCutNote(html: string, readme: Readme): string {
  if (!readme.truncated) return html;
  const kb = Math.round(readme.size / 1024);
  return `${html}<p class="note">This README is ${kb} KB; only its first part is shown here. The whole file is in the package.</p>`;
}
