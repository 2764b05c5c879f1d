/**
 * Connection options, and the one way from them to a {@link Transport} that `watchTask`, the client and
 * the CLI share.
 *
 * @module
 */
import { createFetchTransport, DEFAULT_BASE_URL } from './fetchTransport.js';
import type { Transport } from './Transport.js';

/** How to reach Runware. Ignored where a `transport` is given. */
export interface ConnectionOptions {
  /**
   * Runware API key, sent as `Authorization: Bearer <key>` and never written anywhere else.
   * @defaultValue `process.env.RUNWARE_API_KEY` where `process` exists
   */
  readonly apiKey?: string;
  /**
   * REST endpoint. Must be `https:` unless the host is loopback (for the simulator).
   * @defaultValue `'https://api.runware.ai/v1'`
   */
  readonly baseUrl?: string;
  /**
   * The `fetch` to use; it is called with `redirect: 'manual'` (see `followRedirects`).
   * @defaultValue the platform's `fetch` (browsers, Node 18+), else cross-fetch
   */
  readonly fetch?: typeof fetch;
  /**
   * Largest reply body accepted, in bytes; a larger one is refused with a `RunwareDecodeError` and its
   * download aborted. Generous because `base64Data` outputs put whole images in the reply.
   * @defaultValue 8388608 (8 MiB, `DEFAULT_MAX_RESPONSE_BYTES`)
   */
  readonly maxResponseBytes?: number;
  /**
   * Follow a redirect to `baseUrl`'s own origin (same scheme, host and port). Runware does not redirect,
   * so by default a redirect ends the request with a `RunwareHttpError` (`failure: 'redirect'`, not
   * retried); a redirect to another origin is refused even when this is true, so the key never leaves
   * `baseUrl`'s origin.
   * @defaultValue false
   */
  readonly followRedirects?: boolean;
  /** Replaces the HTTP layer entirely; `apiKey`, `baseUrl`, `fetch`, `maxResponseBytes` and `followRedirects` are then unused. */
  readonly transport?: Transport;
}

/**
 * The transport the options describe: the given `transport`, else a fetch transport with every
 * connection option passed on (the API key from `RUNWARE_API_KEY` when none is given). Throws at call
 * like {@link createFetchTransport} for a missing key or a bad `baseUrl` or `maxResponseBytes`.
 */
export function transportFor(options: ConnectionOptions): Transport {
  return (
    options.transport ??
    createFetchTransport({
      apiKey: options.apiKey ?? environmentApiKey() ?? '',
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
      ...(options.followRedirects === undefined ? {} : { followRedirects: options.followRedirects }),
    })
  );
}

/** `RUNWARE_API_KEY` from the environment where there is one (Node); `undefined` in a browser. */
function environmentApiKey(): string | undefined {
  return typeof process === 'undefined' ? undefined : process.env['RUNWARE_API_KEY'];
}
