import type { EnvReader } from './config-error.ts';

/** The worker threads that turn a published README into HTML, off the event loop. */
export interface ReadmeConfig {
  /** Threads rendering at once; each spends a CPU while it works (about a second on a 500 KB README). */
  renderThreads: number;
  /** Renders waiting for a thread beyond those running; past it, a publish is refused with 503 and Retry-After. */
  renderQueue: number;
  /** A render past this is stopped and the README kept as plain text (see readme-render-pool.ts). */
  renderTimeoutMs: number;
}

export function readReadme(r: EnvReader): ReadmeConfig {
  return {
    renderThreads: r.int('REGISTRY_README_RENDER_THREADS', 1, { min: 1, max: 64 }),
    renderQueue: r.int('REGISTRY_README_RENDER_QUEUE', 32, { min: 0, max: 10_000 }),
    renderTimeoutMs: r.int('REGISTRY_README_RENDER_TIMEOUT_MS', 20_000, { min: 100, max: 600_000 }),
  };
}
