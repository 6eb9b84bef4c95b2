/** What a command hands back to main: data for --json, and the text a person reads. */
export interface CommandOutput {
  data: unknown;
  text: string;
}

export const output = (data: unknown, text: string): CommandOutput => ({ data, text });
