/**
 * `platformFetch` as browser bundles get it (package.json's `browser` field maps
 * `dist/transport/platformFetch.js` here): every browser runtime runware-rx supports has `fetch`, so a
 * page carries no fallback to cross-fetch; and a browser's fetch fails with a `TypeError` that has no
 * cause ("Failed to fetch"), so a page does not follow causes. Node and other runtimes keep
 * `platformFetch.ts` (which reads each link of a chain of causes with this form's `fetchFailureReason`).
 *
 * @module
 */

/** The page's `fetch`, looked up at each request (as the full form does). */
export const platformFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => globalThis.fetch(input, init);

/** What a failed fetch said (`TypeError: Failed to fetch`): the error's own words, without its causes. */
export const fetchFailureReason = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown failure');
