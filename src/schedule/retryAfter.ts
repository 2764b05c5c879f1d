/**
 * `Retry-After` as a delay. Pure: the current time is passed in (the watch passes `scheduler.now()`).
 *
 * @module
 */

/**
 * Milliseconds to wait according to a `Retry-After` header: whole seconds (`"120"`) or an HTTP date.
 * A date in the past gives 0; anything unreadable gives `undefined`, and the header is then ignored.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
