/**
 * What the fetch transport does with a redirect its fetch handed back (it asks for `redirect: 'manual'`):
 * follow it, or refuse it. Browser bundles get `followRedirect.browser.ts` instead (package.json's
 * `browser` field), where a redirect is opaque and always refused, so a page does not carry this code.
 *
 * @module
 */
import { RunwareHttpError } from '../errors/RunwareHttpError.js';

/** Redirects followed within one request when `followRedirects` is on; one more ends it as a refused redirect. */
export const MAX_REDIRECTS = 5;

/** The redirects `followRedirects` follows by re-sending the POST; 303 asks for a GET, which is not a Runware request. */
const FOLLOWED_REDIRECTS = new Set([301, 302, 307, 308]);

/** What a transport's options say about redirects. */
export interface RedirectRules {
  /** The request's first URL (`baseUrl`): only its origin is followed to. */
  readonly url: string;
  readonly followRedirects: boolean;
  /** Removes the API key from the refused `Location`'s origin, should it carry it. */
  readonly redact: (text: string) => string;
}

/**
 * The URL to send the request to again, after `hops` redirects already followed: only when
 * `followRedirects` is on, only for 301/302/307/308, only to `url`'s origin (same scheme, host and port),
 * and at most {@link MAX_REDIRECTS} times. Any other redirect throws a `RunwareHttpError` (`failure:
 * 'redirect'`) naming the `Location`'s origin when it is readable. The redirect's body is never read.
 */
export function followRedirect(response: Response, requested: string, hops: number, rules: RedirectRules): string {
  discardBody(response);
  const location = locationOf(response, requested);
  const followed = rules.followRedirects && FOLLOWED_REDIRECTS.has(response.status) && location?.origin === new URL(rules.url).origin && hops < MAX_REDIRECTS;
  if (!followed || location === undefined) {
    const shown = location === undefined || location.origin === 'null' ? undefined : rules.redact(location.origin);
    throw new RunwareHttpError({ failure: 'redirect', status: response.status, location: shown });
  }
  return location.href;
}

/** The redirect's target, resolved against the URL that answered; `undefined` when absent or unreadable. */
function locationOf(response: Response, requested: string): URL | undefined {
  const header = response.headers.get('location');
  if (header === null) return undefined;
  try {
    return new URL(header, requested);
  } catch {
    return undefined;
  }
}

/** Frees a redirect's connection without reading its body: a WHATWG stream, or node-fetch's Node stream. */
function discardBody(response: Response): void {
  const body = response.body as unknown;
  if (body !== null && typeof body === 'object') {
    if (typeof (body as ReadableStream).cancel === 'function') (body as ReadableStream).cancel().catch(() => undefined);
    else if (typeof (body as { destroy?: unknown }).destroy === 'function') (body as { destroy: () => void }).destroy();
  }
}
