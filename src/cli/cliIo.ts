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

/**
 * Why a command is asked to stop early: `interrupted` by Ctrl+C (SIGINT) or SIGTERM, or its `output
 * closed` because the reader of a pipe went away (`runware-rx demo --json | head -1`).
 */
export type StopReason = 'interrupted' | 'output closed';

/** The outside world of a command. */
export interface CliIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  /** Environment variables (RUNWARE_API_KEY). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall clock in ms, for elapsed times shown to people. */
  readonly now: () => number;
  /**
   * Resolves when the command should stop, and why. `simulate` runs until then; a watch stops there.
   * Aborting `signal` releases the listeners (the promise then never resolves).
   */
  readonly untilStopped: (signal?: AbortSignal) => Promise<StopReason>;
}

/** The real process's io. */
export function processIo(): CliIo {
  let outputClosed = false;
  const onOutputClosed = new Set<() => void>();
  // A reader that went away makes every later write fail (EPIPE, then "write after destroyed"): without a
  // listener that is an uncaught error and a stack trace. Nothing can be shown any more, so stop instead.
  process.stdout.on('error', () => {
    outputClosed = true;
    for (const listener of [...onOutputClosed]) listener();
  });
  return {
    stdout: {
      write: (text: string) => (outputClosed ? false : process.stdout.write(text)),
      get isTTY() {
        return process.stdout.isTTY;
      },
      get columns() {
        return process.stdout.columns;
      },
    },
    stderr: process.stderr,
    env: process.env,
    now: Date.now,
    untilStopped: (signal) =>
      new Promise<StopReason>((resolve) => {
        if (signal?.aborted === true) return;
        const interrupted = (): void => stop('interrupted');
        const closed = (): void => stop('output closed');
        const release = (): void => {
          process.off('SIGINT', interrupted);
          process.off('SIGTERM', interrupted);
          onOutputClosed.delete(closed);
          signal?.removeEventListener('abort', release);
        };
        const stop = (reason: StopReason): void => {
          release();
          resolve(reason);
        };
        process.on('SIGINT', interrupted);
        process.on('SIGTERM', interrupted);
        onOutputClosed.add(closed);
        signal?.addEventListener('abort', release);
        if (outputClosed) closed();
      }),
  };
}
