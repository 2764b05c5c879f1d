/**
 * The fault-matrix harness: submits scripted tasks to a simulator, runs many concurrent watches over
 * loopback HTTP, and compares what each watch reported with the script (the simulator's truth).
 */
import { expect } from 'chai';
import { asyncScheduler, Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { watchTask, type GenerationEvent, type WatchOptions } from '../../src/index.js';
import { FAULT_KINDS, startSimulator, type FaultSpec, type RunningSimulator, type SimulatedGeneration } from '../../src/simulator/index.js';
import { FAULT_TABLE } from '../../src/simulator/faults.js';
import { mulberry32 } from '../../src/simulator/random.js';

type RunningSimulatorStats = ReturnType<RunningSimulator['stats']>;

/** Simulated ms per real ms. */
export const TIME_SCALE = 1000;

/** How fast tasks run and watches poll, for a given number of concurrent watches. */
export interface Profile {
  /** Longest generation, in simulated ms. */
  readonly maxDuration: number;
  readonly watch: WatchOptions;
}

/**
 * Up to a few hundred watches: tasks of at most 150 real ms polled every 40 ms. Beyond that, one process
 * on 2 cores answers about a thousand requests a second (client and server together), so a burst of a
 * thousand polls waits about a second: tasks of up to 3 s polled every 200 ms (jittered by half). The
 * retry budget is one that 20 % faults never exhaust.
 *
 * Nothing here is a race with the machine's speed (a loaded 2-core machine, load average 15-30, answers a
 * burst of polls ten times slower and more): the request timeout is far beyond any reply's wait
 * (a scenario that plays `hang` sets its own, {@link HANG_WATCH}), and the deadline is the default (20
 * minutes), beyond the specs' own mocha timeout ({@link FAULT_SPEC_TIMEOUT}), so a stuck watch fails the
 * test there while a slow one is never taken for it.
 */
export function profileFor(watches: number): Profile {
  const base: WatchOptions = { initialDelay: 0, multiplier: 1, retries: 8, requestTimeout: 15_000 };
  return watches < 500
    ? { maxDuration: 150_000, watch: { ...base, interval: 40, maxInterval: 40, jitter: 0.2 } }
    : { maxDuration: 3_000_000, watch: { ...base, interval: 200, maxInterval: 200, jitter: 0.5 } };
}

/**
 * The fault specs' mocha timeout: a guard against a stuck watch, not a race. A loaded 2-core machine
 * (load average 30, this process getting a few % of a core) took over 2 minutes for the `hang` kind.
 */
export const FAULT_SPEC_TIMEOUT = 600_000;

/**
 * For a scenario that plays `hang`: a request timeout short enough that the hangs are ridden out within
 * the test (each costs one wait), yet a merely slow machine's late replies are taken for hangs now and
 * then. A run of them is retried, not an exhausted budget: what a watch does when timeouts exhaust its
 * retries is shown in virtual time (spec/watch/watchTask.spec.ts), not here in real time.
 */
export const HANG_WATCH = { requestTimeout: 2000, retries: 1000 } as const satisfies WatchOptions;

/**
 * Requests that got a fault the client must answer with another poll: every kind that replaces or
 * corrupts the reply (a status, no reply, a body that cannot be read, a request-level error), not one
 * that leaves a valid reply (`'computed'`: slow, duplicated, reordered or missing items, an unknown status).
 */
export function failedByFaults(played: RunningSimulatorStats['faults']): number {
  return FAULT_KINDS.filter((kind) => FAULT_TABLE[kind].status !== 'computed').reduce((sum, kind) => sum + (played[kind] ?? 0), 0);
}

/** Every fault kind but `slow` (a slow reply is only a late one), from the simulator's own table. Retry-After is 1 s, so it is really waited for. */
export const KINDS: ReadonlyArray<FaultSpec> = FAULT_KINDS.filter((kind) => kind !== 'slow').map((kind): FaultSpec => (kind === 'rateLimit' ? { kind, retryAfter: 1 } : kind));

export const nameOf = (spec: FaultSpec): string => (typeof spec === 'string' ? spec : spec.kind);

/** Upper bound on requests: polls for the longest task, plus the faults, three times over. A hot loop is far beyond. */
export function requestBound(watches: number, rate: number, profile: Profile): number {
  const polls = Math.ceil(profile.maxDuration / TIME_SCALE / (profile.watch.interval ?? 1)) + 3;
  return Math.ceil((watches * polls * 3) / (1 - Math.min(rate, 0.5)));
}

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
  /** fetch calls made after the watch completed or failed: must stay 0. */
  requestsAfterEnd: number;
  ended: boolean;
  /** Timers the watch scheduled that neither fired nor were cleared, once every watch ended: must be 0. */
  timersLeft: number;
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
  /** Reads each watch's timers left, once all have ended (a watch's teardown runs right after its end). */
  const ended: Array<() => void> = [];
  const finished = truths.map(
    (truth) =>
      new Promise<WatchRecord>((resolve) => {
        const record: WatchRecord = { truth, events: [], error: undefined, completed: false, requests: 0, requestsAfterEnd: 0, ended: false, timersLeft: 0 };
        const timers = countingScheduler();
        ended.push(() => (record.timersLeft = timers.pending()));
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
            scheduler: timers.scheduler,
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
  return Promise.all(finished).then((records) => {
    for (const read of ended) read();
    subscriptions.unsubscribe();
    return records;
  }, (error: unknown) => {
    subscriptions.unsubscribe();
    throw error;
  });
}

/**
 * The async scheduler, counting what was scheduled on it and neither ran nor was cancelled: a timer a
 * watch left behind shows at once, where waiting for it to fire could never tell it will not. (A watch's
 * timers fire once: none reschedules itself.)
 */
function countingScheduler(): { readonly scheduler: SchedulerLike; pending(): number } {
  let pending = 0;
  const scheduler: SchedulerLike = {
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      pending += 1;
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        pending -= 1;
      };
      const action = asyncScheduler.schedule(function (this: SchedulerAction<T>, given?: T) {
        settle();
        work.call(this, given);
      }, delay, state);
      action.add(settle);
      return action;
    },
  };
  return { scheduler, pending: () => pending };
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
  readonly timersLeft: number;
  /** Outcomes reported that the truth does not have (in any watch, completed or not). */
  readonly wrong: number;
  /**
   * Generations failed by the watch as never listed by a task the service ended (`inferred: 'taskEnded'`):
   * the `missingGeneration` fault, played on two replies in a row of a task whose listed generations are
   * all finished with a failure, is exactly what such a task looks like (docs/protocol.md, rule 7).
   */
  readonly endedEarly: number;
}

/** Compares every record with its truth. */
export function tally(records: ReadonlyArray<WatchRecord>): Tally {
  let lost = 0;
  let duplicated = 0;
  let wrong = 0;
  let endedEarly = 0;
  for (const record of records) {
    const byIndex = new Map<number, string>();
    let inferred = 0;
    for (const event of record.events) {
      if (event.status === 'processing') continue;
      if (byIndex.has(event.index)) duplicated += 1;
      // A generation the watch failed as never listed stands for one of the truth's, whichever it was.
      if (event.status === 'error' && event.error.inferred === 'taskEnded') inferred += 1;
      else byIndex.set(event.index, event.status === 'success' ? 'success' : event.error.code);
    }
    const remaining = [...record.truth.outcomes];
    for (const outcome of byIndex.values()) {
      const at = remaining.indexOf(outcome);
      if (at === -1) wrong += 1;
      else remaining.splice(at, 1);
    }
    endedEarly += inferred;
    if (record.completed) lost += Math.max(0, remaining.length - inferred);
  }
  return {
    watches: records.length,
    requests: records.reduce((sum, record) => sum + record.requests, 0),
    lost,
    duplicated,
    errored: records.filter((record) => record.error !== undefined).length,
    completed: records.filter((record) => record.completed).length,
    requestsAfterEnd: records.reduce((sum, record) => sum + record.requestsAfterEnd, 0),
    timersLeft: records.reduce((sum, record) => sum + record.timersLeft, 0),
    wrong,
    endedEarly,
  };
}

/** The one summary line per fault kind. */
export function summaryLine(name: string, result: Tally): string {
  return `      fault ${name.padEnd(24)} watches ${String(result.watches).padStart(5)}  requests ${String(result.requests).padStart(6)}  lost ${result.lost}  duplicated ${result.duplicated}  errored ${result.errored}  ended early ${result.endedEarly}`;
}

/** What a scenario played and how its watches went. */
export interface Scenario {
  readonly records: WatchRecord[];
  readonly result: Tally;
  readonly simulator: RunningSimulator;
}

/**
 * Called inside a `describe`: hooks that catch unhandled rejections, close the simulators and print one
 * summary line per scenario, and the function that plays a scenario. A scenario starts a simulator with
 * the faults, runs the watches, and checks what every scenario must show: no unhandled rejection, no
 * request after a watch ended, no timer left behind, no duplicated terminal event, no outcome the
 * simulator never played.
 */
export function faultScenarios(): (
  name: string,
  faults: { rate: number; kinds?: ReadonlyArray<FaultSpec>; script?: ReadonlyArray<FaultSpec | null> },
  watches: number,
  seed: number,
  profile?: Profile,
) => Promise<Scenario> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  const simulators: RunningSimulator[] = [];
  const summaries: string[] = [];

  before(() => process.on('unhandledRejection', onUnhandled));
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await Promise.all(simulators.map((simulator) => simulator.close()));
    for (const line of summaries) console.log(line);
  });

  return async (name, faults, watches, seed, profile = profileFor(watches)) => {
    const simulator = await startSimulator({ timeScale: TIME_SCALE, seed, faults: { rate: faults.rate, ...(faults.kinds ? { kinds: faults.kinds } : {}), ...(faults.script ? { script: faults.script } : {}) } });
    simulators.push(simulator);
    const truths = await submitTasks(simulator, watches, seed, profile.maxDuration);
    const records = await runWatches(simulator, truths, profile.watch);
    const result = tally(records);
    summaries.push(summaryLine(name, result));
    expect(unhandled, 'unhandled rejections').to.deep.equal([]);
    expect(result.requestsAfterEnd, 'requests after the watch ended').to.equal(0);
    expect(result.timersLeft, 'timers a watch left behind when it ended').to.equal(0);
    expect(result.duplicated, 'duplicated terminal events').to.equal(0);
    expect(result.wrong, 'outcomes the simulator never played').to.equal(0);
    // Only a generation left out of two replies in a row looks like a task the service ended; a rare event at a 20 % rate.
    const dropsGenerations = (faults.kinds ?? []).some((spec) => nameOf(spec) === 'missingGeneration');
    expect(result.endedEarly, 'generations failed as never listed').to.be.at.most(dropsGenerations ? Math.ceil(watches * 0.05) : 0);
    return { records, result, simulator };
  };
}
