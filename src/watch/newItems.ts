/**
 * Which items of a cumulative reply are news: the finished generations a watch already knows are
 * recognised by identity, else by count per kind, with likeness deciding which anonymous item stands
 * for which known generation.
 *
 * @module
 */
import type { FinishedItem, GenerationItem } from '../protocol/taskReply.js';
import type { GenerationEvent } from '../events/events.js';

/** One generation: its last event, and for a finished one what recognises it in later replies. */
export interface GenerationSlot {
  readonly event: GenerationEvent;
  /** The generation's own identity (`videoUUID:...`), when its finished item carried one. */
  readonly identity: string | undefined;
  /** The finished item's content when it had no identity: a later item equal to it is surely this one. */
  readonly fingerprint: string | undefined;
  /** The same without what may change between polls: a later item like it is most likely this one. */
  readonly resemblance: string | undefined;
}

/**
 * The reply's items minus the finished generations already known: by identity, else by count per kind.
 * Which anonymous items stand for the known generations is decided by likeness: equal content first, then
 * equal content but for messages and URL signatures, then reply order. Processing items all stay.
 */
export function newItems(slots: ReadonlyArray<GenerationSlot>, items: ReadonlyArray<GenerationItem>, cumulative: boolean): GenerationItem[] {
  const knownIdentities = new Set<string>();
  const anonymous = { success: [] as GenerationSlot[], failure: [] as GenerationSlot[] };
  for (const slot of slots) {
    if (slot.event.status === 'processing') continue;
    if (slot.identity !== undefined) knownIdentities.add(slot.identity);
    else anonymous[slot.event.status === 'success' ? 'success' : 'failure'].push(slot);
  }
  const known = new Set<GenerationItem>();
  for (const kind of ['success', 'failure'] as const) {
    if (anonymous[kind].length === 0) continue; // no known generation of this kind to match (most tasks)
    const candidates = items.filter((item): item is FinishedItem => item.kind === kind && item.identity === undefined);
    if (cumulative && candidates.length <= anonymous[kind].length) {
      // Reply order matches whatever likeness leaves: every candidate is a known generation, whichever it
      // stands for, so no content is written out (a failure re-read on every poll of a changing reply).
      for (const item of candidates) known.add(item);
      continue;
    }
    const unmatched = [...anonymous[kind]];
    const sameContent = (slot: GenerationSlot, item: FinishedItem): boolean => slot.fingerprint === item.fingerprint();
    const likeness: ReadonlyArray<(slot: GenerationSlot, item: FinishedItem) => boolean> = cumulative
      ? [sameContent, (slot, item) => slot.resemblance === item.resemblance(), () => true]
      : [sameContent];
    for (const alike of likeness) {
      for (const item of candidates) {
        if (known.has(item)) continue;
        const at = unmatched.findIndex((slot) => alike(slot, item));
        if (at < 0) continue;
        unmatched.splice(at, 1);
        known.add(item);
      }
    }
  }
  return items.filter((item) => {
    if (item.kind === 'processing') return true;
    return item.identity === undefined ? !known.has(item) : !knownIdentities.has(item.identity);
  });
}
