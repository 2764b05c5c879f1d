/**
 * The default {@link Transport}: `POST baseUrl` over fetch, aborted on unsubscribe. No retry and no
 * decoding beyond JSON: the watch decides what a failure means.
 *
 * @module
 */
import { Observable } from 'rxjs';
import { checkWholeNumber } from '../errors/checkWholeNumber.js';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import type { RunwareError } from '../errors/RunwareError.js';
import { isRetryableStatus, RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { ErrorItem } from '../protocol/codecs.js';
import { readErrorItems, UNKNOWN_ERROR_CODE } from '../protocol/errorItems.js';
import { requestErrorFromWire } from '../protocol/errorScope.js';
import { readBodyChunks } from './bodyChunks.js';
import { followRedirect, type RedirectRules } from './followRedirect.js';
import { parseReply } from './parseReply.js';
import { fetchFailureReason, platformFetch } from './platformFetch.js';
import { keyRedactor } from './redactKey.js';
import type { Transport } from './Transport.js';

/**
 * Runware's REST endpoint, the default `baseUrl` of every watch, client and fetch transport.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { DEFAULT_BASE_URL } from 'runware-rx';
 *
 * assert.equal(DEFAULT_BASE_URL, 'https://api.runware.ai/v1');
 * // A service that talks to a simulator in development and to Runware in production:
 * const baseUrl = process.env['RUNWARE_BASE_URL'] ?? DEFAULT_BASE_URL;
 * console.log(`polling ${baseUrl}`);
 * ```
 */
export const DEFAULT_BASE_URL = 'https://api.runware.ai/v1';

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions {
  /**
   * Sent as `Authorization: Bearer <apiKey>`; kept in a closure, never on an object. Surrounding
   * whitespace (a key read from a file with its newline) is trimmed; a key with any other character an
   * HTTP header cannot carry is refused at call with a `TypeError`. Needed for Runware's own host only:
   * without it (`undefined`) a request to another `baseUrl` (an app's proxy, see `createRunwareProxy`)
   * carries no key, only the page's cookies and the `headers` given.
   */
  readonly apiKey?: string | undefined;
  /**
   * Runware's endpoint or an app's proxy. A relative URL (`'/api/runware'`) is resolved against the
   * page's address where there is one (a browser). With an `apiKey` it must be `https:` unless the
   * host is loopback, so the key never crosses a network in clear.
   * @defaultValue `'https://api.runware.ai/v1'`
   */
  readonly baseUrl?: string | undefined;
  /**
   * Extra request headers for a proxy: a session token (`{ Authorization: 'Bearer <session>' }`), a
   * CSRF header. A function is called for every request, so a token that rotates stays current. Never
   * sent with an `apiKey` (the key's `Authorization` wins, and the key goes to nobody else).
   */
  readonly headers?: RequestHeaders | (() => RequestHeaders) | undefined;
  /**
   * Whether the browser sends cookies: `'same-origin'` (a proxy on the page's own origin), `'include'`
   * (a proxy on another origin that allows credentials), `'omit'`. Used only without an `apiKey`.
   * @defaultValue `'same-origin'`
   */
  readonly credentials?: 'omit' | 'same-origin' | 'include' | undefined;
  /**
   * Called with `redirect: 'manual'`. A `fetch` that ignores it (one that follows redirects itself)
   * defeats the redirect rules below.
   * @defaultValue the platform's `fetch` (Node 18+, browsers), else cross-fetch
   */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Whether to follow a redirect (301, 302, 307, 308) to the same origin as `baseUrl` (same scheme,
   * host and port), re-sending the same POST, at most 5 times (`MAX_REDIRECTS`, in followRedirect.ts). Runware does not
   * redirect its API, so by default any redirect ends the request with a `RunwareHttpError` (`failure:
   * 'redirect'`, not retried) naming the `Location`'s origin. Even when true, a redirect to another
   * origin (another host or port, or https: to http:) is refused the same way: the API key goes to
   * `baseUrl`'s origin only. In browsers a redirect is opaque to a manual fetch, so it is always refused
   * (browser bundles carry only that refusal: package.json's `browser` field).
   * @defaultValue false
   */
  readonly followRedirects?: boolean | undefined;
  /**
   * Largest reply body accepted, in bytes. A larger one is refused with a {@link RunwareDecodeError}
   * as soon as it is known to be too large (its `Content-Length`, or the bytes read so far), and the
   * download is aborted rather than buffered.
   * @defaultValue {@link DEFAULT_MAX_RESPONSE_BYTES} (8 MiB)
   */
  readonly maxResponseBytes?: number | undefined;
}

/** Header names and values, as a plain object. */
export type RequestHeaders = Readonly<Record<string, string>>;

/**
 * 8 MiB. A getResponse reply for four video generations is a few kilobytes, but `outputType:
 * "base64Data"` puts whole images inside the reply (several MB for a batch of large PNGs), so the
 * default stays far above any real reply while still stopping a misbehaving server or proxy from
 * filling the memory of a process that runs hundreds of watches.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RESPONSE_BYTES, watchTask } from 'runware-rx';
 *
 * declare const taskUUID: string; // a task of 20 large images with outputType: 'base64Data'
 *
 * watchTask(taskUUID, { numberResults: 20, maxResponseBytes: 4 * DEFAULT_MAX_RESPONSE_BYTES }).subscribe(console.log);
 * ```
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/;

/** Whether a URL's hostname (or a bare host) names this machine, where plain `http:` is allowed. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.test(hostname);
}

/**
 * A transport over fetch. Throws at call, before any request, when a given key is empty, when there is
 * no key for Runware's own host, or when a key would go to a `baseUrl` that is not `https:` (plain
 * `http:` is allowed for loopback hosts only, so the key never crosses a network in clear).
 *
 * Pass one to `watchTask` or `createRunwareClient` as `transport` to share it, or wrap it (logging,
 * metrics) since a {@link Transport} is only a function.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createFetchTransport } from 'runware-rx';
 * import { startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator(); // on loopback, so plain http: is allowed
 * try {
 *   const transport = createFetchTransport({ apiKey: simulator.apiKey, baseUrl: simulator.url });
 *   const body = await firstValueFrom(transport([{ taskType: 'ping' }])); // one POST, its JSON body
 *   assert.deepEqual(body, { data: [{ taskType: 'ping', pong: true }] });
 * } finally {
 *   await simulator.close();
 * }
 * ```
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const apiKey = options.apiKey === undefined ? undefined : checkApiKey(options.apiKey);
  const redact = keyRedactor(apiKey);
  const url = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, apiKey, redact);
  const requestHeaders = headersFor(apiKey, options.headers, options.credentials);
  const fetchImpl = options.fetch ?? platformFetch;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  checkWholeNumber('runware-rx', 'maxResponseBytes', maxBytes, 1);
  const followRedirects = options.followRedirects ?? false;
  if (typeof followRedirects !== 'boolean') throw misconfigured(`option followRedirects must be true or false, got ${typeof followRedirects}`);

  return (tasks) =>
    new Observable<unknown>((subscriber) => {
      let sent: ReturnType<typeof requestHeaders>;
      try {
        sent = requestHeaders();
      } catch (error: unknown) {
        // The app's header function failed or gave what no header can carry: its mistake, not a network failure.
        subscriber.error(error);
        return undefined;
      }
      const controller = new AbortController();
      let settled = false;
      let cancelled = false;
      const send = (target: string): Promise<Response> =>
        fetchImpl(target, {
          method: 'POST',
          ...sent,
          body: JSON.stringify(tasks),
          signal: controller.signal,
          redirect: 'manual',
        });
      exchange(send, { url, followRedirects, redact })
        .then((response) => readReply(response, { maxBytes, redact, abort: () => controller.abort() }))
        .then(
          (body) => {
            settled = true;
            subscriber.next(body);
            subscriber.complete();
          },
          (error: unknown) => {
            settled = true;
            if (!cancelled) subscriber.error(toTransportError(error, redact));
          },
        );
      return () => {
        cancelled = true;
        if (!settled) controller.abort();
      };
    });
}

/**
 * The headers (and, without a key, the cookie mode) of every request: the key's `Authorization` for
 * Runware, else the app's own headers for its proxy. Checked at call where they are a plain object.
 */
function headersFor(
  apiKey: string | undefined,
  headers: FetchTransportOptions['headers'],
  credentials: FetchTransportOptions['credentials'],
): () => { readonly headers: Record<string, string>; readonly credentials?: 'omit' | 'same-origin' | 'include' } {
  const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (apiKey !== undefined) return () => ({ headers: { Authorization: `Bearer ${apiKey}`, ...json } });
  if (headers !== undefined && typeof headers !== 'function') checkHeaders(headers);
  if (credentials !== undefined && !['omit', 'same-origin', 'include'].includes(credentials)) {
    throw misconfigured(`option credentials must be 'omit', 'same-origin' or 'include', got ${JSON.stringify(String(credentials))}`);
  }
  const mode = credentials ?? 'same-origin';
  return () => ({ headers: { ...json, ...(typeof headers === 'function' ? checkHeaders(headers()) : headers) }, credentials: mode });
}

/** The app's headers, refused (a `TypeError`, never a network failure) when a header could not carry them. */
function checkHeaders(headers: unknown): RequestHeaders {
  if (headers === null || typeof headers !== 'object') throw misconfigured('option headers must be an object of header names and values');
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || typeof value !== 'string' || /[^\t\x20-\x7e]/.test(value)) {
      throw misconfigured(`option headers has a name or value an HTTP header cannot carry (${JSON.stringify(name)})`);
    }
  }
  return headers as RequestHeaders;
}

/** Whether a URL is Runware's own service, which answers nobody without a key. */
export function isRunwareHost(hostname: string): boolean {
  return hostname === 'runware.ai' || hostname.endsWith('.runware.ai');
}

/** The key as sent: trimmed, and refused when a header could not carry it (the platform would throw, and that is no network failure). */
function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw misconfigured('no API key: pass apiKey or set RUNWARE_API_KEY');
  }
  const trimmed = apiKey.trim();
  const bad = trimmed.search(/[^\x21-\x7e]/u);
  if (bad !== -1) {
    throw misconfigured(
      `apiKey has a character an HTTP header cannot carry at position ${bad} (a space, control or non-ASCII character); a Runware key is printable ASCII`,
    );
  }
  return trimmed;
}

/**
 * Sends the request and returns the reply that is not a redirect; {@link followRedirect} says where a
 * redirect is sent again, or refuses it.
 */
async function exchange(send: (target: string) => Promise<Response>, rules: RedirectRules): Promise<Response> {
  let target = rules.url;
  for (let hops = 0; ; hops += 1) {
    const response = await send(target);
    if (!isRedirect(response)) return response;
    target = followRedirect(response, target, hops, rules);
  }
}

/** A 3xx, or the opaque answer a browser gives a manual fetch that was redirected. */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status <= 399);
}

interface ReadContext {
  readonly maxBytes: number;
  /** Removes the API key from anything the server sent, should it echo it back. */
  readonly redact: (text: string) => string;
  /** Stops the download of a body found too large. */
  readonly abort: () => void;
}

/** Reads a fetch Response: the parsed body of a 2xx, a typed error otherwise. Nothing it keeps holds the key. */
async function readReply(response: Response, context: ReadContext): Promise<unknown> {
  const text = context.redact(await readLimitedText(response, context));
  if (response.ok) return parseReply(text, context.redact);
  const header = response.headers.get('retry-after');
  const retryAfter = header === null ? undefined : context.redact(header);
  // The body parsed and redacted, and its first error item (the current `errors[]` or the legacy
  // `error`); neither when it is not JSON (an HTML error page): the status then speaks alone.
  let body: unknown;
  let wire: ErrorItem | undefined;
  try {
    body = parseReply(text, context.redact);
    wire = readErrorItems(body)[0];
  } catch {
    // Not JSON: both stay undefined.
  }
  const { status } = response;
  if (status >= 400 && status < 500 && !isRetryableStatus(status)) {
    const statusText = context.redact(response.statusText) || undefined;
    throw wire === undefined
      ? new RunwareApiError({ code: `httpStatus${status}`, serverMessage: statusText, status, body })
      : requestErrorFromWire(wire, status, body, statusText);
  }
  // A retryable status keeps the server's words too: a 429's code says which limit was hit.
  throw new RunwareHttpError({
    failure: 'status',
    status,
    retryAfter,
    code: wire?.code === UNKNOWN_ERROR_CODE ? undefined : wire?.code,
    serverMessage: wire?.message,
    body,
  });
}

/**
 * The body as text, refused once it is known to exceed `maxBytes`: from `Content-Length` before reading,
 * else while streaming, so an endless or huge body is never held in memory.
 */
async function readLimitedText(response: Response, context: ReadContext): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > context.maxBytes) throw tooLarge(context, `declares ${declared} bytes`);
  const body = response.body as unknown;
  if (body === null || body === undefined) return response.text();
  // Decoded as it arrives (a character split between two chunks waits for its end): no chunk is kept.
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  const take = (chunk: unknown): void => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > context.maxBytes) throw tooLarge(context, `went past the limit after ${size} bytes`);
    text += decoder.decode(bytes, { stream: true });
  };
  if (!(await readBodyChunks(body, take))) return response.text();
  // A fetch that ends the stream early instead of failing it: compare with what was declared (decoded
  // sizes differ from Content-Length under a Content-Encoding, so only for an identity body).
  const encoded = (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase() !== 'identity';
  if (!encoded && Number.isFinite(declared) && size < declared) throw new TypeError(`the body ended after ${size} of the ${declared} bytes its Content-Length declares`);
  return text + decoder.decode();
}

/** The limit is deterministic: the same reply would be as large again, so it is not retried. */
function tooLarge(context: ReadContext, what: string): RunwareDecodeError {
  context.abort();
  return new RunwareDecodeError({
    issues: [`body: larger than maxResponseBytes (${context.maxBytes} bytes): the reply ${what}; not read further`],
    body: undefined,
    retryable: false,
  });
}

function toTransportError(error: unknown, redact: (text: string) => string): RunwareError {
  if (error instanceof RunwareApiError || error instanceof RunwareHttpError || error instanceof RunwareDecodeError) return error;
  // A network failure: keep what it said (without the key, should a proxy have echoed it), drop the object.
  return new RunwareHttpError({ failure: 'network', cause: new Error(redact(fetchFailureReason(error))) });
}

/**
 * `baseUrl` resolved (a relative one against the page's address, in a browser) and checked: the key
 * goes over `https:` or to loopback only, and Runware's host is never called without a key.
 */
function checkBaseUrl(baseUrl: string, apiKey: string | undefined, redact: (text: string) => string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl, pageAddress());
  } catch {
    throw misconfigured(`baseUrl is not a URL: ${redact(JSON.stringify(String(baseUrl)))}`);
  }
  if (apiKey === undefined) {
    if (isRunwareHost(parsed.hostname)) throw misconfigured('no API key: pass apiKey or set RUNWARE_API_KEY (or point baseUrl at your proxy)');
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw misconfigured(`baseUrl must use https: or http:, got ${parsed.protocol}`);
  } else if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) {
    throw misconfigured(`baseUrl must use https: (plain http: only for loopback hosts), got ${redact(`${parsed.protocol}//${parsed.host}`)}`);
  }
  if (parsed.username !== '' || parsed.password !== '') throw misconfigured('baseUrl must not carry credentials');
  return parsed.href;
}

/** A mistake in the options, refused at call (or, for a header function, at request) in one voice. */
function misconfigured(what: string): TypeError {
  return new TypeError(`runware-rx: ${what}`);
}

/** The page's address, against which a relative `baseUrl` resolves; `undefined` outside a browser (a relative URL is then refused). */
function pageAddress(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}
