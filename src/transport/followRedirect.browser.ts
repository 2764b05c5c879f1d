/**
 * `followRedirect` as browser bundles get it (package.json's `browser` field maps
 * `dist/transport/followRedirect.js` here): a browser's fetch answers a redirected `redirect: 'manual'`
 * request with an opaque response (status 0, no headers, no body), so there is no `Location` to read or
 * follow, whatever `followRedirects` says: every redirect is refused. Node and other runtimes keep
 * `followRedirect.ts`, which follows same-origin redirects when asked.
 *
 * @module
 */
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { followRedirect as followInNode } from './followRedirect.js';

/** Refuses the redirect: a `RunwareHttpError` (`failure: 'redirect'`, not retried), its `Location` unread. */
export const followRedirect: typeof followInNode = (response) => {
  throw new RunwareHttpError({ failure: 'redirect', status: response.status });
};
