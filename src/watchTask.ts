/**
 * `watchTask`: a task's generations as a cold stream of status changes.
 *
 * @module
 */
import { catchError, EMPTY, expand, map, merge, Observable, of, tap, throwError, timer, type Subscriber, type Subscription } from 'rxjs';
import { RunwareError } from './errors/RunwareError.js';
import { RunwareHttpError } from './errors/RunwareHttpError.js';
import { RunwareTimeoutError } from './errors/RunwareTimeoutError.js';
import { bindError } from './errors/bindError.js';
import type { GenerationEvent } from './events.js';
import { foldReply } from './foldReply.js';
import { MAX_DELAY, resolveWatchSettings, type AttemptReport, type DelayReason, type WatchOptions, type WatchSettings } from './options.js';
import { assertTaskUUID } from './protocol/taskUUID.js';
import { foldPushed, pushOutcomes, safetyNetGap, type PushOutcome } from './pushSteps.js';
import { generationsOf, initialWatchState, isSettled, type WatchState } from './reconcile.js';
import { backoffDelay } from './schedule/backoff.js';
import { parseRetryAfter } from './schedule/retryAfter.js';
import { requestOnce } from './transport/requestOnce.js';
import type { Transport } from './transport/Transport.js';
import { transportFor } from './transport/transportFor.js';

/** What one poll came to: a reply folded into the state, or a failure the watch rides out. */
type PollOutcome =
  | { readonly kind: 'reply'; readonly attempt: number; readonly state: WatchState; readonly events: ReadonlyArray<GenerationEvent>; readonly settled: boolean }
  | { readonly kind: 'failure'; readonly attempt: number; readonly failures: number; readonly state: WatchState; readonly retryAfterMs: number | undefined };

/** A step of the watch: a timer's tick (the wait is over: poll now), what a poll came to, or a pushed body folded in. */
type Step = number | PollOutcome | PushOutcome;

/** When and why the next poll goes out. */
interface NextPoll {
  readonly attempt: number;
  readonly delay: number;
  readonly reason: DelayReason;
  readonly failures: number;
  readonly state: WatchState;
}

/**
 * Watches an asynchronous Runware task until every generation has finished.
 *
 * Cold and lazy: nothing is sent before subscription, every subscription is its own watch, and
 * unsubscribing cancels the pending timer and aborts the request in flight. Polls never overlap: the
 * first goes out `initialDelay` ms after subscription, each later one a backoff gap after the previous
 * reply. Emits one {@link GenerationEvent} per generation status change (`processing` once, then exactly
 * one of `success` or `error`) and completes right after the reply in which every generation is finished.
 * A failed generation is an event; the error channel is for the watch itself ({@link RunwareError}).
 *
 * Throws a `TypeError` or `RangeError` at call for a taskUUID that is not a UUID, a bad option, or a
 * missing API key.
 *
 * @example
 * ```ts
 * import { watchTask } from 'runware-rx';
 *
 * declare const taskUUID: string; // the task you submitted with numberResults: 2
 *
 * // The API key comes from RUNWARE_API_KEY; unsubscribing stops the polls.
 * const subscription = watchTask(taskUUID, { numberResults: 2 }).subscribe({
 *   next: (event) => {
 *     if (event.status === 'success') console.log(event.index, event.result.videoURL);
 *     if (event.status === 'error') console.warn(event.index, event.error.code);
 *   },
 *   error: (error: unknown) => console.error(String(error)), // a RunwareError: the watch itself failed
 * });
 * ```
 */
export function watchTask(taskUUID: string, options: WatchOptions = {}): Observable<GenerationEvent> {
  assertTaskUUID(taskUUID, 'watchTask');
  const settings = resolveWatchSettings(options);
  return watchWithTransport(taskUUID, transportFor(options), settings);
}

/**
 * The watch itself, over any transport, with settings already checked. `numberResults` is the task's
 * count when it differs from the settings' (a client shares one settings object between its watches).
 */
export function watchWithTransport(
  taskUUID: string,
  transport: Transport,
  settings: WatchSettings,
  numberResults: number | undefined = settings.numberResults,
): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => new TaskWatch(taskUUID, transport, settings, numberResults, subscriber).start());
}

/**
 * One subscription's watch: `expand` alternating two kinds of steps, a wait (a `timer`, whose tick says
 * "poll now") and a poll (whose outcome says when to wait next). The deadline is folded into the same
 * schedule: no wait outlasts it, and a request in flight is cut off by it.
 *
 * A class rather than closures, and one `expand` rather than an operator per concern, because thousands
 * of live watches are the point: the methods exist once on the prototype, so a waiting watch holds these
 * fields, `expand`'s subscribers and a single timer (docs/performance.md has the measurements).
 */
class TaskWatch {
  private readonly taskUUID: string;
  private readonly transport: Transport;
  private readonly settings: WatchSettings;
  private readonly numberResults: number | undefined;
  private readonly subscriber: Subscriber<GenerationEvent>;
  private readonly deadline: number;
  /** The poll the current wait leads to, or the poll in flight; its state is the latest the watch knows. */
  private due: NextPoll;

  constructor(taskUUID: string, transport: Transport, settings: WatchSettings, numberResults: number | undefined, subscriber: Subscriber<GenerationEvent>) {
    this.taskUUID = taskUUID;
    this.transport = transport;
    this.settings = settings;
    this.numberResults = numberResults;
    this.subscriber = subscriber;
    this.deadline = settings.scheduler.now() + settings.timeout;
    this.due = nextPoll(1, settings.push === undefined ? settings.initialDelay : settings.pushPollDelay, 'initial', 0, initialWatchState(taskUUID));
  }

  start(): Subscription {
    const { push } = this.settings;
    // With push, its bodies join the polls' steps in the one expand: each is folded when it arrives.
    const first = this.wait(this.due);
    const steps = push === undefined ? first : merge(first, pushOutcomes(push, this.taskUUID, (body) => this.pushed(body)));
    // The watch observes its own steps (`next`, `error`, `complete` below): no observer object of closures per watch.
    return steps.pipe(expand((step) => this.advance(step))).subscribe(this);
  }

  next(step: Step): void {
    if (typeof step === 'number' || step.kind === 'failure') return;
    for (const event of step.events) this.subscriber.next(event);
    // Settled: done now, whatever else is pending (a push subscription never completes on its own); the
    // teardown cancels the timer and the push subscription.
    if (step.settled) this.subscriber.complete();
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  private advance(step: Step): Observable<Step> {
    if (typeof step === 'number') return this.poll();
    if (step.kind === 'push') return EMPTY;
    return step.kind === 'reply' && step.settled ? EMPTY : this.wait(scheduleAfter(step, this.settings));
  }

  /** A pushed body folded into the latest state, which the next poll (or the one in flight) then folds into. */
  private pushed(body: unknown): PushOutcome | undefined {
    const { due } = this;
    const outcome = foldPushed(due.state, body, this.numberResults);
    if (outcome !== undefined) this.due = nextPoll(due.attempt, due.delay, due.reason, due.failures, outcome.state);
    return outcome;
  }

  private wait(next: NextPoll): Observable<Step> {
    this.due = next;
    return timer(Math.min(next.delay, this.deadline - this.settings.scheduler.now()), this.settings.scheduler);
  }

  /** One poll: the request, read into an outcome; a transient failure becomes an outcome too. */
  private poll(): Observable<PollOutcome> {
    const { settings, taskUUID } = this;
    const { scheduler } = settings;
    const next = this.due;
    const sentAt = scheduler.now();
    const remaining = this.deadline - sentAt;
    if (remaining <= 0) return throwError(() => this.timedOut());
    const report = (outcome: AttemptReport['outcome'], events: number, failures: number, error?: RunwareError): void =>
      settings.onAttempt?.({
        taskUUID,
        attempt: next.attempt,
        delay: next.delay,
        reason: next.reason,
        latency: scheduler.now() - sentAt,
        outcome,
        events,
        failures,
        ...(error === undefined ? {} : { error }),
      });
    let deadlineError: RunwareTimeoutError | undefined;
    const cutoff = { within: remaining, error: () => (deadlineError = this.timedOut()) };
    return requestOnce(this.transport, [{ taskType: 'getResponse', taskUUID }], settings, cutoff).pipe(
      map((body): PollOutcome => {
        // The latest state, not the one at sending: a push may have been folded in while this poll was in flight.
        const { state, events } = foldReply(this.due.state, body, this.numberResults);
        return { kind: 'reply', attempt: next.attempt, state, events, settled: isSettled(state, this.numberResults) };
      }),
      catchError((caught: unknown) => {
        // The deadline ends the watch as it is: it is not a failure of this poll.
        if (caught !== undefined && caught === deadlineError) return throwError(() => caught);
        const failures = next.failures + 1;
        const error = bindError(caught, taskUUID);
        const retryAfterMs = error instanceof RunwareHttpError ? parseRetryAfter(error.retryAfter, scheduler.now()) : undefined;
        // Waiting past the deadline would only end in a RunwareTimeoutError, and past maxRetryAfter is more than
        // the caller accepts: end now with the server's error, which says how long it asked for.
        const waitRefused = retryAfterMs !== undefined && (retryAfterMs > settings.maxRetryAfter || scheduler.now() + retryAfterMs >= this.deadline);
        if (!error.retryable || failures > settings.retries || waitRefused) {
          // An error of another copy of the library (a custom transport's) is passed on as it is: it may predate withAttempts.
          const final = error instanceof RunwareError ? error.withAttempts(failures) : error;
          report('failed', 0, failures, final);
          return throwError(() => final);
        }
        report('retrying', 0, failures, error);
        return of<PollOutcome>({ kind: 'failure', attempt: next.attempt, failures, state: this.due.state, retryAfterMs });
      }),
      tap((outcome) => {
        if (outcome.kind === 'reply') report('reply', outcome.events.length, 0);
      }),
    );
  }

  private timedOut(): RunwareTimeoutError {
    return new RunwareTimeoutError({ taskUUID: this.taskUUID, timeout: this.settings.timeout, generations: generationsOf(this.due.state) });
  }
}

/** The poll after `outcome`: the backoff schedule, or a longer Retry-After the server asked for. */
function scheduleAfter(outcome: PollOutcome, settings: WatchSettings): NextPoll {
  const gap = backoffDelay(outcome.attempt, settings, settings.random);
  const attempt = outcome.attempt + 1;
  if (outcome.kind === 'reply') return settings.push === undefined ? nextPoll(attempt, gap, 'backoff', 0, outcome.state) : nextPoll(attempt, safetyNetGap(settings), 'safety-net', 0, outcome.state);
  if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > gap) {
    return nextPoll(attempt, Math.min(outcome.retryAfterMs, MAX_DELAY), 'retry-after', outcome.failures, outcome.state);
  }
  return nextPoll(attempt, gap, 'retry', outcome.failures, outcome.state);
}

// Every NextPoll from one literal, so they share one hidden class: an object spread with added keys gave
// each watch's NextPoll a map of its own (about 250 bytes per watch).
function nextPoll(attempt: number, delay: number, reason: DelayReason, failures: number, state: WatchState): NextPoll {
  return { attempt, delay, reason, failures, state };
}
