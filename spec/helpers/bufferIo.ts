import type { CliIo } from '../../src/cli/cliIo.js';

/** A CliIo writing into strings, with a stop switch for long-running commands. */
export interface BufferIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  readonly stop: () => void;
}

/** A non-TTY io with the given environment. */
export function bufferIo(env: Record<string, string | undefined> = {}, isTTY = false): BufferIo {
  let out = '';
  let err = '';
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return {
    stdout: { write: (text: string) => (out += text), isTTY, columns: 200 },
    stderr: { write: (text: string) => (err += text) },
    env,
    now: Date.now,
    untilStopped: () => stopped,
    out: () => out,
    err: () => err,
    stop: () => stop(),
  };
}
