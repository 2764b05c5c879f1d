/**
 * Whether a request comes from a page of another origin, by what the browser says of it. A browser
 * sends `Origin` with every cross-origin request (and with a same-origin POST) and `Sec-Fetch-Site`
 * with every request; a page cannot forge either. A request with neither comes from no browser (a
 * server, a script, the CLI), which cannot carry a user's cookies without being given them.
 *
 * @module
 */

/**
 * True when `headers` say the request was sent by a page whose origin is neither the server's own
 * (`ownHost`: the `Host` the request was sent to) nor one of `allowOrigins` (`https://app.example.com`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { isCrossOrigin } from './crossOrigin.js';
 *
 * const none = new Set<string>();
 * assert.equal(isCrossOrigin(new Headers({ origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }), '127.0.0.1:3000', none), false);
 * assert.equal(isCrossOrigin(new Headers({ origin: 'http://127.0.0.1:4000', 'sec-fetch-site': 'same-site' }), '127.0.0.1:3000', none), true);
 * assert.equal(isCrossOrigin(new Headers({ 'sec-fetch-site': 'cross-site' }), '127.0.0.1:3000', none), true);
 * assert.equal(isCrossOrigin(new Headers(), '127.0.0.1:3000', none), false); // no browser: curl, a server
 * assert.equal(isCrossOrigin(new Headers({ origin: 'https://admin.example.com', 'sec-fetch-site': 'same-site' }), 'api.example.com', new Set(['https://admin.example.com'])), false);
 * ```
 */
export function isCrossOrigin(headers: Headers, ownHost: string | undefined, allowOrigins: ReadonlySet<string>): boolean {
  const origin = headers.get('origin');
  if (origin !== null) {
    if (allowOrigins.has(origin)) return false;
    const from = hostOf(origin);
    if (from === undefined || from !== (ownHost === undefined ? undefined : hostOf(`http://${ownHost}`))) return true;
  }
  const site = headers.get('sec-fetch-site');
  // `none`: the user's own action (a bookmark, the address bar), never a page's.
  return site !== null && site !== 'same-origin' && site !== 'none';
}

/** The host (and port, unless default) of an origin or URL; undefined for `null` and anything unparsable. */
function hostOf(url: string): string | undefined {
  try {
    const { host, protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? host.replace(/:(80|443)$/, '') : undefined;
  } catch {
    return undefined;
  }
}
