/**
 * The guard against copied items: a reply listing more generations than the task has, cut down to that
 * many before `reconcile` matches anything.
 *
 * @module
 */
import type { FinishedItem, GenerationItem } from '../protocol/taskReply.js';

/**
 * A reply that lists more generations than `numberResults` repeats some of them. No source shows such a
 * reply (the simulator's `duplicateItems` fault and a doubling proxy do), so this is a guard, used only
 * when `numberResults` says how many generations there are. Drops the surplus before anything is matched: repeated finished items first (a copy says nothing new, while letting it through
 * would pass it off as a processing generation that finished), then processing items.
 */
export function withoutSurplus(items: ReadonlyArray<GenerationItem>, numberResults: number | undefined): ReadonlyArray<GenerationItem> {
  if (numberResults === undefined || items.length <= numberResults) return items;
  // Every item repeated the same number of times (a proxy or a retry that doubled the lists): read it once.
  // This keeps two generations that finished identically apart from a repeated one. Successes with an
  // identity are left out of the count: readTaskReply already keeps one per identity.
  const groupOf = (item: GenerationItem): string => (item.kind === 'processing' ? 'processing' : copyKey(item));
  const named = (item: GenerationItem): boolean => item.kind === 'success' && item.identity !== undefined;
  const counts = new Map<string, number>();
  for (const item of items) if (!named(item)) counts.set(groupOf(item), (counts.get(groupOf(item)) ?? 0) + 1);
  const unique = items.length - [...counts.values()].reduce((sum, count) => sum + count, 0);
  const times = (items.length - unique) / (numberResults - unique);
  if (numberResults > unique && Number.isInteger(times) && [...counts.values()].every((count) => count % times === 0)) {
    const left = new Map([...counts].map(([group, count]) => [group, count / times]));
    return items.filter((item) => {
      if (named(item)) return true;
      const remaining = left.get(groupOf(item)) ?? 0;
      left.set(groupOf(item), remaining - 1);
      return remaining > 0;
    });
  }
  let surplus = items.length - numberResults;
  const seen = new Set<string>();
  const kept = items.filter((item) => {
    if (item.kind === 'processing' || surplus === 0) return true;
    const key = copyKey(item);
    if (!seen.has(key)) {
      seen.add(key);
      return true;
    }
    surplus -= 1;
    return false;
  });
  return kept.filter((item) => {
    if (item.kind !== 'processing' || surplus === 0) return true;
    surplus -= 1;
    return false;
  });
}

/** What makes two finished items copies of each other within one reply: the same identity, else the same content. */
function copyKey(item: FinishedItem): string {
  return `${item.kind}:${item.identity ?? item.fingerprint()}`;
}
