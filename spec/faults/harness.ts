/**
 * The fault-matrix harness: submits scripted tasks to a simulator, runs many concurrent watches over
 * loopback HTTP, and compares what each watch reported with the script (the simulator's truth).
 */
import { expect } from 'chai';
import { Subscription } from 'rxjs';
import { watchTask, type GenerationEvent, type WatchOptions } from '../../src/index.js';
import type { RunningSimulator, SimulatedGeneration } from '../../src/simulator/index.js';
import { mulberry32 } from '../../src/simulator/random.js';

/** Failure codes a scripted generation may end with; repeats across generations are intended. */
// `unknownError` is sent without `code` by the realistic dialect, so the reader's default code is checked too.
const FAILURE_CODES = ['timeoutProvider', 'providerError', 'contentPolicyViolation', 'unknownError'] as const;

/** One submitted task and how it must end. */
export interface TaskTruth {
  readonly taskUUID: string;
  readonly numberResults: number;
  /** Per generation, `success` or the failure code, as scripted (so as the simulator plays it). */
  readonly outcomes: ReadonlyArray<string>;
}

/** What one watch did. */
export interface WatchRecord {
  readonly truth: TaskTruth;
  readonly events: GenerationEvent[];
  error: unknown;
  completed: boolean;
  /** fetch calls the library made for this watch. */
  requests: number;
  /** fetch calls made after the watch completed, failed or was unsubscribed: must stay 0. */
  requestsAfterEnd: number;
  ended: boolean;
}

/** Scripted task shapes: 1-4 generations, each finishing within `maxDuration` simulated ms, a quarter failing, in either failure shape. */
export function scriptTasks(
  count: number,
  seed: number,
  maxDuration: number,
): Array<{ truth: Omit<TaskTruth, 'taskUUID'>; generations: SimulatedGeneration[]; failureShape: 'errors' | 'embedded' }> {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    // Both failure shapes of the protocol: errors[] (documented) and embedded in data[].
    const failureShape = random() < 0.5 ? ('errors' as const) : ('embedded' as const);
    const numberResults = 1 + Math.floor(random() * 4);
    const generations: SimulatedGeneration[] = [];
    const outcomes: string[] = [];
    for (let index = 0; index < numberResults; index += 1) {
      const duration = Math.floor(random() * maxDuration);
      const fails = random() < 0.25;
      const code = FAILURE_CODES[Math.floor(random() * FAILURE_CODES.length)] ?? 'timeoutProvider';
      generations.push({ duration, fail: fails ? code : false });
      outcomes.push(fails ? code : 'success');
    }
    return { truth: { numberResults, outcomes }, generations, failureShape };
  });
}

/** Submits the scripted tasks, 50 per request, and returns their truths. */
export async function submitTasks(simulator: RunningSimulator, count: number, seed: number, maxDuration: number): Promise<TaskTruth[]> {
  const scripted = scriptTasks(count, seed, maxDuration);
  const truths: TaskTruth[] = [];
  for (let start = 0; start < scripted.length; start += 50) {
    const batch = scripted.slice(start, start + 50).map((entry) => ({ ...entry, taskUUID: crypto.randomUUID() }));
    const response = await fetch(simulator.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${simulator.apiKey}` },
      body: JSON.stringify(
        batch.map((entry) => ({
          taskType: 'videoInference',
          taskUUID: entry.taskUUID,
          model: 'klingai:5@3',
          positivePrompt: 'a red fox in snow',
          deliveryMethod: 'async',
          numberResults: entry.truth.numberResults,
          simulate: { generations: entry.generations, failureShape: entry.failureShape },
        })),
      ),
    });
    expect(response.status, await response.clone().text()).to.equal(200);
    await response.arrayBuffer();
    for (const entry of batch) truths.push({ taskUUID: entry.taskUUID, ...entry.truth });
  }
  return truths;
}

/**
 * Watches every task at once. Each watch gets its own counting `fetch` (the platform's, which keeps
 * connections alive: a thousand watches would otherwise churn through ephemeral ports).
 */
export function runWatches(
  simulator: RunningSimulator,
  truths: ReadonlyArray<TaskTruth>,
  options: WatchOptions,
): Promise<WatchRecord[]> {
  const subscriptions = new Subscription();
  const finished = truths.map(
    (truth) =>
      new Promise<WatchRecord>((resolve) => {
        const record: WatchRecord = { truth, events: [], error: undefined, completed: false, requests: 0, requestsAfterEnd: 0, ended: false };
        const end = (): void => {
          record.ended = true;
          resolve(record);
        };
        const counting: typeof fetch = (input, init) => {
          record.requests += 1;
          if (record.ended) record.requestsAfterEnd += 1;
          return fetch(input, init);
        };
        subscriptions.add(
          watchTask(truth.taskUUID, {
            ...options,
            baseUrl: simulator.url,
            apiKey: simulator.apiKey,
            numberResults: truth.numberResults,
            fetch: counting,
          }).subscribe({
            next: (event) => record.events.push(event),
            error: (error: unknown) => {
              record.error = error;
              end();
            },
            complete: () => {
              record.completed = true;
              end();
            },
          }),
        );
      }),
  );
  return Promise.all(finished).finally(() => subscriptions.unsubscribe());
}

/** How the watches went, against the truth. */
export interface Tally {
  readonly watches: number;
  readonly requests: number;
  /** Generations of completed watches without a terminal event, or with the wrong outcome. */
  readonly lost: number;
  /** Terminal events beyond one per generation. */
  readonly duplicated: number;
  readonly errored: number;
  readonly completed: number;
  readonly requestsAfterEnd: number;
  /** Outcomes reported that the truth does not have (in any watch, completed or not). */
  readonly wrong: number;
}

/** Compares every record with its truth. */
export function tally(records: ReadonlyArray<WatchRecord>): Tally {
  let lost = 0;
  let duplicated = 0;
  let wrong = 0;
  for (const record of records) {
    const byIndex = new Map<number, string>();
    for (const event of record.events) {
      if (event.status === 'processing') continue;
      if (byIndex.has(event.index)) duplicated += 1;
      byIndex.set(event.index, event.status === 'success' ? 'success' : event.error.code);
    }
    const remaining = [...record.truth.outcomes];
    for (const outcome of byIndex.values()) {
      const at = remaining.indexOf(outcome);
      if (at === -1) wrong += 1;
      else remaining.splice(at, 1);
    }
    if (record.completed) lost += remaining.length;
  }
  return {
    watches: records.length,
    requests: records.reduce((sum, record) => sum + record.requests, 0),
    lost,
    duplicated,
    errored: records.filter((record) => record.error !== undefined).length,
    completed: records.filter((record) => record.completed).length,
    requestsAfterEnd: records.reduce((sum, record) => sum + record.requestsAfterEnd, 0),
    wrong,
  };
}

/** The one summary line per fault kind. */
export function summaryLine(name: string, result: Tally): string {
  return `      fault ${name.padEnd(24)} watches ${String(result.watches).padStart(5)}  requests ${String(result.requests).padStart(6)}  lost ${result.lost}  duplicated ${result.duplicated}  errored ${result.errored}`;
}

/** Resolves after `ms` real milliseconds (test plumbing only, never in a timing assertion). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
