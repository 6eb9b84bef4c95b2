/**
 * Text from a registry (descriptions, READMEs, error details, names) must not drive the user's
 * terminal: escape sequences can clear the screen, forge links (OSC 8) or retitle the window, and
 * bidi overrides (U+202E) make text read differently from what it is. main passes everything it
 * prints through here, so no command can forget.
 */

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi controls
// (ALM, LRM, RLM, LRE..RLO, LRI..PDI).
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control and bidi character removed (newlines and tabs kept). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, '');
}

// JSON.stringify escapes only U+0000..U+001F; these it leaves raw.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * Pretty JSON with the characters JSON.stringify leaves raw written as \uXXXX escapes: the same
 * data for a program, nothing live for a terminal.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
