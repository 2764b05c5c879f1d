/**
 * `watchTask`: a task's generations as a cold stream of status changes.
 *
 * @module
 */
import { EMPTY, expand, merge, Observable, Subject, takeUntil, throwError, timer, type Subscriber, type Subscription } from 'rxjs';
import { WatchCadence } from './cadence/watchCadence.js';
import { RunwareError } from './errors/RunwareError.js';
import { RunwareHttpError } from './errors/RunwareHttpError.js';
import { RunwareTimeoutError } from './errors/RunwareTimeoutError.js';
import { bindError } from './errors/bindError.js';
import type { GenerationEvent } from './events.js';
import { foldReply, type Folded } from './foldReply.js';
import { MAX_DELAY, resolveWatchSettings, type AttemptReport, type DelayReason, type WatchOptions, type WatchSettings } from './options.js';
import { assertTaskUUID } from './protocol/taskUUID.js';
import { foldPushed, pushOutcomes, safetyNetGap, type PushOutcome } from './pushSteps.js';
import { foldShared, leaseSteps, publishPolled, type LeaseStep } from './sharedSteps.js';
import { generationsOf, initialWatchState, isSettled, type WatchState } from './reconcile.js';
import { backoffDelay } from './schedule/backoff.js';
import { parseRetryAfter } from './schedule/retryAfter.js';
import { sendOnce, type Cutoff, type ReplyReceiver } from './transport/requestOnce.js';
import type { Transport } from './transport/Transport.js';
import { transportFor } from './transport/transportFor.js';

/** What one poll came to: a reply folded into the state, or a failure the watch rides out. */
type PollOutcome =
  | { readonly kind: 'reply'; readonly attempt: number; readonly state: WatchState; readonly events: ReadonlyArray<GenerationEvent>; readonly settled: boolean; readonly unknownStatuses?: ReadonlyArray<string> }
  | { readonly kind: 'failure'; readonly attempt: number; readonly failures: number; readonly state: WatchState; readonly retryAfterMs: number | undefined };

/** A step of the watch: a timer's tick (the wait is over: poll now), what a poll came to, a pushed body folded in, or the shared hub's lease. */
type Step = number | PollOutcome | PushOutcome | LeaseStep;

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
 * The watch itself, over any transport, with settings already checked. `numberResults` and `cadenceKey`
 * are the task's when they differ from the settings' (a client shares one settings object between its watches);
 * `known` is what the watch starts from (results a submit reply already held), its events already emitted.
 */
export function watchWithTransport(
  taskUUID: string,
  transport: Transport,
  settings: WatchSettings,
  numberResults: number | undefined = settings.numberResults,
  cadenceKey: string | undefined = settings.cadenceKey,
  known?: WatchState,
): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => new TaskWatch(taskUUID, transport, settings, numberResults, cadenceKey, subscriber, known).start());
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
  readonly settings: WatchSettings;
  private readonly numberResults: number | undefined;
  private readonly subscriber: Subscriber<GenerationEvent>;
  private readonly deadline: number;
  /** The poll the current wait leads to, or the poll in flight; its state is the latest the watch knows. */
  private due: NextPoll;
  /** The learned schedule, with a cadence store and key; the backoff without. */
  private readonly cadence: WatchCadence | undefined;
  /** The last reply folded and the state it left, so that an equal reply is not decoded again. */
  private lastFolded: Folded | undefined;
  /** With a shared hub: the lease's last answer (undefined before the first). */
  private holding: boolean | undefined;
  /** A wait's timer is pending (no poll in flight): a change of the lease replaces it. */
  private waiting: boolean;
  /** With a shared hub: ends the pending wait when the lease replaces it. */
  private readonly replanned: Subject<void> | undefined;

  constructor(
    taskUUID: string,
    transport: Transport,
    settings: WatchSettings,
    numberResults: number | undefined,
    cadenceKey: string | undefined,
    subscriber: Subscriber<GenerationEvent>,
    known: WatchState | undefined,
  ) {
    this.taskUUID = taskUUID;
    this.transport = transport;
    this.settings = settings;
    this.numberResults = numberResults;
    this.subscriber = subscriber;
    const startedAt = settings.scheduler.now();
    this.deadline = startedAt + settings.timeout;
    this.cadence =
      settings.cadence === undefined || cadenceKey === undefined
        ? undefined
        : new WatchCadence(settings.cadence, cadenceKey, settings.startedAt ?? startedAt, this.deadline, settings);
    this.lastFolded = undefined;
    this.holding = undefined;
    this.waiting = false;
    this.replanned = settings.hub === undefined ? undefined : new Subject<void>();
    this.due = this.firstPoll(known ?? initialWatchState(taskUUID, settings), 0);
  }

  /**
   * How this instance polls the task: `following` not at all (a shared hub's lease is another
   * instance's: its polls and the webhooks come through the hub, and the lease passes here when that
   * instance stops); `sparse` as the safety net (with push, or before the lease first answers); `full`
   * at the watch's own cadence.
   */
  private polling(): 'following' | 'sparse' | 'full' {
    const { push, hub } = this.settings;
    if (hub !== undefined && this.holding === false) return 'following';
    return push !== undefined || (hub !== undefined && this.holding === undefined) ? 'sparse' : 'full';
  }

  /** The first poll, `elapsed` ms after the watch started: its own delay, counted from the start. */
  private firstPoll(state: WatchState, elapsed: number): NextPoll {
    const { settings, cadence } = this;
    const polling = this.polling();
    if (polling === 'following') return nextPoll(1, Infinity, 'following', 0, state);
    // A learned gap is already counted from now; the fixed delays are counted from the start.
    const learned = polling === 'sparse' ? cadence?.safetyNet(this.numberResults ?? 1, settings.scheduler.now(), settings.pushPollFloor, settings.pushPollInterval) : undefined;
    if (learned !== undefined) return nextPoll(1, learned, 'safety-net-learned', 0, state);
    return nextPoll(1, Math.max(0, (polling === 'sparse' ? settings.pushPollDelay : settings.initialDelay) - elapsed), 'initial', 0, state);
  }

  start(): Subscription {
    const { push, hub } = this.settings;
    // With push, its bodies join the polls' steps in the one expand: each is folded when it arrives. A
    // shared hub carries the webhooks and the other instances' polls instead, and its lease joins too.
    const first = this.wait(this.due);
    const steps =
      hub !== undefined
        ? merge(first, pushOutcomes(hub, this.taskUUID, (body) => this.pushed(body)), leaseSteps(hub, this.taskUUID))
        : push === undefined
          ? first
          : merge(first, pushOutcomes(push, this.taskUUID, (body) => this.pushed(body)));
    // The watch observes its own steps (`next`, `error`, `complete` below): no observer object of closures per watch.
    return steps.pipe(expand((step) => this.advance(step))).subscribe(this);
  }

  next(step: Step): void {
    if (typeof step === 'number' || step.kind === 'failure' || step.kind === 'lease') return;
    // Learned before the events go out: a watch started on the last one (a task run after this one) knows it.
    this.cadence?.learn(finishedAmong(step.events), step.kind === 'push' ? this.settings.scheduler.now() : undefined);
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
    const { cadence, settings } = this;
    if (typeof step === 'number') {
      this.waiting = false;
      cadence?.sent(settings.scheduler.now());
      return this.poll();
    }
    // A push was learned in `next` (a webhook lands at the finish: each generation it brings finished then).
    if (step.kind === 'push') return EMPTY;
    if (step.kind === 'lease') return this.leased(step.holding);
    if (step.kind === 'reply' && step.settled) return EMPTY;
    const polling = this.polling();
    return this.wait(polling === 'following' ? nextPoll(step.attempt + 1, Infinity, 'following', 0, step.state) : scheduleAfter(step, settings, cadence, this.numberResults, polling === 'sparse'));
  }

  /**
   * The lease's answer changed. A poll in flight goes on (the wait after it follows the new answer); a
   * pending wait is replaced when the answer changes how this instance polls: a follower stops polling;
   * otherwise the first poll waits its own delay from the watch's start, and a later one goes out at once
   * (the previous holder may be gone since its last poll).
   */
  private leased(holding: boolean): Observable<Step> {
    const before = this.polling();
    this.holding = holding;
    const after = this.polling();
    if (!this.waiting || after === before) return EMPTY;
    this.replanned?.next();
    const { due, settings } = this;
    if (after === 'following') return this.wait(nextPoll(due.attempt, Infinity, 'following', due.failures, due.state));
    if (due.attempt === 1) return this.wait(this.firstPoll(due.state, settings.scheduler.now() - (this.deadline - settings.timeout)));
    return this.wait(nextPoll(due.attempt, 0, 'takeover', due.failures, due.state));
  }

  /** A pushed body folded into the latest state, which the next poll (or the one in flight) then folds into. */
  private pushed(body: unknown): PushOutcome | undefined {
    const { due } = this;
    const outcome = this.settings.hub === undefined ? foldPushed(due.state, body, this.numberResults) : foldShared(due.state, body, this.numberResults);
    if (outcome !== undefined) this.due = nextPoll(due.attempt, due.delay, due.reason, due.failures, outcome.state);
    return outcome;
  }

  private wait(next: NextPoll): Observable<Step> {
    this.due = next;
    this.waiting = true;
    const { scheduler, onSchedule } = this.settings;
    const delay = Math.min(next.delay, this.deadline - scheduler.now());
    onSchedule?.({ taskUUID: this.taskUUID, attempt: next.attempt, delay: Math.max(0, delay), reason: next.reason });
    // With a shared hub the lease may replace this wait (see `leased`).
    return this.replanned === undefined ? timer(delay, scheduler) : timer(delay, scheduler).pipe(takeUntil(this.replanned));
  }

  /** One poll: the request, read into an outcome; a transient failure becomes an outcome too. */
  private poll(): Observable<PollOutcome> {
    const remaining = this.deadline - this.settings.scheduler.now();
    if (remaining <= 0) return throwError(() => this.timedOut());
    const next = this.due;
    return new Observable<PollOutcome>((subscriber) => {
      const poll = new Poll(this, next, remaining, subscriber);
      return sendOnce(this.transport, [{ taskType: 'getResponse', taskUUID: this.taskUUID }], this.settings, poll, poll);
    });
  }

  /** A reply folded into the outcome of the poll `next`; throws what `foldReply` throws. */
  folded(next: NextPoll, body: unknown): Extract<PollOutcome, { kind: 'reply' }> {
    const last = this.lastFolded;
    // The latest state, not the one at sending: a push may have been folded in while this poll was in flight.
    const { state, events, unknownStatuses } = foldReply(this.due.state, body, this.numberResults, last);
    // An equal reply folded onto the state it left changes nothing: keep the first, so no new record per poll.
    if (last === undefined || last.state !== state) this.lastFolded = unknownStatuses === undefined ? { body, state } : { body, state, unknownStatuses };
    // Only a reply that taught this watch something is news to the others: what it already knew came from
    // a reply it published before or from the hub itself.
    const { hub } = this.settings;
    if (hub !== undefined && state !== this.due.state) publishPolled(hub, this.taskUUID, body);
    const settled = isSettled(state, this.numberResults);
    return unknownStatuses === undefined ? { kind: 'reply', attempt: next.attempt, state, events, settled } : { kind: 'reply', attempt: next.attempt, state, events, settled, unknownStatuses };
  }

  /** A failed poll: the outcome the watch rides out, or (thrown) the error that ends it. */
  failed(poll: Poll, caught: unknown): PollOutcome {
    const { settings } = this;
    const { scheduler } = settings;
    // The deadline ends the watch as it is: it is not a failure of this poll.
    if (caught !== undefined && caught === poll.deadlineError) throw caught;
    const next = poll.next;
    const failures = next.failures + 1;
    const error = bindError(caught, this.taskUUID);
    const retryAfterMs = error instanceof RunwareHttpError ? parseRetryAfter(error.retryAfter, scheduler.now()) : undefined;
    // Waiting past the deadline would only end in a RunwareTimeoutError, and past maxRetryAfter is more than
    // the caller accepts: end now with the server's error, which says how long it asked for.
    const waitRefused = retryAfterMs !== undefined && (retryAfterMs > settings.maxRetryAfter || scheduler.now() + retryAfterMs >= this.deadline);
    if (!error.retryable || failures > settings.retries || waitRefused) {
      // An error of another copy of the library (a custom transport's) is passed on as it is: it may predate withAttempts.
      const final = error instanceof RunwareError ? error.withAttempts(failures) : error;
      this.report(poll, 'failed', 0, failures, final);
      throw final;
    }
    this.report(poll, 'retrying', 0, failures, error);
    return { kind: 'failure', attempt: next.attempt, failures, state: this.due.state, retryAfterMs };
  }

  report(poll: Poll, outcome: AttemptReport['outcome'], events: number, failures: number, error?: RunwareError, unknownStatuses?: ReadonlyArray<string>): void {
    const { next } = poll;
    this.settings.onAttempt?.({
      taskUUID: this.taskUUID,
      attempt: next.attempt,
      delay: next.delay,
      reason: next.reason,
      latency: this.settings.scheduler.now() - poll.sentAt,
      outcome,
      events,
      failures,
      ...(error === undefined ? {} : { error }),
      ...(unknownStatuses === undefined ? {} : { unknownStatuses }),
    });
  }

  timedOut(): RunwareTimeoutError {
    return new RunwareTimeoutError({ taskUUID: this.taskUUID, timeout: this.settings.timeout, generations: generationsOf(this.due.state) });
  }
}

/**
 * One poll in flight: receives the request's reply or failure, and is the request's cutoff (the watch's
 * deadline). One object instead of a chain of operators and closures per poll.
 */
class Poll implements ReplyReceiver, Cutoff {
  readonly next: NextPoll;
  readonly sentAt: number;
  /** Milliseconds left to the watch's deadline when the poll went out. */
  readonly within: number;
  /** The deadline's error, once the deadline cut this poll short. */
  deadlineError: RunwareTimeoutError | undefined;
  private readonly watch: TaskWatch;
  private readonly subscriber: Subscriber<PollOutcome>;

  constructor(watch: TaskWatch, next: NextPoll, within: number, subscriber: Subscriber<PollOutcome>) {
    this.watch = watch;
    this.next = next;
    this.sentAt = watch.settings.scheduler.now();
    this.within = within;
    this.deadlineError = undefined;
    this.subscriber = subscriber;
  }

  error(): Error {
    return (this.deadlineError = this.watch.timedOut());
  }

  reply(body: unknown): void {
    let outcome: Extract<PollOutcome, { kind: 'reply' }>;
    try {
      outcome = this.watch.folded(this.next, body);
    } catch (caught) {
      this.fail(caught);
      return;
    }
    try {
      this.watch.report(this, 'reply', outcome.events.length, 0, undefined, outcome.unknownStatuses);
    } catch (caught) {
      this.subscriber.error(caught);
      return;
    }
    this.subscriber.next(outcome);
    this.subscriber.complete();
  }

  fail(caught: unknown): void {
    let outcome: PollOutcome;
    try {
      outcome = this.watch.failed(this, caught);
    } catch (error) {
      this.subscriber.error(error);
      return;
    }
    this.subscriber.next(outcome);
    this.subscriber.complete();
  }
}

/**
 * The poll after `outcome`: the backoff schedule, or the learned one with a cadence, or a longer
 * Retry-After the server asked for.
 */
function scheduleAfter(outcome: PollOutcome, settings: WatchSettings, cadence: WatchCadence | undefined, numberResults: number | undefined, sparse: boolean): NextPoll {
  // With push, a reply is followed by the sparse safety net: the pushes bring the news, not the polls
  // (so it is before a shared hub's lease answers: the other instances' polls come through the hub).
  if (outcome.kind === 'reply' && sparse) {
    const learned = cadence?.safetyNet(pendingIn(outcome.state, numberResults), settings.scheduler.now(), settings.pushPollFloor, settings.pushPollInterval);
    return nextPoll(outcome.attempt + 1, learned ?? safetyNetGap(settings), learned === undefined ? 'safety-net' : 'safety-net-learned', 0, outcome.state);
  }
  const plan = cadence?.plan(outcome.attempt, pendingIn(outcome.state, numberResults), settings.scheduler.now());
  const gap = plan === undefined ? backoffDelay(outcome.attempt, settings, settings.random) : plan.delay;
  const attempt = outcome.attempt + 1;
  if (outcome.kind === 'reply') return nextPoll(attempt, gap, plan === undefined || plan.reason === 'backoff' ? 'backoff' : 'learned', 0, outcome.state);
  if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > gap) {
    return nextPoll(attempt, Math.min(outcome.retryAfterMs, MAX_DELAY), 'retry-after', outcome.failures, outcome.state);
  }
  return nextPoll(attempt, gap, 'retry', outcome.failures, outcome.state);
}

/** Generations first seen finished in a reply: each has exactly one terminal event. */
function finishedAmong(events: ReadonlyArray<GenerationEvent>): number {
  let finished = 0;
  for (const event of events) if (event.status !== 'processing') finished += 1;
  return finished;
}

/** Generations not finished yet: of `numberResults` when known, else those seen processing (at least one). */
function pendingIn(state: WatchState, numberResults: number | undefined): number {
  let finished = 0;
  for (const slot of state.slots) if (slot.event.status !== 'processing') finished += 1;
  return numberResults === undefined ? Math.max(1, state.slots.length - finished) : numberResults - finished;
}

// Every NextPoll from one literal, so they share one hidden class: an object spread with added keys gave
// each watch's NextPoll a map of its own (about 250 bytes per watch).
function nextPoll(attempt: number, delay: number, reason: DelayReason, failures: number, state: WatchState): NextPoll {
  return { attempt, delay, reason, failures, state };
}
