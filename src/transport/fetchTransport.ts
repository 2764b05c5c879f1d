/**
 * The default {@link Transport}: `POST baseUrl` over fetch, aborted on unsubscribe. No retry and no
 * decoding beyond JSON: the watch decides what a failure means.
 *
 * @module
 */
import crossFetch from 'cross-fetch';
import { Observable } from 'rxjs';
import { RunwareApiError, RunwareDecodeError, RunwareHttpError, type RunwareError } from '../errors.js';
import type { Transport } from './Transport.js';

/** Runware's REST endpoint. */
export const DEFAULT_BASE_URL = 'https://api.runware.ai/v1';

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions {
  /** Sent as `Authorization: Bearer <apiKey>`; kept in a closure, never on an object. */
  readonly apiKey: string;
  /** @defaultValue `'https://api.runware.ai/v1'` */
  readonly baseUrl?: string;
  /** @defaultValue cross-fetch */
  readonly fetch?: typeof fetch;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * A transport over fetch. Throws at call, before any request, when the key is empty or `baseUrl` is not
 * `https:` (plain `http:` is allowed for loopback hosts only, so the key never crosses a network in clear).
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError('runware-rx: no API key: pass apiKey or set RUNWARE_API_KEY');
  }
  const url = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const fetchImpl = options.fetch ?? (crossFetch as typeof fetch);
  const redact = (text: string): string => text.split(apiKey).join('[redacted]');

  return (tasks) =>
    new Observable<unknown>((subscriber) => {
      const controller = new AbortController();
      let settled = false;
      fetchImpl(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(tasks),
        signal: controller.signal,
      })
        .then(readReply)
        .then(
          (body) => {
            settled = true;
            subscriber.next(body);
            subscriber.complete();
          },
          (error: unknown) => {
            settled = true;
            if (!controller.signal.aborted) subscriber.error(toTransportError(error, redact));
          },
        );
      return () => {
        if (!settled) controller.abort();
      };
    });
}

/** Reads a fetch Response: the parsed body of a 2xx, a typed error otherwise. */
async function readReply(response: Response): Promise<unknown> {
  const text = await response.text();
  if (response.ok) return parseJson(text);
  const retryAfter = response.headers.get('retry-after') ?? undefined;
  const wire = firstWireError(text);
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429 && response.status !== 425) {
    throw new RunwareApiError({
      code: typeof wire?.['code'] === 'string' ? wire['code'] : `httpStatus${response.status}`,
      serverMessage: typeof wire?.['message'] === 'string' ? wire['message'] : response.statusText || undefined,
      status: response.status,
      parameter: typeof wire?.['parameter'] === 'string' ? wire['parameter'] : undefined,
      documentation: typeof wire?.['documentation'] === 'string' ? wire['documentation'] : undefined,
      wire,
    });
  }
  throw new RunwareHttpError({ failure: 'status', status: response.status, retryAfter });
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

function checkBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`runware-rx: baseUrl is not a URL: ${JSON.stringify(baseUrl)}`);
  }
  const loopback = LOOPBACK_HOSTS.test(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new TypeError(`runware-rx: baseUrl must use https: (plain http: only for loopback hosts), got ${parsed.protocol}//${parsed.host}`);
  }
  if (parsed.username !== '' || parsed.password !== '') throw new TypeError('runware-rx: baseUrl must not carry credentials');
  return parsed.href;
}
