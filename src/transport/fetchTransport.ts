/**
 * The default {@link Transport}: `POST baseUrl` over fetch, aborted on unsubscribe. No retry and no
 * decoding beyond JSON: the watch decides what a failure means.
 *
 * @module
 */
import crossFetch from 'cross-fetch';
import { Observable } from 'rxjs';
import { RunwareApiError, RunwareDecodeError, RunwareHttpError, type RunwareError } from '../errors.js';
import { redactKey } from './redactKey.js';
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
  /** Sent as `Authorization: Bearer <apiKey>`; kept in a closure, never on an object. */
  readonly apiKey: string;
  /** @defaultValue `'https://api.runware.ai/v1'` */
  readonly baseUrl?: string;
  /** @defaultValue cross-fetch */
  readonly fetch?: typeof fetch;
  /**
   * Largest reply body accepted, in bytes. A larger one is refused with a {@link RunwareDecodeError}
   * as soon as it is known to be too large (its `Content-Length`, or the bytes read so far), and the
   * download is aborted rather than buffered.
   * @defaultValue {@link DEFAULT_MAX_RESPONSE_BYTES} (8 MiB)
   */
  readonly maxResponseBytes?: number;
}

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
 * A transport over fetch. Throws at call, before any request, when the key is empty or `baseUrl` is not
 * `https:` (plain `http:` is allowed for loopback hosts only, so the key never crosses a network in clear).
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
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError('runware-rx: no API key: pass apiKey or set RUNWARE_API_KEY');
  }
  const redact = (text: string): string => redactKey(text, apiKey);
  const url = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, redact);
  const fetchImpl = options.fetch ?? (crossFetch as typeof fetch);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`runware-rx: option maxResponseBytes must be a whole number of at least 1, got ${String(maxBytes)}`);
  }

  return (tasks) =>
    new Observable<unknown>((subscriber) => {
      const controller = new AbortController();
      let settled = false;
      let cancelled = false;
      fetchImpl(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(tasks),
        signal: controller.signal,
      })
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

interface ReadContext {
  readonly maxBytes: number;
  /** Removes the API key from anything the server sent, should it echo it back. */
  readonly redact: (text: string) => string;
  /** Stops the download of a body found too large. */
  readonly abort: () => void;
}

/** Reads a fetch Response: the parsed body of a 2xx, a typed error otherwise. */
async function readReply(response: Response, context: ReadContext): Promise<unknown> {
  const text = context.redact(await readLimitedText(response, context));
  if (response.ok) return parseJson(text);
  const retryAfter = response.headers.get('retry-after') ?? undefined;
  const wire = firstWireError(text);
  const statusText = context.redact(response.statusText);
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429 && response.status !== 425) {
    throw new RunwareApiError({
      code: typeof wire?.['code'] === 'string' ? wire['code'] : `httpStatus${response.status}`,
      serverMessage: typeof wire?.['message'] === 'string' ? wire['message'] : statusText || undefined,
      status: response.status,
      parameter: typeof wire?.['parameter'] === 'string' ? wire['parameter'] : undefined,
      documentation: typeof wire?.['documentation'] === 'string' ? wire['documentation'] : undefined,
      wire,
    });
  }
  throw new RunwareHttpError({ failure: 'status', status: response.status, retryAfter });
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
  const chunks: Uint8Array[] = [];
  let size = 0;
  const take = (chunk: unknown): void => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > context.maxBytes) throw tooLarge(context, `went past the limit after ${size} bytes`);
    chunks.push(bytes);
  };
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    // WHATWG stream: the platform's fetch.
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) take(next.value);
    } finally {
      reader.releaseLock();
    }
  } else if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    // Node stream: node-fetch, which cross-fetch uses on Node. Leaving the loop early destroys it.
    for await (const chunk of body as AsyncIterable<unknown>) take(chunk);
  } else {
    return response.text();
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(whole);
}

function tooLarge(context: ReadContext, what: string): RunwareDecodeError {
  context.abort();
  return new RunwareDecodeError({
    issues: [`body: larger than maxResponseBytes (${context.maxBytes} bytes): the reply ${what}; not read further`],
    body: undefined,
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new RunwareDecodeError({ issues: ['body: expected JSON, got an empty body'], body: text });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const preview = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    throw new RunwareDecodeError({ issues: [`body: expected JSON, got ${JSON.stringify(preview)}`], body: text });
  }
}

/** The first error object of an error body, in the current `errors[]` form or the legacy `error` form. */
function firstWireError(text: string): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(text) as { errors?: unknown; error?: unknown };
    const candidate = Array.isArray(body.errors) ? (body.errors[0] as unknown) : body.error;
    return candidate !== null && typeof candidate === 'object' ? (candidate as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toTransportError(error: unknown, redact: (text: string) => string): RunwareError {
  if (error instanceof RunwareApiError || error instanceof RunwareHttpError || error instanceof RunwareDecodeError) return error;
  // A network failure: keep what it said (without the key, should a proxy have echoed it), drop the object.
  const reason = error instanceof Error ? redact(`${error.name}: ${error.message}`) : 'unknown failure';
  return new RunwareHttpError({ failure: 'network', cause: new Error(reason) });
}

function checkBaseUrl(baseUrl: string, redact: (text: string) => string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`runware-rx: baseUrl is not a URL: ${redact(JSON.stringify(String(baseUrl)))}`);
  }
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new TypeError(`runware-rx: baseUrl must use https: (plain http: only for loopback hosts), got ${redact(`${parsed.protocol}//${parsed.host}`)}`);
  }
  if (parsed.username !== '' || parsed.password !== '') throw new TypeError('runware-rx: baseUrl must not carry credentials');
  return parsed.href;
}
