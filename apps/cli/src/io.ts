import { once } from "node:events";
import { createInterface } from "node:readline/promises";
import { processEnvironment } from "./env";

/** Where a command writes and how it hears Ctrl-C; tests pass their own to run commands in-process. */
export interface OutputStream {
  write(text: string): void;
  /** Whether a person watches it (live progress redraws one line only on a terminal). */
  readonly isTTY: boolean;
  /** Resolves when what was written has been handed on (a large export waits here instead of piling up). */
  drained?(): Promise<void>;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Calls `handler` on each Ctrl-C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Leaves at once (second Ctrl-C). */
  exitNow(code: number): void;
  /**
   * Asks a person a yes/no question and resolves with the answer (no by default). Absent when nobody can
   * answer: stdin or stderr is not a terminal (a script, a pipe, CI).
   */
  confirm?: (question: string) => Promise<boolean>;
}

export function processIo(): Io {
  // `lmstrix export | head`: the reader left; stop quietly instead of crashing on the next write.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: process.stdout.isTTY === true,
      drained: () =>
        process.stdout.writableNeedDrain ? once(process.stdout, "drain").then(() => {}) : Promise.resolve(),
    },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: processEnvironment(),
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
    exitNow: (code) => process.exit(code),
    confirm: process.stdin.isTTY && process.stderr.isTTY ? askOnTerminal : undefined,
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  // The question goes to stderr, so that it is seen even when stdout is redirected.
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  const abort = new AbortController();
  // Ctrl-C while asking means no.
  terminal.on("SIGINT", () => abort.abort());
  try {
    const answer = await terminal.question(`${question} [y/N] `, { signal: abort.signal });
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    process.stderr.write("\n");
    return false;
  } finally {
    terminal.close();
  }
}
