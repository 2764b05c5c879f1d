/**
 * A watch the CLI stopped before the task finished (Ctrl+C, or its output closed), and what it tells
 * the user then: stopping the watch does not stop the task.
 *
 * @module
 */
import { DEFAULT_BASE_URL, isLoopbackHost } from '../transport/fetchTransport.js';
import type { CliIo, StopReason } from './cliIo.js';

/** Raised by `showProgress` when the io asks to stop before the watch ended. */
export class WatchStopped extends Error {
  override readonly name = 'WatchStopped';

  constructor(
    readonly reason: StopReason,
    readonly taskUUID: string,
  ) {
    super(`stopped watching task ${taskUUID} (${reason})`);
  }
}

/**
 * The exit code of a command that stopped early: 130 after Ctrl+C (128 + SIGINT, as a shell reports it)
 * and 141 when the output closed (128 + SIGPIPE, as for `yes | head -1`).
 */
export function stoppedExitCode(stopped: WatchStopped): 130 | 141 {
  return stopped.reason === 'interrupted' ? 130 : 141;
}

/**
 * Writes why the watch stopped and what happens to the task, and returns {@link stoppedExitCode}.
 * Runware has no cancel: a task keeps running, and is billed, whether anyone watches it or not.
 */
export function reportStopped(command: string, stopped: WatchStopped, io: CliIo, baseUrl: string): 130 | 141 {
  const { taskUUID } = stopped;
  const onRunware = !isLoopbackHost(hostnameOf(baseUrl));
  const where = onRunware ? 'keeps running (and billing) on Runware' : `keeps running on ${baseUrl}`;
  const again = `runware-rx watch ${taskUUID}${baseUrl === DEFAULT_BASE_URL ? '' : ` --base-url ${baseUrl}`}`;
  io.stderr.write(`runware-rx ${command}: stopped watching; task ${taskUUID} ${where}. Follow it again with: ${again}\n`);
  return stoppedExitCode(stopped);
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
