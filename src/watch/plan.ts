/**
 * The plan of a watch: every decision it takes (when and why the next poll goes out, what a failure, a
 * Retry-After or the deadline does, what the lease's coming and going does, where the safety net polls,
 * when the watch is settled) as a pure function of its state, the step that arrived and its settings.
 * The watch (`watchTask.ts`) only applies the decisions.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { CadencePlanner } from '../cadence/watchCadence.js';
import { RunwareError } from '../errors/RunwareError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import { RunwareTimeoutError } from '../errors/RunwareTimeoutError.js';
import type { GenerationErrorEvent, SuccessEvent } from '../events/events.js';
import type { PushSource } from '../push/PushSource.js';
import type { PolledBetween } from '../push/sharedReply.js';
import { backoffDelay, MAX_DELAY, type BackoffSchedule } from '../schedule/backoff.js';
import { parseRetryAfter } from '../schedule/retryAfter.js';
import type { DelayReason } from './options.js';
import { deliveredWatchState } from './deliveredWatchState.js';
import { generationsOf, initialWatchState, type WatchRules, type WatchState } from './reconcile.js';
import type { BodyStep, Decision, FailureStep, LeaseStep, NextPoll, PartWatch, PlanState, Step } from './steps.js';

export type { Decision, NextPoll, PlanState, ReplyStep, Step } from './steps.js';

/** What the plan reads of a watch's settings, every one resolved (`WatchSettings` holds them and the rest). */
export interface PlanSettings extends BackoffSchedule, WatchRules {
  readonly random: () => number;
  readonly initialDelay: number;
  readonly timeout: number;
  readonly retries: number;
  readonly maxRetryAfter: number;
  readonly delivered: ReadonlyArray<SuccessEvent | GenerationErrorEvent> | undefined;
  readonly push: PushSource | undefined;
  readonly pushPollDelay: number;
  readonly pushPollInterval: number;
  /** The part `push` or `sharedHub` plugs in (the hub's when both are given). */
  readonly part: WatchPart | undefined;
}

/** What the plan reads of a watch: its settings, and what is its own (the task's count, its start, its learned cadence). */
export interface PlanContext {
  readonly settings: PlanSettings;
  readonly numberResults: number | undefined;
  /** When the watch started, on the scheduler's clock: its deadline is `timeout` later. */
  readonly startedAt: number;
  readonly cadence: CadencePlanner | undefined;
}

/**
 * A capability plugged into a watch, push (`pushSteps.ts`) or a shared hub (`sharedSteps.ts`), as the
 * watch calls it: the watch imports none of them. Its decisions are the plan's own (`safetyNetPoll`,
 * `leasedPoll`, `bodyFolded`, `leased` below), reached only through a part, so a watch without one does not carry them.
 */
export interface WatchPart {
  /**
   * The task's steps (each body folded into the watch's latest state when it arrives, whatever poll is
   * in flight, and the lease's answers), each applied to `watch` as it comes: their decisions. A body
   * that cannot be read is left out; they never error (a broken push costs lag, never the watch).
   */
  steps(watch: PartWatch): Observable<Decision>;
  /** A reply this instance polled taught it something; `polled` says when that poll and the one answered before went out. */
  polled(taskUUID: string, reply: unknown, polled: PolledBetween): void;
  /** Where the part puts the poll after the start, a reply or a failure; undefined where the watch polls at its own cadence. */
  place(state: PlanState, context: PlanContext, now: number, after: PollAfter): NextPoll | undefined;
  /** The decision one of its own steps calls for: a body folded in (`bodyFolded`), the lease's answer (a shared hub's: `leased`). */
  decide(state: PlanState, step: BodyStep | LeaseStep, context: PlanContext, now: number): Decision;
}

/** The first decision of a watch: wait for its first poll, from `known` (results a submit reply held), the generations already delivered, or nothing. */
export function startPlan(taskUUID: string, context: PlanContext, now: number, known?: WatchState): Decision {
  const { delivered } = context.settings;
  const watch = known ?? (delivered === undefined ? initialWatchState(taskUUID, context.settings) : deliveredWatchState(taskUUID, delivered, context.settings));
  const state = planState(watch, FIRST, true, undefined, undefined);
  return decision('wait', waitFor(state, firstPoll(state, context, now)), undefined);
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
      return decision('wait', waitFor(replied, afterReply(replied, context, now)), step);
    }
    case 'failure':
      return afterFailure(state, step, context, now);
    case 'push':
    case 'lease':
      // Only a part brings these: its own decisions (`bodyFolded`, `leased`).
      return context.settings.part?.decide(state, step, context, now) ?? decision('none', state, step);
    case 'deadline': {
      const error = new RunwareTimeoutError({ taskUUID: state.watch.taskUUID, timeout: context.settings.timeout, generations: generationsOf(state.watch) });
      return decision('fail', state, step, error);
    }
  }
}

/** The first poll, counted from the watch's start (`now` may be later: the lease changed before it); a part places it where it has its say. */
export function firstPoll(state: PlanState, context: PlanContext, now: number): NextPoll {
  const { settings } = context;
  const placed = settings.part?.place(state, context, now, 'start');
  if (placed !== undefined) return placed;
  const wait = Math.max(0, settings.initialDelay - (now - context.startedAt));
  // A key with learned durations: the first poll where they put it (a 3-minute video is not looked at after 3 s),
  // unless `initialDelay: 0` asks for a poll at once (a resumed task must see what finished while nobody watched).
  const first = settings.initialDelay > 0 ? context.cadence?.first(pendingIn(state.watch, context.numberResults), now, wait) : undefined;
  return first === undefined ? nextPoll(1, wait, 'initial', 0) : nextPoll(1, first, 'learned', 0);
}

/** The poll after a reply: where a part puts it (push's safety net, a hub's lease), else where the schedule does. */
function afterReply(state: PlanState, context: PlanContext, now: number): NextPoll {
  return context.settings.part?.place(state, context, now, 'reply') ?? scheduledPoll(state, context, now);
}

/** The poll the schedule gives after the poll of `state`: at the learned cadence's gap with a store, else the backoff's. */
function scheduledPoll(state: PlanState, context: PlanContext, now: number): NextPoll {
  const { settings } = context;
  const attempt = state.due.attempt + 1;
  const plan = context.cadence?.plan(state.due.attempt, pendingIn(state.watch, context.numberResults), now);
  if (plan === undefined) return nextPoll(attempt, backoffDelay(state.due.attempt, settings, settings.random), 'backoff', 0);
  return nextPoll(attempt, plan.delay, plan.reason === 'backoff' ? 'backoff' : 'learned', 0);
}

/**
 * A failed poll: the end of the watch when it is not retryable, one too many, or its Retry-After is
 * refused (longer than `maxRetryAfter`, or past the deadline: waiting would only end in a timeout);
 * else the next poll where a part puts it (a follower does not poll), at the schedule's gap, or at the
 * server's Retry-After when that is longer.
 */
function afterFailure(state: PlanState, step: FailureStep, context: PlanContext, now: number): Decision {
  const { settings } = context;
  const { error } = step;
  const failures = state.due.failures + 1;
  const retryAfterMs = error instanceof RunwareHttpError ? parseRetryAfter(error.retryAfter, now) : undefined;
  const waitRefused = retryAfterMs !== undefined && (retryAfterMs > settings.maxRetryAfter || now + retryAfterMs >= context.startedAt + settings.timeout);
  if (!error.retryable || failures > settings.retries || waitRefused) {
    // An error of another copy of the library (a custom transport's) is passed on as it is: it may predate withAttempts.
    return decision('fail', state, step, error instanceof RunwareError ? error.withAttempts(failures) : error);
  }
  const placed = settings.part?.place(state, context, now, 'failure');
  if (placed !== undefined) return decision('wait', waitFor(state, placed), step);
  // A retry waits the gap the schedule gives (the learned cadence's with a store), unless Retry-After asks for longer.
  const { attempt, delay: gap } = scheduledPoll(state, context, now);
  const due = retryAfterMs !== undefined && retryAfterMs > gap ? nextPoll(attempt, Math.min(retryAfterMs, MAX_DELAY), 'retry-after', failures) : nextPoll(attempt, gap, 'retry', failures);
  return decision('wait', waitFor(state, due), step);
}

// -------------------------------------------------------------------------------------
// the parts' decisions: reached only through a part (`WatchPart`), so a watch without one does not carry them
// -------------------------------------------------------------------------------------

/** What a part places a poll after: the watch's start, a reply, or a failure. */
export type PollAfter = 'start' | 'reply' | 'failure';

/** How an instance with a shared hub polls: `following` not at all (the lease is another's), `sparse` as the safety net, `full` at its own cadence. */
export type Polling = 'following' | 'sparse' | 'full';

/**
 * Push's say (`place`): the safety net after the start and after each reply (push brings the news, not
 * the polls): where the learned durations put it, else `pushPollDelay` from the start and then
 * `pushPollInterval`. A failure is retried on the schedule.
 */
export function safetyNetPoll(state: PlanState, context: PlanContext, now: number, after: PollAfter): NextPoll | undefined {
  if (after === 'failure') return undefined;
  const attempt = after === 'start' ? 1 : state.due.attempt + 1;
  const learned = context.cadence?.safetyNet(now);
  if (learned !== undefined) return nextPoll(attempt, learned, 'safety-net-learned', 0);
  // A learned gap is already counted from now; the fixed delay of the first poll from the start.
  if (after === 'start') return nextPoll(1, Math.max(0, context.settings.pushPollDelay - (now - context.startedAt)), 'initial', 0);
  return nextPoll(attempt, safetyNetGap(context.settings), 'safety-net', 0);
}

/** A shared hub's say (`place`): no poll while following; the safety net while sparse (with push, or before the lease first answers); else none. */
export function leasedPoll(state: PlanState, context: PlanContext, now: number, after: PollAfter): NextPoll | undefined {
  const polling = pollingOf(state, context.settings);
  if (polling === 'following') return nextPoll(after === 'start' ? 1 : state.due.attempt + 1, Infinity, 'following', 0);
  return polling === 'sparse' ? safetyNetPoll(state, context, now, after) : undefined;
}

/** How an instance with a shared hub polls in `state`. */
export function pollingOf(state: PlanState, settings: Pick<PlanSettings, 'push'>): Polling {
  if (state.holding === false) return 'following';
  return settings.push !== undefined || state.holding === undefined ? 'sparse' : 'full';
}

/** A body from outside folded in (a part's `decide`): the watch settles when it finished the task; a wait goes on. */
export function bodyFolded(state: PlanState, step: BodyStep | LeaseStep): Decision {
  if (step.kind === 'lease') return decision('none', state, step);
  return decision(step.settled ? 'settle' : 'none', planState(step.state, state.due, state.waiting, state.holding, state.answeredAt), step);
}

/**
 * The lease's answer (a shared hub's `decide`). A poll in flight goes on (the wait after it follows the
 * new answer); a pending wait is replaced when the answer changes how this instance polls: a follower
 * stops polling; otherwise the first poll waits its own delay from the watch's start, and a later one
 * goes out at once (the previous holder may be gone since its last poll).
 */
export function leased(state: PlanState, step: LeaseStep, context: PlanContext, now: number): Decision {
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
export function safetyNetGap(settings: Pick<PlanSettings, 'pushPollInterval' | 'jitter' | 'random'>): number {
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

/** `error`: what ends the watch, with `fail`. */
function decision(act: Decision['act'], state: PlanState, step: Step | undefined, error?: unknown): Decision {
  return { act, state, step, error };
}

// Every NextPoll from one literal, so they share one hidden class: an object spread with added keys gave
// each watch's NextPoll a map of its own (about 250 bytes per watch).
function nextPoll(attempt: number, delay: number, reason: DelayReason, failures: number): NextPoll {
  return { attempt, delay, reason, failures };
}
