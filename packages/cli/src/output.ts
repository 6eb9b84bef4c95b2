/** What a command hands back to main: data for --json, and the text a person reads. */
export interface CommandOutput {
  data: unknown;
  text: string;
  /** A successful run that still reports something through its exit code (outdated --exit-code). */
  exitCode?: number;
}

export const output = (data: unknown, text: string, exitCode?: number): CommandOutput => ({
  data,
  text,
  ...(exitCode === undefined ? {} : { exitCode }),
});
