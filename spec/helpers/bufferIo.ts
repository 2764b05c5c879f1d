import type { CliIo, StopReason } from '../../src/cli/cliIo.js';

/** A CliIo writing into strings, with a stop switch for long-running commands. */
export interface BufferIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  /** What Ctrl+C (`interrupted`, the default) or a closed pipe (`output closed`) does to a real process. */
  readonly stop: (reason?: StopReason) => void;
}

/** A non-TTY io with the given environment. */
export function bufferIo(env: Record<string, string | undefined> = {}, isTTY = false): BufferIo {
  let out = '';
  let err = '';
  let stop: (reason: StopReason) => void = () => undefined;
  const stopped = new Promise<StopReason>((resolve) => (stop = resolve));
  return {
    stdout: { write: (text: string) => (out += text), isTTY, columns: 200 },
    stderr: { write: (text: string) => (err += text) },
    env,
    now: Date.now,
    untilStopped: () => stopped,
    out: () => out,
    err: () => err,
    stop: (reason = 'interrupted') => stop(reason),
  };
}
