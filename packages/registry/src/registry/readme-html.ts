/**
 * A README as safe HTML: Markdown by `marked`, then `sanitize-html` with an allow-list. What passes:
 * ordinary document tags, links over http(s)/mailto (marked `rel=nofollow ugc noopener`), images
 * over https only; no script, style, iframe, form, event handler or `javascript:` URL survives.
 * Rendering is CPU work (about a second for a 500 KB README), so it happens once, at publish, in a
 * worker thread (readme-render-pool.ts), and the HTML is stored beside the Markdown; pages only read it.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Readme } from '../../../core/src/tarball/index.ts';
import { withCutNote } from './readme-text.ts';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'main' && t !== 'nav' && t !== 'header' && t !== 'footer' && t !== 'aside'),
    'img',
    'del',
    'ins',
    'details',
    'summary',
    'sup',
    'sub',
    'kbd',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An image whose source is not an absolute https URL (relative ones included) is dropped.
  exclusiveFilter: (frame) => frame.tag === 'img' && !/^https:\/\//i.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
    // The page has its own h1 (the package name): README headings start one level down.
    h1: 'h2',
  },
};

/** Markdown to sanitised HTML; a cut README ends with a note saying so. */
export function renderReadme(readme: Readme): string {
  return withCutNote(sanitizeHtml(marked.parse(readme.text) as string, OPTIONS), readme);
}
