/** Where a command writes and how it hears Ctrl-C; tests pass their own to run commands in-process. */
export interface OutputStream {
  write(text: string): void;
  /** Whether a person watches it (live progress redraws one line only on a terminal). */
  readonly isTTY: boolean;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Calls `handler` on each Ctrl-C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Leaves at once (second Ctrl-C). */
  exitNow(code: number): void;
}

export function processIo(): Io {
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
    exitNow: (code) => process.exit(code),
  };
}
