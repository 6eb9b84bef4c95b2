/**
 * Progress for long commands: a spinner on a terminal, plain lines on stderr otherwise, nothing
 * with --json. Only progress goes through here; results are printed by main.
 */
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

/** An ora spinner on stderr; loaded only when a terminal is there to see it. */
export async function spinnerProgress(): Promise<Progress> {
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr });
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
      process.stderr.write(`${text}\n`);
      if (active) spinner.render();
    },
    stop() {
      if (active) spinner.stop();
      active = false;
    },
  };
}
