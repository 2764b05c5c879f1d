/**
 * The default `fetch`: the platform's, or cross-fetch where a runtime has none, loaded only then.
 *
 * @module
 */

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
