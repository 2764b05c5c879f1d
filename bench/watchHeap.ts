/**
 * Heap per watch in isolation: 10 000 watches of one client subscribed and idle (waiting for their
 * first poll, over a transport that never answers), after a full GC. Needs `--expose-gc`.
 */
import { NEVER, type Observable } from 'rxjs';
import { createRunwareClient, watchTask } from '../src/index.js';

/** Bytes of heap per idle watch, or undefined without `--expose-gc`. */
export function idleWatchHeap(K: number, batch: boolean): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const uuids = Array.from({ length: K }, (_, n) => `24cd5dff-cb81-4db5-8506-${String(n).padStart(12, '0')}`);
  const client = createRunwareClient({ transport: () => NEVER, initialDelay: 3_600_000, batch });
  gc();
  const base = process.memoryUsage().heapUsed;
  const subscriptions = uuids.map((taskUUID) => client.watchTask(taskUUID).subscribe());
  gc();
  const used = process.memoryUsage().heapUsed - base;
  for (const subscription of subscriptions) subscription.unsubscribe();
  return used / K;
}

/**
 * Heap per watch with a poll in flight: K watches (`watchTask` over a transport that never answers)
 * subscribed, their first poll sent at once, after a full GC. What a watch holds while it waits for a
 * reply: its own fields, `expand`'s subscribers, the request's observer and its single timer.
 */
export async function inFlightWatchHeap(K: number): Promise<number | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const uuids = Array.from({ length: K }, (_, n) => `24cd5dff-cb81-4db5-8506-${String(n).padStart(12, '0')}`);
  let sent = 0;
  const transport = (): Observable<unknown> => ((sent += 1), NEVER);
  const options = { transport, initialDelay: 0, requestTimeout: 3_600_000, timeout: 7_200_000 };
  gc();
  const base = process.memoryUsage().heapUsed;
  const subscriptions = uuids.map((taskUUID) => watchTask(taskUUID, options).subscribe());
  while (sent < K) await new Promise((resolve) => setTimeout(resolve, 5));
  gc();
  const used = process.memoryUsage().heapUsed - base;
  for (const subscription of subscriptions) subscription.unsubscribe();
  return used / K;
}
