/**
 * `platformFetch` as browser bundles get it (package.json's `browser` field maps
 * `dist/transport/platformFetch.js` here): every browser runtime runware-rx supports has `fetch`, so a
 * page carries no fallback to cross-fetch. Node and other runtimes keep `platformFetch.ts`.
 *
 * @module
 */
import type { platformFetch as platformFetchElsewhere } from './platformFetch.js';

/** The page's `fetch`, looked up at each request (as the full form does). */
export const platformFetch: typeof platformFetchElsewhere = (input, init) => globalThis.fetch(input, init);
