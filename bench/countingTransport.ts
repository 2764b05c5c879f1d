/**
 * Counts what goes over the wire: HTTP requests carrying getResponse tasks, the tasks they carry, and
 * the other (submit) requests.
 */
import type { Transport } from '../src/index.js';

export interface WireCounts {
  pollRequests: number;
  pollTasks: number;
  otherRequests: number;
}

/** `onSubmit` is called with each non-poll request as it goes out (after any wait for a concurrency slot). */
export function countingTransport(inner: Transport, onSubmit: (tasks: ReadonlyArray<Record<string, unknown>>) => void = () => undefined): { transport: Transport; counts: WireCounts } {
  const counts: WireCounts = { pollRequests: 0, pollTasks: 0, otherRequests: 0 };
  const transport: Transport = (tasks) => {
    const polls = tasks.filter((task) => task['taskType'] === 'getResponse').length;
    if (polls > 0) {
      counts.pollRequests += 1;
      counts.pollTasks += polls;
    } else {
      counts.otherRequests += 1;
      onSubmit(tasks);
    }
    return inner(tasks);
  };
  return { transport, counts };
}
