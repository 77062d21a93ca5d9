/**
 * The SDK colours its messages with chalk whenever it thinks it writes to a terminal, even with
 * LMS_NO_FANCY_ERRORS set (that only removes the box). Error text is stored and matched without colour.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const ANSI_PATTERN = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "");
}
