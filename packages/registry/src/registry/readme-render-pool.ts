/**
 * READMEs rendered on worker threads (piscina), so a large or pathological one (a second or more of
 * Markdown and sanitising) never stalls the event loop that serves everyone else. One pool per
 * registry, created with it and closed with it; threads start on the first render and stop when idle.
 *
 * @example
 * const readmes = createReadmeRenderPool({ threads: 1, maxQueue: 32, timeoutMs: 20_000, onError: log });
 * const html = await readmes.render({ text: '# Hi', size: 4, truncated: false });
 */
import { Piscina } from 'piscina';
import { RegistryError } from '../../../core/src/errors.ts';
import type { Readme } from '../../../core/src/tarball/index.ts';
import { readmeAsText } from './readme-text.ts';
import { boundedSlots } from './bounded-slots.ts';
import { workerEntry } from '../worker-entry.ts';

export interface ReadmeRenderer {
  /**
   * The README's sanitised HTML, as renderReadme makes it. A render past the timeout, or one that
   * fails, gives the README as escaped plain text instead (the failure goes to onError); a full
   * queue throws 503 readme_render_busy.
   */
  render(readme: Readme): Promise<string>;
  /** Stops the threads; renders still waiting get the plain-text form. */
  close(): Promise<void>;
}

export interface ReadmeRenderPoolOptions {
  threads: number;
  /** Renders that may wait for a thread; one more is refused. */
  maxQueue: number;
  /** One render's budget on its thread (the wait for a thread not counted). */
  timeoutMs: number;
  /** A thread that could not start, or a render that failed: logged, never thrown at the publisher. */
  onError(error: unknown): void;
}

/** How long an idle thread is kept for the next publish before it exits. */
const IDLE_MS = 60_000;

export function createReadmeRenderPool(options: ReadmeRenderPoolOptions): ReadmeRenderer {
  const worker = workerEntry(import.meta.url, 'readme-render-worker', 'README render');
  const pool = new Piscina<Readme, string>({
    filename: worker.filename,
    execArgv: worker.execArgv,
    minThreads: 0,
    maxThreads: options.threads,
    idleTimeout: IDLE_MS,
    // Renders wait in the queue below, so each one's timeout counts its own work, not the wait.
    maxQueue: options.threads,
  });
  // Without a listener a thread that fails to start would take the whole process down.
  pool.on('error', options.onError);
  const slots = boundedSlots({ slots: options.threads, maxWaiting: options.maxQueue, refuse: renderBusy });
  return {
    async render(readme) {
      await slots.take();
      try {
        return await pool.run(readme, { signal: AbortSignal.timeout(options.timeoutMs) });
      } catch (error) {
        // A timeout is the README's doing (and the thread running it is stopped); anything else is ours.
        if (!isAbort(error)) options.onError(error);
        return readmeAsText(readme);
      } finally {
        slots.give();
      }
    },
    close: async () => {
      slots.drain();
      await pool.destroy();
    },
  };
}

const renderBusy = () =>
  new RegistryError(503, 'readme_render_busy', 'The registry is rendering too many READMEs at once; publish again in a few seconds', {
    headers: { 'retry-after': '5' },
  });

const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';
