/**
 * One polling run: K video tasks submitted to the simulator and watched to the end by one client, in
 * simulated time. Measures wire counts, notification lag, polls per generation, event-loop lag and,
 * on request, heap per active watch.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRunwareClient, type ClientWatchOptions } from '../src/index.js';
import { benchTask } from './benchTask.js';
import { scaledScheduler } from './scaledScheduler.js';
import { submitClock } from './submitClock.js';
import type { SimulatorChild } from './spawnSimulator.js';

/** How a run polls. */
export type Mode = 'baseline' | 'unbatched' | 'batched';

/**
 * The official SDK's cadence (protocol reference §6.2): 1000 ms before poll 1, 500 ms before poll 2,
 * then x1.5 up to 10 s, no jitter; one request per task per poll; no concurrency limit.
 */
export const SDK_CADENCE: ClientWatchOptions = { initialDelay: 1000, interval: 500, multiplier: 1.5, maxInterval: 10_000, jitter: 0 };

export interface RunResult {
  readonly mode: Mode;
  readonly K: number;
  readonly completed: number;
  readonly failed: number;
  readonly submits: number;
  readonly pollRequests: number;
  readonly pollTasks: number;
  /** Simulated ms from completion to the success event, one per succeeded task. */
  readonly lags: Float64Array;
  readonly realSeconds: number;
  readonly loopDelayP99: number;
  readonly heapPerWatch: number | undefined;
}

/** Task durations in simulated ms, uniform in [30 s, 240 s], from a seeded PRNG (the same list for every mode). */
export function drawDurations(K: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const random = (): number => {
    // mulberry32: small, seeded, good enough to spread durations.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from({ length: K }, () => Math.round(30_000 + random() * 210_000));
}

export async function pollingRun(simulator: SimulatorChild, mode: Mode, K: number, scale: number, options: { readonly measureHeap?: boolean } = {}): Promise<RunResult> {
  const durations = drawDurations(K, 42);
  const lags = new Float64Array(K).fill(Number.NaN);
  const seen = new Uint8Array(K);
  const scheduler = scaledScheduler(scale);
  const taskUUIDs = Array.from({ length: K }, () => crypto.randomUUID());
  const { sentAt, transport, counts } = submitClock(simulator, taskUUIDs, scheduler);
  const client = createRunwareClient({
    transport,
    scheduler,
    batch: mode === 'batched',
    // The SDK limits nothing; runware-rx keeps its default (16).
    ...(mode === 'baseline' ? { concurrency: Infinity } : {}),
    // Queueing on one loopback core must not be mistaken for failures: the counts are what is measured.
    requestTimeout: 3_600_000,
    timeout: 3_600_000,
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  let heapBase = 0;
  if (options.measureHeap === true && gc !== undefined) {
    gc();
    heapBase = process.memoryUsage().heapUsed;
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  let completed = 0;
  let failed = 0;
  let acked = 0;
  let heapPerWatch: number | undefined;

  await new Promise<void>((resolve) => {
    const finish = (): void => {
      if (completed + failed === K) resolve();
    };
    for (let index = 0; index < K; index += 1) {
      const task = benchTask(taskUUIDs[index] ?? '', { duration: durations[index] ?? 0 });
      // Subscribed with a plain observer, no operators of the bench's own: the heap per watch is the library's.
      const watch = mode === 'baseline' ? client.run(task, SDK_CADENCE) : client.run(task);
      watch.subscribe({
        next: (event) => {
          if (event.index === 0 && !seen[index]) {
            seen[index] = 1;
            acked += 1;
            if (options.measureHeap === true && acked === K && gc !== undefined) {
              gc();
              heapPerWatch = (process.memoryUsage().heapUsed - heapBase) / Math.max(1, K - completed - failed);
            }
          }
          if (event.status === 'success') lags[index] = scheduler.now() - (sentAt[index] ?? 0) - (durations[index] ?? 0);
        },
        complete: () => {
          completed += 1;
          finish();
        },
        error: () => {
          failed += 1;
          finish();
        },
      });
    }
  });
  loop.disable();
  return {
    mode,
    K,
    completed,
    failed,
    submits: counts.otherRequests,
    pollRequests: counts.pollRequests,
    pollTasks: counts.pollTasks,
    lags: lags.filter((lag) => !Number.isNaN(lag)),
    realSeconds: (performance.now() - started) / 1000,
    loopDelayP99: loop.percentile(99) / 1e6,
    heapPerWatch,
  };
}
