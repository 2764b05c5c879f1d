/**
 * Transports that answer from a script instead of a network, for tests in virtual time. Each records
 * the requests it received, so a test can assert what was sent and when.
 *
 * @module
 */
import { asyncScheduler, defer, Observable, throwError, timer, map, concatMap, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RunwareError, type RunwareErrorDetails } from '../errors/RunwareError.js';
import type { Transport } from '../transport/Transport.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One request a scripted transport received. */
export interface RecordedRequest {
  /** The tasks sent, as given to the transport (for a watch: `[{ taskType: 'getResponse', taskUUID }]`). */
  readonly tasks: ReadonlyArray<Record<string, unknown>>;
  /** `scheduler.now()` when the request was sent: the frame, inside `TestScheduler.run`. */
  readonly at: number;
}

/** A {@link Transport} that answers from a script and keeps a log of what it was asked. */
export interface ScriptedTransport extends Transport {
  /** Every request received so far, oldest first. */
  readonly requests: ReadonlyArray<RecordedRequest>;
}

/** Options shared by the scripted transports. */
export interface ScriptOptions {
  /**
   * Clock for `RecordedRequest.at` and for latencies.
   * @defaultValue `asyncScheduler` (virtual inside `TestScheduler.run`)
   */
  readonly scheduler?: SchedulerLike;
}

/** Options of {@link replyScript}. */
export interface ReplyScriptOptions extends ScriptOptions {
  /**
   * Milliseconds (frames, in `TestScheduler.run`) between a request and its reply, for every step that
   * does not set its own with {@link delayed} or {@link failWith}.
   * @defaultValue 0
   */
  readonly latency?: number;
  /**
   * What a request beyond the end of the script gets: `'error'` fails it with an error naming the
   * request, which ends a watch at once (never retried, so the test fails where the script ran out);
   * `'repeatLast'` answers like the last step (a task that stays processing forever).
   * @defaultValue `'error'`
   */
  readonly whenExhausted?: 'error' | 'repeatLast';
}

/**
 * A scripted answer with its own latency: made by {@link delayed} or {@link failWith}. Any other
 * value in a {@link replyScript} is a reply body sent after the script's latency.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { delayed, failWith, processing, reply, ScriptStep } from 'runware-rx/testing';
 *
 * const steps: unknown[] = [reply(processing()), delayed(250, reply(processing())), failWith(new Error('connection reset'))];
 * const described = steps.map((step) => (step instanceof ScriptStep ? [step.outcome.kind, step.latency] : 'body'));
 * assert.deepEqual(described, ['body', ['reply', 250], ['error', undefined]]); // undefined: the script's latency
 * ```
 */
export class ScriptStep {
  /** @internal Use {@link delayed} or {@link failWith}. */
  constructor(
    /** Milliseconds before the answer; `undefined` takes the script's latency. */
    readonly latency: number | undefined,
    /** The reply body sent, or the error raised. */
    readonly outcome: { readonly kind: 'reply'; readonly body: unknown } | { readonly kind: 'error'; readonly error: unknown },
  ) {}
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

/**
 * A reply that takes `latency` ms (frames) to arrive, overriding the script's default latency.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { delayed, FIXTURE_TASK_UUID, processing, reply, replyScript, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const transport = replyScript([reply(processing()), delayed(250, reply(processing())), reply(success())]);
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).subscribe());
 * // The slow 2nd reply (at 2250) pushes the 3rd poll back: gaps start at the reply.
 * assert.deepEqual(transport.requests.map((request) => request.at), [1000, 2000, 3750]);
 * ```
 */
export function delayed(latency: number, body: unknown): ScriptStep {
  checkLatency(latency);
  return new ScriptStep(latency, { kind: 'reply', body });
}

/**
 * A request that fails with `error` (for example a `RunwareHttpError` with status 503, as the fetch
 * transport would raise it) after `latency` ms.
 *
 * @param latency - @defaultValue the script's latency
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareHttpError, watchTask, type GenerationEvent } from 'runware-rx';
 * import { failWith, FIXTURE_TASK_UUID, reply, replyScript, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const transport = replyScript([failWith(new RunwareHttpError({ failure: 'status', status: 503 })), reply(success())]);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).subscribe((event) => events.push(event)));
 * // The 503 is ridden out: the watch polls again a second later and finishes.
 * assert.deepEqual(transport.requests.map((request) => request.at), [1000, 2000]);
 * assert.deepEqual(events.map((event) => event.status), ['success']);
 * ```
 */
export function failWith(error: unknown, latency?: number): ScriptStep {
  if (latency !== undefined) checkLatency(latency);
  return new ScriptStep(latency, { kind: 'error', error });
}

// -------------------------------------------------------------------------------------
// transports
// -------------------------------------------------------------------------------------

/**
 * A transport whose n-th request is answered by the n-th step: a reply body (sent after `latency`), or
 * a {@link delayed} / {@link failWith} step. The simplest way to script a watch in a marble test.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, processing, reply, replyScript, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ flush }) => {
 *   const transport = replyScript([reply(processing()), reply(success())], { latency: 10 });
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).subscribe();
 *   flush();
 *   assert.deepEqual(transport.requests.map((request) => request.at), [1000, 2010]);
 * });
 * ```
 */
export function replyScript(steps: ReadonlyArray<unknown>, options: ReplyScriptOptions = {}): ScriptedTransport {
  const latency = options.latency ?? 0;
  checkLatency(latency);
  const scheduler = options.scheduler ?? asyncScheduler;
  const whenExhausted = options.whenExhausted ?? 'error';
  return recording(scheduler, (_tasks, n) => {
    const step = n < steps.length ? steps[n] : whenExhausted === 'repeatLast' && steps.length > 0 ? steps[steps.length - 1] : NONE;
    if (step === NONE) {
      return throwError(() => new ScriptExhaustedError({ problem: `replyScript: request #${n + 1} has no scripted reply (the script has ${steps.length})` }));
    }
    const { latency: own, outcome } = isStep(step) ? step : { latency: undefined, outcome: { kind: 'reply' as const, body: step } };
    return timer(own ?? latency, scheduler).pipe(
      concatMap(() => (outcome.kind === 'reply' ? [outcome.body] : throwError(() => outcome.error))),
    );
  });
}

/**
 * A transport whose n-th request subscribes to the n-th source: typically `cold('-a|', { a: reply(...) })`
 * from `TestScheduler.run`, so the latency is drawn in the marble and `expectSubscriptions(source.subscriptions)`
 * proves when each request was sent and whether it was aborted. A request beyond the last source errors,
 * ending the watch at once with a message naming the request.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, processing, reply, scriptedTransport, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ cold, expectSubscriptions }) => {
 *   const first = cold('--a|', { a: reply(processing()) }); // 2 frames of latency
 *   const second = cold('-b|', { b: reply(success()) });
 *   watchTask(FIXTURE_TASK_UUID, { transport: scriptedTransport([first, second]), scheduler, jitter: 0 }).subscribe();
 *   expectSubscriptions(first.subscriptions).toBe('1000ms ^-!'); // sent at 1000, answered at 1002
 *   expectSubscriptions(second.subscriptions).toBe('2002ms ^!'); // sent a second after that reply
 * });
 * ```
 */
export function scriptedTransport(sources: ReadonlyArray<Observable<unknown>>, options: ScriptOptions = {}): ScriptedTransport {
  return recording(options.scheduler ?? asyncScheduler, (_tasks, n) => {
    const source = sources[n];
    return source ?? throwError(() => new ScriptExhaustedError({ problem: `scriptedTransport: request #${n + 1} has no scripted source (the script has ${sources.length})` }));
  });
}

/**
 * A transport answering from a timeline of the server's state, drawn as a marble: a request sent at
 * frame `t` gets the value of the last marble event at or before `t` (after `latency`). The script does
 * not care how many polls the watch makes, only what the server would say when each one arrives.
 * `#` makes every later request fail with `error`. A request before the first event errors (not retried).
 * Frames are counted from the moment the transport is made, in `TestScheduler.run` time progression
 * syntax (`'a 2999ms b'`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, marbleTransport, processing, reply, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ flush }) => {
 *   // processing until 3 s after start, then done; every request takes 5 frames
 *   const transport = marbleTransport('a 2999ms b', { a: reply(processing()), b: reply(success()) }, { latency: 5 });
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).subscribe();
 *   flush();
 *   assert.deepEqual(transport.requests.map((request) => request.at), [1000, 2005, 3510]); // the 3rd sees `b`
 * });
 * ```
 */
export function marbleTransport(
  marbles: string,
  values: Readonly<Record<string, unknown>>,
  options: ReplyScriptOptions & {
    /** What every request after a `#` fails with, for example a `RunwareHttpError` with status 503. @defaultValue the string `'error'`, as in marble tests */
    readonly error?: unknown;
  } = {},
): ScriptedTransport {
  const latency = options.latency ?? 0;
  checkLatency(latency);
  const scheduler = options.scheduler ?? asyncScheduler;
  const origin = scheduler.now();
  const timeline = TestScheduler.parseMarbles(marbles, values as Record<string, unknown>, options.error, false, true);
  return recording(scheduler, () =>
    timer(latency, scheduler).pipe(
      map(() => {
        const sentAt = scheduler.now() - latency - origin;
        const current = [...timeline].reverse().find((message) => message.frame <= sentAt);
        if (current === undefined) throw new ScriptExhaustedError({ problem: `marbleTransport: no reply scripted yet at frame ${sentAt}` });
        const { notification } = current;
        if (notification.kind === 'E') throw notification.error;
        if (notification.kind === 'C') throw new ScriptExhaustedError({ problem: `marbleTransport: the timeline completed at frame ${current.frame}; use '#' for a failing server` });
        return notification.value;
      }),
    ),
  );
}

/**
 * One transport for several tasks: each request goes to the transport of its first task's `taskUUID`,
 * so a stream that watches many tasks at once (a `mergeMap` over taskUUIDs) can be scripted per task.
 * The combined log records every request; each task's transport keeps its own. A request for a task
 * without a transport errors (not retried).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { filter, from, map, mergeMap } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { isTerminal, watchTask } from 'runware-rx';
 * import { repliesFor, replyScript, transportPerTask } from 'runware-rx/testing';
 *
 * const [a, b] = ['0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01', '5f0c6a2e-93d4-4c1b-8e7a-2d9b6f4a1c37'];
 * const [ra, rb] = [repliesFor(a), repliesFor(b)];
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ expectObservable }) => {
 *   const transport = transportPerTask({
 *     [a]: replyScript([ra.reply(ra.processing()), ra.reply(ra.success())]), // done at the 2nd poll
 *     [b]: replyScript([rb.reply(rb.success())]), // done at the 1st
 *   });
 *   const watches = from([a, b]).pipe(mergeMap((task) => watchTask(task, { transport, scheduler, jitter: 0 })));
 *   expectObservable(watches.pipe(filter(isTerminal), map((event) => event.taskUUID))).toBe('1000ms b 999ms (a|)', { a, b });
 * });
 * ```
 */
export function transportPerTask(transports: Readonly<Record<string, Transport>>, options: ScriptOptions = {}): ScriptedTransport {
  return recording(options.scheduler ?? asyncScheduler, (tasks) => {
    const taskUUID = tasks[0]?.['taskUUID'];
    const transport = typeof taskUUID === 'string' && Object.hasOwn(transports, taskUUID) ? transports[taskUUID] : undefined;
    return transport === undefined
      ? throwError(() => new ScriptExhaustedError({ problem: `transportPerTask: no transport for task ${String(taskUUID)}` }))
      : transport(tasks);
  });
}

/**
 * A transport that answers each request with `respond(tasks, n)` (`n` counting requests from 0): for a
 * server whose answer depends on what was asked, such as a batch of polls answered item for item, or a
 * submission and the polls after it told apart by `taskType`. Like every scripted transport it records
 * each request and its frame.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { of } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, processing, reply, respondingTransport, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ flush }) => {
 *   // processing on the first two polls, done on the third
 *   const transport = respondingTransport((_tasks, n) => of(reply(n < 2 ? processing() : success())));
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).subscribe();
 *   flush();
 *   assert.deepEqual(transport.requests.map((request) => [request.at, request.tasks[0]?.['taskType']]), [[1000, 'getResponse'], [2000, 'getResponse'], [3500, 'getResponse']]);
 * });
 * ```
 */
export function respondingTransport(
  respond: (tasks: ReadonlyArray<Record<string, unknown>>, n: number) => Observable<unknown>,
  options: ScriptOptions = {},
): ScriptedTransport {
  return recording(options.scheduler ?? asyncScheduler, respond);
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const NONE = Symbol('none');

/**
 * A request the script has no answer for. A plain Error from a transport counts as a network failure,
 * which a watch retries and then reports as "network failure after 6 attempts": a test would fail far
 * from its cause. This error is not retryable, so the watch (or submit) ends at once with this message.
 */
class ScriptExhaustedError extends RunwareError {
  override readonly name = 'RunwareScriptExhaustedError';
  readonly retryable = false;

  constructor(details: RunwareErrorDetails & { readonly problem: string }) {
    super(details.problem, details);
  }
}

function recording(
  scheduler: SchedulerLike,
  answer: (tasks: ReadonlyArray<Record<string, unknown>>, n: number) => Observable<unknown>,
): ScriptedTransport {
  const requests: RecordedRequest[] = [];
  const transport = (tasks: ReadonlyArray<Record<string, unknown>>): Observable<unknown> =>
    defer(() => {
      const n = requests.length;
      requests.push({ tasks, at: scheduler.now() });
      return answer(tasks, n);
    });
  return Object.assign(transport, { requests: requests as ReadonlyArray<RecordedRequest> });
}

function isStep(value: unknown): value is ScriptStep {
  return value instanceof ScriptStep;
}

function checkLatency(latency: number): void {
  if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0) {
    throw new RangeError(`runware-rx/testing: latency must be a finite number of at least 0 ms, got ${String(latency)}`);
  }
}
