/**
 * What moves a watch on (the steps: a wait's tick, a poll's reply or failure, the deadline, a body
 * from outside, the lease), what the plan keeps between two of them (`PlanState`, the `NextPoll` it
 * waits for), what it answers (`Decision`) and what a part sees of the watch (`PartWatch`). Types
 * shared by the plan, the loop and the parts.
 *
 * @module
 */
import type { RunwareError } from '../errors/RunwareError.js';
import type { GenerationEvent } from '../events/events.js';
import type { PolledBetween } from '../push/sharedReply.js';
import type { DelayReason } from './options.js';
import type { WatchState } from './reconcile.js';

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

/**
 * A body from outside the watch folded into its latest state: a webhook's (a generation finished as
 * it arrived) or a reply another instance polled (`polled`: it finished between that instance's polls).
 */
export interface BodyStep {
  readonly kind: 'push';
  readonly state: WatchState;
  readonly events: ReadonlyArray<GenerationEvent>;
  readonly settled: boolean;
  readonly polled: PolledBetween | undefined;
}

/** The shared hub's lease said whether this instance polls the task at its own cadence. */
export interface LeaseStep {
  readonly kind: 'lease';
  readonly holding: boolean;
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

/** What a part sees of the watch it is plugged into. */
export interface PartWatch {
  readonly taskUUID: string;
  readonly numberResults: number | undefined;
  /** The generations as the plan knows them now. */
  latest(): WatchState;
  /** Applies a step: the plan decides, and the watch's state becomes the decision's. */
  apply(step: Step): Decision;
}
