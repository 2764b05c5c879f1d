/**
 * Reconciliation: folds each cumulative reply into stable generation slots and says what changed.
 * Pure: `(state, reply) -> (state, events)`, so every rule here is a table test away.
 *
 * Runware sends the full state of every generation on every poll, but processing items carry no id, and
 * a finished item may carry none either (a failure in `errors[]`, a result with only a URL) while its
 * bytes change from poll to poll (signed URLs, reworded messages). So a finished generation is known
 * again by its own identity when it has one, and otherwise by count: a reply lists every finished
 * generation, so only the finished items beyond those already known are new. Processing ones are matched
 * by count too. Slots are never forgotten: a generation missing from one reply keeps its slot.
 *
 * @module
 */
import type { GenerationErrorEvent, GenerationEvent, GenerationFailure, ProcessingEvent, SuccessEvent } from '../events/events.js';
import { endedTaskFailure, type FinishedItem, type GenerationItem, type TaskReply } from '../protocol/taskReply.js';
import { newItems, type GenerationSlot } from './newItems.js';
import { withoutSurplus } from './withoutSurplus.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** How a watch reads its task's end and progress: its `progress` and `failFast` options. */
export interface WatchRules {
  /** A processing generation's event again each time its `progress` changes. */
  readonly progress: boolean;
  /** At the first failed generation, every generation not finished fails with it (the official SDKs' end). */
  readonly failFast: boolean;
}

/** Everything a watch knows about its task. */
export interface WatchState {
  readonly taskUUID: string;
  /** Learnt from the first item that names it. */
  readonly taskType: string | undefined;
  /** By index. */
  readonly slots: ReadonlyArray<GenerationSlot>;
  readonly rules: WatchRules;
  /** The task's failure when the last polled reply showed the task ended (see `endedTaskFailure`); a second such reply ends it. */
  readonly ending: GenerationFailure | undefined;
}

/** The result of one reconciliation. */
export interface Reconciliation {
  readonly state: WatchState;
  /** One event per generation whose status changed, in the order the reply listed them. */
  readonly events: ReadonlyArray<GenerationEvent>;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const DEFAULT_RULES: WatchRules = Object.freeze({ progress: false, failFast: false });

/** The state before the first reply: no generation known. */
export function initialWatchState(taskUUID: string, rules: Partial<WatchRules> = DEFAULT_RULES): WatchState {
  const chosen = rules.progress === true || rules.failFast === true ? Object.freeze({ progress: rules.progress === true, failFast: rules.failFast === true }) : DEFAULT_RULES;
  return { taskUUID, taskType: undefined, slots: [], rules: chosen, ending: undefined };
}

// -------------------------------------------------------------------------------------
// reconcile
// -------------------------------------------------------------------------------------

/**
 * Folds one reply into the state. When the reply changes nothing, the state returned is `state` itself.
 *
 * - A finished item whose identity matches a finished slot is that generation again: no event.
 * - Finished items without identity are counted per kind (success, failure): the first as many as there
 *   are such finished slots are those generations again (equal content first), only the rest are new.
 * - New finished items take over processing slots (lowest index first), then open new slots.
 * - Processing items beyond the processing slots left over open new slots.
 * - With `numberResults`, no more than that many slots are ever opened, and a reply listing more items than
 *   that is first cut down to that many (a guard against copied items, see `withoutSurplus`).
 * - `cumulative: false` (a pushed reply: one generation, not the full list) matches anonymous finished
 *   items only by equal content: a webhook's retry repeats its bytes, while a different item is a new
 *   generation even when the count says otherwise.
 * - A task ended by the service: when two polled replies in a row show it (`endedTaskFailure`), every
 *   generation not finished, up to `numberResults`, fails with the task's failure (`inferred: 'taskEnded'`).
 * - `rules.failFast`: at the first failure, every generation not finished fails with it (`inferred: 'failFast'`).
 * - `rules.progress`: a processing generation whose `progress` changed gets a processing event again.
 */
export function reconcile(state: WatchState, reply: TaskReply, numberResults?: number, cumulative = true): Reconciliation {
  const taskType = state.taskType ?? reply.generations.map(taskTypeOf).find((value) => value !== undefined);
  const slots = [...state.slots];
  const events: GenerationEvent[] = [];
  const news = newItems(slots, withoutSurplus(reply.generations, numberResults), cumulative);

  // Newly finished items take over processing slots; processing items are anonymous, so only their
  // count matters: those beyond the processing slots left over are new generations.
  const processingSlots = slots.flatMap((slot, index) => (slot.event.status === 'processing' ? [index] : []));
  const finishedCount = news.filter((item) => item.kind !== 'processing').length;
  // Finished items take the lowest processing slots; the processing items are the others, in order.
  const continuing = processingSlots.slice(finishedCount);
  const openSlot = (): number | undefined =>
    numberResults === undefined || slots.length < numberResults ? slots.length : undefined;

  for (const item of news) {
    if (item.kind === 'processing') {
      const continued = continuing.shift();
      if (continued !== undefined) {
        if (state.rules.progress) progressed(slots, continued, item.progress, events);
        continue;
      }
      const index = openSlot();
      if (index === undefined) continue;
      const event: ProcessingEvent = {
        status: 'processing',
        taskUUID: state.taskUUID,
        taskType: item.taskType ?? taskType ?? '',
        index,
        ...(item.progress === undefined ? {} : { progress: item.progress }),
      };
      slots[index] = { event, identity: undefined, fingerprint: undefined, resemblance: undefined };
      events.push(event);
      continue;
    }
    const index = processingSlots.shift() ?? openSlot();
    if (index === undefined) continue;
    const event = finishedEvent(item, state.taskUUID, taskType, index);
    const anonymous = item.identity === undefined;
    slots[index] = { event, identity: item.identity, fingerprint: anonymous ? item.fingerprint() : undefined, resemblance: anonymous ? item.resemblance() : undefined };
    events.push(event);
  }
  // A task the service ended: shown by one polled reply, remembered; by the next as well, its unfinished generations fail.
  const ended = cumulative ? endedTaskFailure(reply, numberResults) : state.ending;
  const ending = !cumulative || ended === undefined || state.ending === undefined ? ended : failUnfinished(slots, events, ended, 'taskEnded', state.taskUUID, taskType, numberResults);
  if (state.rules.failFast) {
    const first = events.find((event): event is GenerationErrorEvent => event.status === 'error');
    if (first !== undefined) failUnfinished(slots, events, first.error, 'failFast', state.taskUUID, taskType, numberResults);
  }
  // Nothing new: the same state object, so that a caller can tell "unchanged" by identity.
  if (events.length === 0 && taskType === state.taskType && ending === state.ending) return { state, events };
  return { state: { taskUUID: state.taskUUID, taskType, slots, rules: state.rules, ending }, events };
}

/**
 * Fails every generation not finished (processing, or never listed up to `numberResults`) with `failure`,
 * marked `inferred` (no item said so: the watch concluded it). Returns `undefined`, the ending dealt with.
 */
function failUnfinished(slots: GenerationSlot[], events: GenerationEvent[], failure: GenerationFailure, inferred: 'taskEnded' | 'failFast', taskUUID: string, taskType: string | undefined, numberResults: number | undefined): undefined {
  const { resultIndex: _own, inferred: _earlier, ...shared } = failure;
  const error: GenerationFailure = { ...shared, inferred };
  for (let index = 0; index < Math.max(slots.length, numberResults ?? 0); index += 1) {
    if (slots[index] !== undefined && slots[index]?.event.status !== 'processing') continue;
    const event = errorEvent(taskUUID, taskType, index, error);
    slots[index] = { event, identity: undefined, fingerprint: undefined, resemblance: undefined };
    events.push(event);
  }
  return undefined;
}

/** A processing generation's event again, with its new `progress` (the `progress` rule). */
function progressed(slots: GenerationSlot[], index: number, progress: number | undefined, events: GenerationEvent[]): void {
  const slot = slots[index];
  if (slot === undefined || slot.event.status !== 'processing' || progress === undefined || slot.event.progress === progress) return;
  const event: ProcessingEvent = { ...slot.event, progress };
  slots[index] = { ...slot, event };
  events.push(event);
}

/**
 * True once the watch has nothing left to wait for: at least one generation (at least `numberResults`
 * when given) is known, and every known one is finished.
 */
export function isSettled(state: WatchState, numberResults?: number): boolean {
  const known = state.slots.length;
  return known >= Math.max(1, numberResults ?? 1) && state.slots.every((slot) => slot.event.status !== 'processing');
}

/** The latest event of every known generation, by index. */
export function generationsOf(state: WatchState): GenerationEvent[] {
  return state.slots.map((slot) => slot.event);
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

function taskTypeOf(item: GenerationItem): string | undefined {
  if (item.kind === 'success') return item.result.taskType || undefined;
  return item.taskType;
}

function finishedEvent(
  item: FinishedItem,
  taskUUID: string,
  taskType: string | undefined,
  index: number,
): SuccessEvent | GenerationErrorEvent {
  if (item.kind === 'success') {
    const resolvedType = item.result.taskType || taskType || '';
    return { status: 'success', taskUUID, taskType: resolvedType, index, result: { ...item.result, taskType: resolvedType } };
  }
  return errorEvent(taskUUID, item.taskType ?? taskType, index, item.failure);
}

/** A generation's `error` event; its `taskType` only when known (an error item may name none). */
function errorEvent(taskUUID: string, taskType: string | undefined, index: number, error: GenerationFailure): GenerationErrorEvent {
  return { status: 'error', taskUUID, ...(taskType === undefined ? {} : { taskType }), index, error };
}
