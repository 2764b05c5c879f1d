/**
 * The filter a watch that restarts (a reconnected stream, a watch resumed when the tab is shown) puts
 * on its events, so that what the page already showed is not shown again.
 *
 * @module
 */
import type { GenerationEvent } from '../events/events.js';

/**
 * A predicate that is true for an event the page has not shown yet: never after the generation's
 * terminal event (so never two terminal events for one generation), and not for a repeat of the last
 * event shown for that generation.
 */
export function newEvents(): (event: GenerationEvent) => boolean {
  const finished = new Set<number>();
  const shown = new Map<number, string>();
  return (event) => {
    if (finished.has(event.index)) return false;
    const text = JSON.stringify(event);
    if (shown.get(event.index) === text) return false;
    shown.set(event.index, text);
    if (event.status !== 'processing') finished.add(event.index);
    return true;
  };
}
