/**
 * The watch's loop: the mechanism that applies the plan's decisions to one subscription.
 *
 * @module
 */
import { EMPTY, expand, merge, NEVER, Observable, type SchedulerAction, type Subscriber, type Subscription } from 'rxjs';
import type { CadencePlanner } from '../cadence/watchCadence.js';
import { bindError } from '../errors/bindError.js';
import type { RunwareError } from '../errors/RunwareError.js';
import type { GenerationEvent } from '../events/events.js';
import { sendOnce, type ReplyReceiver } from '../transport/requestOnce.js';
import type { Transport } from '../transport/Transport.js';
import { foldReply, type Folded } from './foldReply.js';
import type { AttemptReport } from './options.js';
import { decide, startPlan, type Decision, type NextPoll, type PlanContext, type PlanState, type ReplyStep, type Step } from './plan.js';
import type { PartWatch } from './steps.js';
import { isSettled, type WatchState } from './reconcile.js';
import type { WatchSettings } from './settings.js';

/**
 * One subscription's watch: the mechanism that applies the plan's decisions (`plan.ts`). `expand` drives
 * the loop: every step (a wait's tick, a poll's reply or failure, a pushed body, the lease, the deadline)
 * is applied where it enters the loop (`apply`, the one place the watch's state changes), and the
 * projection turns the decision into what comes next (a wait, a poll, or nothing). The deadline is one
 * scheduled action for the watch's life and one check (the plan's `deadline` step).
 *
 * A class rather than closures, and one `expand` rather than an operator per concern, because thousands
 * of live watches are the point: the methods exist once on the prototype, so a waiting watch holds these
 * fields, `expand`'s subscribers and its timers (docs/performance.md has the measurements). The fields
 * are declared, not defined (here and in `Poll`): the constructor assigns every one, so none is set
 * twice and the bundle carries no list of them.
 */
export class TaskWatch implements PlanContext, PartWatch {
  declare readonly taskUUID: string;
  private declare readonly transport: Transport;
  declare readonly settings: WatchSettings;
  declare readonly numberResults: number | undefined;
  private declare readonly subscriber: Subscriber<GenerationEvent>;
  declare readonly startedAt: number;
  /** The learned schedule, with a cadence store and key (the store's part); none without. */
  declare readonly cadence: CadencePlanner | undefined;
  /** The last reply folded and the state it left, so that an equal reply is not decoded again. */
  private declare lastFolded: Folded | undefined;
  /** The plan's state after the latest step. */
  private declare plan: PlanState;

  /** `known`: what the watch starts from (results a submit reply already held), its events already emitted. */
  constructor(taskUUID: string, transport: Transport, settings: WatchSettings, numberResults: number | undefined, cadenceKey: string | undefined, subscriber: Subscriber<GenerationEvent>, known: WatchState | undefined) {
    this.taskUUID = taskUUID;
    this.transport = transport;
    this.settings = settings;
    this.numberResults = numberResults;
    this.subscriber = subscriber;
    const startedAt = settings.scheduler.now();
    this.startedAt = startedAt;
    // A watch with a part (push, a shared hub) has a safety net, which the learned cadence places.
    const safetyNetPending = settings.part === undefined ? undefined : (numberResults ?? 1);
    this.cadence = cadenceKey === undefined ? undefined : settings.cadence?.plannerFor(cadenceKey, settings.startedAt ?? startedAt, startedAt + settings.timeout, settings, safetyNetPending);
    this.lastFolded = undefined;
    this.plan = startPlan(taskUUID, this, startedAt, known).state;
  }

  start(): Subscription {
    const { part, scheduler, timeout } = this.settings;
    // The first wait and a part's steps (pushed bodies, the lease) in the one expand.
    const first = this.wait(this.plan.due);
    const steps = part === undefined ? first : merge(first, part.steps(this));
    // The watch observes its own decisions (`next`, `error`, `complete` below): no observer object of closures per watch.
    const subscription = steps.pipe(expand((decision) => this.effect(decision))).subscribe(this);
    // The deadline: one scheduled action for the watch's whole life, whose step the watch observes
    // directly (it only ever ends the watch). No wait reaches it (see `wait`), so none ties with it.
    subscription.add(scheduler.schedule(deadlineReached, timeout, this));
    return subscription;
  }

  /** Applies one step: the plan decides, and its state becomes the watch's. The one place the state changes. */
  apply(step: Step): Decision {
    const decision = decide(this.plan, step, this, this.settings.scheduler.now());
    this.plan = decision.state;
    return decision;
  }

  /** What a decision leads to in the loop: a wait, a poll, or nothing more. */
  private effect(decision: Decision): Observable<Decision> {
    if (decision.act === 'wait') return this.wait(decision.state.due);
    if (decision.act === 'poll') return this.poll(decision.state.due);
    return EMPTY;
  }

  next(decision: Decision): void {
    const { step } = decision;
    if (step !== undefined && (step.kind === 'reply' || step.kind === 'push')) {
      // Learned before the events go out: a watch started on the last one (a task run after this one) knows it.
      // A webhook lands at the finish; a reply (this instance's or another's) between two polls.
      const { polled } = step;
      const now = this.settings.scheduler.now();
      this.cadence?.learn(finishedAmong(step.events), polled === undefined ? now : polled.from, polled?.to ?? now);
      for (const event of step.events) this.subscriber.next(event);
    }
    // Settled: done now, whatever else is pending (a push subscription never completes on its own); the
    // teardown cancels the timers and the push subscription.
    if (decision.act === 'settle') this.subscriber.complete();
    else if (decision.act === 'fail') this.subscriber.error(decision.error);
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  /** The wait for `due`: reported, then its tick; a wait that reaches the deadline has none (the deadline comes first). */
  private wait(due: NextPoll): Observable<Decision> {
    const { scheduler, onSchedule } = this.settings;
    const remaining = this.startedAt + this.settings.timeout - scheduler.now();
    const delay = Math.min(due.delay, remaining);
    onSchedule?.({ taskUUID: this.taskUUID, attempt: due.attempt, delay: Math.max(0, delay), reason: due.reason });
    return delay < remaining ? tickAfter(delay, scheduler, this, due) : NEVER;
  }

  /** One poll: the request, its reply or failure applied as a step. */
  private poll(due: NextPoll): Observable<Decision> {
    return new Observable<Decision>((subscriber) => sendOnce(this.transport, [{ taskType: 'getResponse', taskUUID: this.taskUUID }], this.settings, new Poll(this, due, subscriber)));
  }

  /** A reply folded into the latest state, as the step of the poll sent at `sentAt`; throws what `foldReply` throws. */
  replied(body: unknown, sentAt: number): ReplyStep {
    const last = this.lastFolded;
    const before = this.plan;
    // The latest state, not the one at sending: a push may have been folded in while this poll was in flight.
    const { state, events, unknownStatuses } = foldReply(before.watch, body, this.numberResults, last);
    // An equal reply folded onto the state it left changes nothing: keep the first, so no new record per poll.
    if (last === undefined || last.state !== state) this.lastFolded = { body, state, unknownStatuses };
    return { kind: 'reply', state, events, settled: isSettled(state, this.numberResults), polled: { from: before.answeredAt, to: sentAt }, unknownStatuses };
  }

  /** The generations as the plan knows them now. */
  latest(): WatchState {
    return this.plan.watch;
  }

}

const DEADLINE: Step = Object.freeze({ kind: 'deadline' });

function deadlineReached(this: SchedulerAction<TaskWatch>, watch?: TaskWatch): void {
  watch?.next(watch.apply(DEADLINE));
}

/**
 * One poll in flight: receives the request's reply or failure, applies it as a step and reports it. One
 * object instead of a chain of operators and closures per poll.
 */
class Poll implements ReplyReceiver {
  private declare readonly due: NextPoll;
  private declare readonly sentAt: number;
  private declare readonly watch: TaskWatch;
  private declare readonly subscriber: Subscriber<Decision>;

  constructor(watch: TaskWatch, due: NextPoll, subscriber: Subscriber<Decision>) {
    this.watch = watch;
    this.due = due;
    this.sentAt = watch.settings.scheduler.now();
    this.subscriber = subscriber;
  }

  reply(body: unknown): void {
    const { watch } = this;
    const before = watch.latest();
    let step: ReplyStep;
    try {
      step = watch.replied(body, this.sentAt);
    } catch (caught) {
      this.fail(caught);
      return;
    }
    this.end(watch.apply(step), 'reply', step.events.length, 0, undefined, step.unknownStatuses);
    // Handed to the part (the hub's other instances) once its step went out: a hub that hands it back at
    // once (to this watch too) then finds it known, and no event comes twice. Only a reply that taught
    // this watch something is news to the others: what it already knew came from a reply it published
    // before or from the hub itself.
    if (step.state !== before) watch.settings.part?.polled(watch.taskUUID, body, step.polled);
  }

  fail(caught: unknown): void {
    const error = bindError(caught, this.watch.taskUUID);
    const decision = this.watch.apply({ kind: 'failure', error });
    // The failure that ends the watch is the plan's (with its attempts counted); one it rides out is this one.
    const failed = decision.act === 'fail';
    this.end(decision, failed ? 'failed' : 'retrying', 0, this.due.failures + 1, failed ? (decision.error as RunwareError) : error);
  }

  /** Reports this poll to `onAttempt`, then hands the decision to the loop; an exception thrown by `onAttempt` ends the watch. */
  private end(decision: Decision, outcome: AttemptReport['outcome'], events: number, failures: number, error?: RunwareError, unknownStatuses?: ReadonlyArray<string>): void {
    const { watch, due } = this;
    try {
      watch.settings.onAttempt?.({
        taskUUID: watch.taskUUID,
        attempt: due.attempt,
        delay: due.delay,
        reason: due.reason,
        latency: watch.settings.scheduler.now() - this.sentAt,
        outcome,
        events,
        failures,
        ...(error === undefined ? {} : { error }),
        ...(unknownStatuses === undefined ? {} : { unknownStatuses }),
      });
    } catch (caught) {
      this.subscriber.error(caught);
      return;
    }
    this.subscriber.next(decision);
    this.subscriber.complete();
  }
}

/** The tick of the wait for `due`, applied by `watch` after `delay` ms: one scheduled action, no closure. */
function tickAfter(delay: number, scheduler: WatchSettings['scheduler'], watch: TaskWatch, due: NextPoll): Observable<Decision> {
  return new Observable<Decision>((subscriber) => scheduler.schedule(tick, delay, { watch, due, subscriber }));
}

function tick(this: SchedulerAction<Wait>, wait?: Wait): void {
  wait?.subscriber.next(wait.watch.apply({ kind: 'tick', due: wait.due }));
  wait?.subscriber.complete();
}

interface Wait {
  readonly watch: TaskWatch;
  readonly due: NextPoll;
  readonly subscriber: Subscriber<Decision>;
}

/** Generations first seen finished in a reply: each has exactly one terminal event. */
function finishedAmong(events: ReadonlyArray<GenerationEvent>): number {
  return events.reduce((finished, event) => (event.status === 'processing' ? finished : finished + 1), 0);
}
