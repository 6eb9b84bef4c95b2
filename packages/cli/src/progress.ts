/**
 * Progress for long commands: a spinner on a terminal, plain lines on stderr otherwise, nothing
 * with --json. Only progress goes through here; results are printed by main. Progress is a
 * courtesy: it never stops the work (see guarded), and its text is made terminal-safe.
 */
import { paintPrefix } from './style.ts';
import { terminalSafe } from './terminal-text.ts';
export interface Progress {
  /** Starts (or replaces) the current step. */
  step(text: string): void;
  /** Updates the current step's text in place (a spinner) or not at all (plain lines). */
  update(text: string): void;
  /** A line that stays, e.g. a warning. */
  note(text: string): void;
  stop(): void;
}

export const silentProgress: Progress = { step() {}, update() {}, note() {}, stop() {} };

/** Plain lines on a stream: one per step, none per update. */
export function lineProgress(stream: NodeJS.WritableStream): Progress {
  return {
    step: (text) => void stream.write(`${text}\n`),
    update() {},
    note: (text) => void stream.write(`${text}\n`),
    stop() {},
  };
}

/** The terminal's width, or null when unknown or 0 (under `script`, in some CI): no spinner then. */
export function usableColumns(stream: { columns?: number }): number | null {
  const columns = stream.columns;
  return typeof columns === 'number' && Number.isFinite(columns) && columns > 0 ? columns : null;
}

type TtyStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * The progress for a stream: a spinner only on a terminal of known width (ora divides by the
 * width to count lines to clear; at 0 columns it clears forever), plain lines otherwise.
 */
export async function progressFor(
  stream: TtyStream,
  options: { json: boolean; ci: boolean; quiet?: boolean; color?: boolean },
): Promise<Progress> {
  if (options.json || options.quiet) return silentProgress;
  const color = options.color === true;
  if (stream.isTTY === true && !options.ci && usableColumns(stream) !== null) return guarded(await spinnerProgress(stream), stream, color);
  return guarded(lineProgress(stream), stream, color);
}

/**
 * Makes every text terminal-safe, and turns any failure of the display into plain lines for the
 * rest of the run instead of an error in the command it reports on.
 */
export function guarded(inner: Progress, stream: NodeJS.WritableStream, color = false): Progress {
  let current = inner;
  const safely = (call: (p: Progress) => void) => {
    try {
      call(current);
    } catch {
      current = current === inner ? lineProgress(stream) : silentProgress;
    }
  };
  return {
    step: (text) => safely((p) => p.step(terminalSafe(text))),
    update: (text) => safely((p) => p.update(terminalSafe(text))),
    note: (text) => safely((p) => p.note(paintPrefix(terminalSafe(text), color))),
    stop: () => safely((p) => p.stop()),
  };
}

/** An ora spinner; loaded only when a terminal is there to see it. */
export async function spinnerProgress(stream: TtyStream = process.stderr): Promise<Progress> {
  const { default: ora } = await import('ora');
  const spinner = ora({ stream });
  let active = false;
  return {
    step(text) {
      if (active) spinner.succeed();
      spinner.start(text);
      active = true;
    },
    update(text) {
      spinner.text = text;
    },
    note(text) {
      if (active) spinner.clear();
      stream.write(`${text}\n`);
      if (active) spinner.render();
    },
    stop() {
      if (active) spinner.stop();
      active = false;
    },
  };
}
