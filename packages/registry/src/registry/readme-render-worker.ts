/**
 * The worker-thread side of readme-render-pool.ts: one README in, its HTML out. Bundled on its own
 * (dist/readme-render-worker.mjs) beside the server bundle.
 */
import { renderReadme } from './readme-html.ts';
import type { Readme } from '../../../core/src/tarball/index.ts';

export default function render(readme: Readme): string {
  return renderReadme(readme);
}
