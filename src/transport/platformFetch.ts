/**
 * The default `fetch`: the platform's, or cross-fetch where a runtime has none, loaded only then; and
 * what a fetch that failed said.
 *
 * @module
 */
import { fetchFailureReason as ownWords } from './platformFetch.browser.js';

/**
 * Held in a variable so that bundlers do not follow it: every browser has `fetch`, so cross-fetch
 * (its browser side alone is about 3 KB min+gzip) must not enter a browser bundle.
 */
const CROSS_FETCH = 'cross-fetch';

let crossFetch: Promise<typeof fetch> | undefined;

/**
 * The platform's `fetch` where there is one (it reports a body cut short under its Content-Length;
 * node-fetch waits), else cross-fetch, imported at the first request that needs it.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { platformFetch } from './platformFetch.js';
 *
 * // Node 18+ and browsers have fetch: cross-fetch is never loaded there.
 * assert.equal(typeof platformFetch, 'function');
 * ```
 */
export function platformFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  if (typeof globalThis.fetch === 'function') return globalThis.fetch(input, init);
  crossFetch ??= import(/* webpackIgnore: true */ /* @vite-ignore */ CROSS_FETCH).then((loaded: { readonly default: typeof fetch }) => loaded.default);
  return crossFetch.then((fallback) => fallback(input, init));
}

/**
 * What a failed fetch said, on one line: `TypeError: fetch failed: Error: connect ECONNREFUSED
 * 127.0.0.1:9`. Node's fetch says only "fetch failed" and puts the system's words in its cause, so the
 * reason follows the chain of causes a few steps down (a browser's fetch gives none: its form reads the
 * error alone).
 */
export function fetchFailureReason(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error && parts.length < 3; current = current.cause) parts.push(ownWords(current));
  return parts.length === 0 ? ownWords(error) : parts.join(': ');
}
