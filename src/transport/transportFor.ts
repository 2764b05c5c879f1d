/**
 * Connection options, and the one way from them to a {@link Transport} that `watchTask`, the client and
 * the CLI share.
 *
 * @module
 */
import { environmentApiKey } from './environmentApiKey.js';
import { createFetchTransport, type FetchTransportOptions } from './fetchTransport.js';
import type { Transport } from './Transport.js';

/**
 * How to reach Runware, or an app's proxy in front of it. Ignored where a `transport` is given. Every
 * option accepts `undefined` as absent, so `apiKey: process.env['RUNWARE_API_KEY']` compiles under
 * `exactOptionalPropertyTypes`.
 *
 * @example
 * ```ts
 * import { watchTask, type ConnectionOptions } from 'runware-rx';
 *
 * declare const taskUUID: string;
 *
 * // On a server: Runware itself, with the key.
 * const server: ConnectionOptions = { apiKey: process.env['RUNWARE_API_KEY'] };
 * // In a browser: the app's proxy (createRunwareProxy), no key; the page's cookies or a session token.
 * const browser: ConnectionOptions = { baseUrl: '/api/runware', headers: () => ({ 'X-CSRF-Token': 'from-the-page' }) };
 * watchTask(taskUUID, typeof document === 'undefined' ? server : browser).subscribe(console.log);
 * ```
 */
export interface ConnectionOptions {
  /**
   * Runware API key, sent as `Authorization: Bearer <key>` and never written anywhere else. Not needed
   * (and not to be given) in a browser: point `baseUrl` at the app's proxy, which adds the key.
   * @defaultValue `process.env.RUNWARE_API_KEY` in Node; none in a browser
   */
  readonly apiKey?: string | undefined;
  /**
   * REST endpoint: Runware's, a simulator's, or the app's proxy. A relative URL (`'/api/runware'`)
   * resolves against the page's address in a browser. With a key it must be `https:` unless the host is
   * loopback (for the simulator); without one, Runware's own host is refused.
   * @defaultValue `'https://api.runware.ai/v1'`
   */
  readonly baseUrl?: string | undefined;
  /** Extra headers for a proxy (a session token, a CSRF header), or a function giving them per request; never sent with an `apiKey`. */
  readonly headers?: FetchTransportOptions['headers'];
  /** Whether a key-less request sends the page's cookies. @defaultValue `'same-origin'` */
  readonly credentials?: FetchTransportOptions['credentials'];
  /**
   * The `fetch` to use; it is called with `redirect: 'manual'` (see `followRedirects`).
   * @defaultValue the platform's `fetch` (browsers, Node 18+), else cross-fetch
   */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Largest reply body accepted, in bytes; a larger one is refused with a `RunwareDecodeError` and its
   * download aborted. Generous because `base64Data` outputs put whole images in the reply.
   * @defaultValue 8388608 (8 MiB, `DEFAULT_MAX_RESPONSE_BYTES`)
   */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Follow a redirect to `baseUrl`'s own origin (same scheme, host and port). Runware does not redirect,
   * so by default a redirect ends the request with a `RunwareHttpError` (`failure: 'redirect'`, not
   * retried); a redirect to another origin is refused even when this is true, so the key never leaves
   * `baseUrl`'s origin. In a browser every redirect is refused: the page cannot see where it points.
   * @defaultValue false
   */
  readonly followRedirects?: boolean | undefined;
  /** Replaces the HTTP layer entirely; the other connection options are then unused. */
  readonly transport?: Transport | undefined;
}

/**
 * The transport the options describe: the given `transport`, else a fetch transport with every
 * connection option passed on (the API key from `RUNWARE_API_KEY` when none is given, in Node only: a
 * browser bundle never reads one). Throws at call like
 * {@link createFetchTransport} for a missing key or a bad `baseUrl` or `maxResponseBytes`.
 */
export function transportFor(options: ConnectionOptions): Transport {
  if (options.transport !== undefined) return options.transport;
  // Every connection option passes on as it is (the fetch transport reads only its own); the key alone is filled in.
  return createFetchTransport({ ...options, apiKey: options.apiKey ?? environmentApiKey() });
}
