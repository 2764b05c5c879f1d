/**
 * What a CLI command may touch, passed in so commands run in tests without a real terminal.
 *
 * @module
 */

/** A writable text stream (process.stdout or a test buffer). */
export interface TextOut {
  write(text: string): unknown;
  /** True on an interactive terminal: live redraws instead of plain lines. */
  readonly isTTY?: boolean;
  /** Terminal width, to keep redrawn lines from wrapping. */
  readonly columns?: number;
}

/** The outside world of a command. */
export interface CliIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  /** Environment variables (RUNWARE_API_KEY). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall clock in ms, for elapsed times shown to people. */
  readonly now: () => number;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); `simulate` runs until then. */
  readonly untilStopped: () => Promise<void>;
}

/** The real process's io. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: Date.now,
    untilStopped: () =>
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}
