/**
 * A watch's state from generations an earlier watch of the task delivered (the watch's `delivered`
 * option, as a task store recorded them).
 *
 * @module
 */
import type { GenerationErrorEvent, SuccessEvent } from '../events/events.js';
import { generationIdentity } from '../protocol/resultFields.js';
import type { GenerationSlot } from './newItems.js';
import { initialWatchState, type WatchRules, type WatchState } from './reconcile.js';

/**
 * The state of a watch that starts knowing generations already delivered (by an earlier watch of the
 * task): each at its index, known again by its identity when its result carries one and otherwise by
 * count; an index none of them holds is a generation still processing, which the next finished one takes.
 */
export function deliveredWatchState(taskUUID: string, delivered: ReadonlyArray<SuccessEvent | GenerationErrorEvent>, rules?: Partial<WatchRules>): WatchState {
  const slots: GenerationSlot[] = [];
  let taskType: string | undefined;
  for (const event of delivered) {
    taskType ??= event.taskType || undefined;
    const identity = generationIdentity(event.status === 'success' ? event.result : event.error);
    slots[event.index] = { event, identity, fingerprint: undefined, resemblance: undefined };
  }
  for (let index = 0; index < slots.length; index += 1) {
    slots[index] ??= { event: { status: 'processing', taskUUID, taskType: taskType ?? '', index }, identity: undefined, fingerprint: undefined, resemblance: undefined };
  }
  return { ...initialWatchState(taskUUID, rules), taskType, slots };
}
