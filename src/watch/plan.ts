/**
 * The plan of a watch: every decision it takes (when and why the next poll goes out, what a failure, a
 * Retry-After or the deadline does, what the lease's coming and going does, where the safety net polls,
 * when the watch is settled) as a pure function of its state, the step that arrived and its settings.
 * The watch (`watchTask.ts`) only applies the decisions.
 *
 * @module
 */
import type { CadencePlanner } from '../cadence/watchCadence.js';
import { RunwareError } from '../errors/RunwareError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import { RunwareTimeoutError } from '../errors/RunwareTimeoutError.js';
import type { GenerationEvent } from '../events/events.js';
import type { PolledBetween } from '../push/sharedReply.js';
import { backoffDelay, MAX_DELAY } from '../schedule/backoff.js';
import { parseRetryAfter } from '../schedule/retryAfter.js';
import type { DelayReason } from './options.js';
import type { BodyStep, LeaseStep } from './parts.js';
import { deliveredWatchState } from './deliveredWatchState.js';
import { generationsOf, initialWatchState, type WatchState } from './reconcile.js';
import type { WatchSettings } from './settings.js';

/** When and why the next poll goes out. */
export interface NextPoll {
  readonly attempt: number;
  readonly delay: number;
  readonly reason: DelayReason;
  readonly failures: number;
}

/** What the plan knows of a watch between two steps. Replaced at each step, never changed. */
export interface PlanState {
  /** The generations as the latest reply or pushed body left them. */
  readonly watch: WatchState;
  /** The poll the current wait leads to, or the poll in flight. */
  readonly due: NextPoll;
  /** A wait is pending (no poll in flight). */
  readonly waiting: boolean;
  /** With a shared hub: the lease's last answer (undefined before the first). */
  readonly holding: boolean | undefined;
  /** When the latest answered poll went out (undefined before the first). */
  readonly answeredAt: number | undefined;
}

/** What the plan reads of a watch: its settings, and what is its own (the task's count, its start, its learned cadence). */
export interface PlanContext {
  readonly settings: WatchSettings;
  readonly numberResults: number | undefined;
  /** When the watch started, on the scheduler's clock: its deadline is `timeout` later. */
  readonly startedAt: number;
  readonly cadence: CadencePlanner | undefined;
}

/** The wait for `due` is over. A tick for a wait the plan replaced since is stale, and changes nothing. */
export interface TickStep {
  readonly kind: 'tick';
  readonly due: NextPoll;
}

/** The poll in flight was answered: the reply folded into the latest state, and when that poll and the one answered before it went out. */
export interface ReplyStep {
  readonly kind: 'reply';
  readonly state: WatchState;
  readonly events: ReadonlyArray<GenerationEvent>;
  readonly settled: boolean;
  readonly polled: PolledBetween;
  /** Statuses the reply used that runware-rx does not know, for the attempt report (the plan reads nothing of them). */
  readonly unknownStatuses?: ReadonlyArray<string> | undefined;
}

/** The poll in flight failed, with this error (bound to the task). */
export interface FailureStep {
  readonly kind: 'failure';
  readonly error: RunwareError;
}

/** The watch's `timeout` has passed. */
export interface DeadlineStep {
  readonly kind: 'deadline';
}

/** Everything that moves a watch on. */
export type Step = TickStep | ReplyStep | FailureStep | DeadlineStep | BodyStep | LeaseStep;

/** What the watch does after a step: wait for `state.due`, send it now, nothing, complete, or end with `error`. */
export interface Decision {
  readonly act: 'wait' | 'poll' | 'none' | 'settle' | 'fail';
  readonly state: PlanState;
  readonly step: Step | undefined;
  readonly error: unknown;
}

/** How this instance polls: `following` not at all (the lease is another's), `sparse` as the safety net, `full` at its own cadence. */
export type Polling = 'following' | 'sparse' | 'full';

/** The first decision of a watch: wait for its first poll, from `known` (results a submit reply held), the generations already delivered, or nothing. */
export function startPlan(taskUUID: string, context: PlanContext, now: number, known?: WatchState): Decision {
  const { delivered } = context.settings;
  const watch = known ?? (delivered === undefined ? initialWatchState(taskUUID, context.settings) : deliveredWatchState(taskUUID, delivered, context.settings));
  const state = planState(watch, FIRST, true, undefined, undefined);
  return decision('wait', planState(state.watch, firstPoll(state, context, now), true, undefined, undefined), undefined);
}

/** The decision `step` calls for, `now` on the watch's clock. Pure: the same arguments give the same decision. */
export function decide(state: PlanState, step: Step, context: PlanContext, now: number): Decision {
  switch (step.kind) {
    case 'tick':
      // Poll now, unless the wait was replaced (by the lease) since this tick's timer started.
      return state.waiting && step.due === state.due ? decision('poll', planState(state.watch, state.due, false, state.holding, state.answeredAt), step) : decision('none', state, step);
    case 'reply': {
      const replied = planState(step.state, state.due, false, state.holding, step.polled.to);
      if (step.settled) return decision('settle', replied, step);
      return decision('wait', planState(step.state, afterReply(replied, context, now), true, state.holding, step.polled.to), step);
    }
    case 'failure':
      return afterFailure(state, step, context, now);
    case 'push':
      return decision(step.settled ? 'settle' : 'none', planState(step.state, state.due, state.waiting, state.holding, state.answeredAt), step);
    case 'lease':
      return leased(state, step, context, now);
    case 'deadline': {
      const error = new RunwareTimeoutError({ taskUUID: state.watch.taskUUID, timeout: context.settings.timeout, generations: generationsOf(state.watch) });
      return { act: 'fail', state, step, error };
    }
  }
}

/** How the watch polls in `state`. */
export function pollingOf(state: PlanState, settings: WatchSettings): Polling {
  const leased = settings.part?.leased === true;
  if (leased && state.holding === false) return 'following';
  return settings.push !== undefined || (leased && state.holding === undefined) ? 'sparse' : 'full';
}

/** The first poll, counted from the watch's start (`now` may be later: the lease changed before it). */
function firstPoll(state: PlanState, context: PlanContext, now: number): NextPoll {
  const { settings } = context;
  const polling = pollingOf(state, settings);
  if (polling === 'following') return nextPoll(1, Infinity, 'following', 0);
  // A learned gap is already counted from now; the fixed delays are counted from the start.
  const learned = polling === 'sparse' ? context.cadence?.safetyNet(now) : undefined;
  if (learned !== undefined) return nextPoll(1, learned, 'safety-net-learned', 0);
  const wait = Math.max(0, (polling === 'sparse' ? settings.pushPollDelay : settings.initialDelay) - (now - context.startedAt));
  // A key with learned durations: the first poll where they put it (a 3-minute video is not looked at after 3 s),
  // unless `initialDelay: 0` asks for a poll at once (a resumed task must see what finished while nobody watched).
  const first = polling === 'full' && settings.initialDelay > 0 ? context.cadence?.first(pendingIn(state.watch, context.numberResults), now, wait) : undefined;
  return first === undefined ? nextPoll(1, wait, 'initial', 0) : nextPoll(1, first, 'learned', 0);
}

/**
 * The poll after a reply: none while following; the safety net while sparse (push brings the news, not
 * the polls; so it is before a shared hub's lease answers); else the learned gap or the backoff.
 */
function afterReply(state: PlanState, context: PlanContext, now: number): NextPoll {
  const { settings, cadence } = context;
  const attempt = state.due.attempt + 1;
  const polling = pollingOf(state, settings);
  if (polling === 'following') return nextPoll(attempt, Infinity, 'following', 0);
  if (polling === 'sparse') {
    const learned = cadence?.safetyNet(now);
    return learned === undefined ? nextPoll(attempt, safetyNetGap(settings), 'safety-net', 0) : nextPoll(attempt, learned, 'safety-net-learned', 0);
  }
  const plan = cadence?.plan(state.due.attempt, pendingIn(state.watch, context.numberResults), now);
  if (plan === undefined) return nextPoll(attempt, backoffDelay(state.due.attempt, settings, settings.random), 'backoff', 0);
  return nextPoll(attempt, plan.delay, plan.reason === 'backoff' ? 'backoff' : 'learned', 0);
}

/**
 * A failed poll: the end of the watch when it is not retryable, one too many, or its Retry-After is
 * refused (longer than `maxRetryAfter`, or past the deadline: waiting would only end in a timeout);
 * else the next poll at the schedule's gap, or at the server's Retry-After when that is longer.
 */
function afterFailure(state: PlanState, step: FailureStep, context: PlanContext, now: number): Decision {
  const { settings, cadence } = context;
  const { error } = step;
  const failures = state.due.failures + 1;
  const retryAfterMs = error instanceof RunwareHttpError ? parseRetryAfter(error.retryAfter, now) : undefined;
  const waitRefused = retryAfterMs !== undefined && (retryAfterMs > settings.maxRetryAfter || now + retryAfterMs >= context.startedAt + settings.timeout);
  if (!error.retryable || failures > settings.retries || waitRefused) {
    // An error of another copy of the library (a custom transport's) is passed on as it is: it may predate withAttempts.
    return { act: 'fail', state, step, error: error instanceof RunwareError ? error.withAttempts(failures) : error };
  }
  const attempt = state.due.attempt + 1;
  if (pollingOf(state, settings) === 'following') return decision('wait', waitFor(state, nextPoll(attempt, Infinity, 'following', 0)), step);
  const plan = cadence?.plan(state.due.attempt, pendingIn(state.watch, context.numberResults), now);
  const gap = plan === undefined ? backoffDelay(state.due.attempt, settings, settings.random) : plan.delay;
  const due = retryAfterMs !== undefined && retryAfterMs > gap ? nextPoll(attempt, Math.min(retryAfterMs, MAX_DELAY), 'retry-after', failures) : nextPoll(attempt, gap, 'retry', failures);
  return decision('wait', waitFor(state, due), step);
}

/**
 * The lease's answer. A poll in flight goes on (the wait after it follows the new answer); a pending
 * wait is replaced when the answer changes how this instance polls: a follower stops polling; otherwise
 * the first poll waits its own delay from the watch's start, and a later one goes out at once (the
 * previous holder may be gone since its last poll).
 */
function leased(state: PlanState, step: LeaseStep, context: PlanContext, now: number): Decision {
  const { settings } = context;
  const before = pollingOf(state, settings);
  const after = planState(state.watch, state.due, state.waiting, step.holding, state.answeredAt);
  const polling = pollingOf(after, settings);
  if (!state.waiting || polling === before) return decision('none', after, step);
  const { due } = state;
  if (polling === 'following') return decision('wait', waitFor(after, nextPoll(due.attempt, Infinity, 'following', due.failures)), step);
  if (due.attempt === 1) return decision('wait', waitFor(after, firstPoll(after, context, now)), step);
  return decision('wait', waitFor(after, nextPoll(due.attempt, 0, 'takeover', due.failures)), step);
}

/** The gap between two safety-net polls: `pushPollInterval`, jittered like every gap of the schedule. */
export function safetyNetGap(settings: Pick<WatchSettings, 'pushPollInterval' | 'jitter' | 'random'>): number {
  const { pushPollInterval: interval, jitter } = settings;
  return backoffDelay(1, { interval, multiplier: 1, maxInterval: interval, jitter }, settings.random);
}

/** Generations not finished yet: of `numberResults` when known, else those seen processing (at least one). */
function pendingIn(state: WatchState, numberResults: number | undefined): number {
  let finished = 0;
  for (const slot of state.slots) if (slot.event.status !== 'processing') finished += 1;
  return numberResults === undefined ? Math.max(1, state.slots.length - finished) : numberResults - finished;
}

const FIRST: NextPoll = Object.freeze({ attempt: 1, delay: 0, reason: 'initial', failures: 0 });

/** `state` waiting for `due`. */
function waitFor(state: PlanState, due: NextPoll): PlanState {
  return planState(state.watch, due, true, state.holding, state.answeredAt);
}

// Every PlanState from one literal, like NextPoll below: one hidden class, no spread per step.
function planState(watch: WatchState, due: NextPoll, waiting: boolean, holding: boolean | undefined, answeredAt: number | undefined): PlanState {
  return { watch, due, waiting, holding, answeredAt };
}

function decision(act: Decision['act'], state: PlanState, step: Step | undefined): Decision {
  return { act, state, step, error: undefined };
}

// Every NextPoll from one literal, so they share one hidden class: an object spread with added keys gave
// each watch's NextPoll a map of its own (about 250 bytes per watch).
function nextPoll(attempt: number, delay: number, reason: DelayReason, failures: number): NextPoll {
  return { attempt, delay, reason, failures };
}
