/**
 * `createWebhookReceiver`: the HTTP endpoint Runware posts webhooks to, for node:http (and frameworks
 * built on it) and for Fetch-standard runtimes, in front of a {@link PushHub}.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asyncScheduler, firstValueFrom, type Observable, type SchedulerLike } from 'rxjs';
import { createMemoryHub } from '../push/memoryHub.js';
import type { PushSource } from '../push/PushSource.js';
import type { PushHub } from '../push/PushHub.js';
import { WATCH_PART } from '../push/watchPart.js';
import { pushPart } from '../watch/pushSteps.js';
import { taskKey } from '../push/taskKey.js';
import { readFetchBody, readNodeBody, writeNodeReply, type BodyRead, type Reply } from './httpBody.js';
import { checkWebhookBody } from './webhookBody.js';
import { createTokenSigner, TOKEN_PARAMS } from './webhookToken.js';
import type { Transport } from '../transport/Transport.js';
import { describeCause, tellReply, type ServerEventHandler } from './serverEvent.js';

/** Options of {@link createWebhookReceiver}. All durations are milliseconds. */
export interface WebhookReceiverOptions {
  /** The URL where Runware reaches this endpoint: https, or http on a loopback host (local tests). */
  readonly publicUrl: string;
  /** Signs the per-task tokens: at least 32 characters, e.g. `openssl rand -hex 32`. Keep it out of source control. */
  readonly secret: string;
  /**
   * Where accepted bodies go (`createRedisHub` of `runware-rx/redis` to share them between instances).
   * @defaultValue a {@link createMemoryHub} on `scheduler`
   */
  readonly pushHub?: PushHub;
  /** Largest body accepted; bigger ones get 413. @defaultValue 1048576 (1 MiB: base64 outputs are large) */
  readonly maxBodyBytes?: number;
  /** How long a `urlFor` URL is accepted after it was made. @defaultValue 86400000 (24 hours) */
  readonly tokenTtl?: number;
  /** The clock of token expiry (`now()`) and of the default hub's ttl. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /**
   * Takes a webhook as a wake-up only: for each accepted request, one `getResponse` of the token's task
   * through this transport (`createFetchTransport({ apiKey })`), and Runware's reply is what the hub
   * gets, never the body. Runware signs nothing, so this is the way to trust no body: a leaked URL can
   * then only make the server ask Runware once more. A failed `getResponse` answers 503 (Runware retries).
   * @defaultValue none: the body, checked, is published
   */
  readonly confirm?: Transport;
  /**
   * Told of every refusal (level `warn`: forged, expired, malformed...) and every hub or confirmation
   * failure (level `error`); never the token or the secret (the path is given without its query). For
   * pino: `onEvent: (event) => logger[event.level](event, event.message)`. @defaultValue none
   */
  readonly onEvent?: ServerEventHandler;
}

/** Requests counted by outcome since the receiver was made. */
export interface WebhookReceiverStats {
  /** Bodies handed to the hub (answered 2xx). */
  readonly accepted: number;
  /** Refused with 401: no token, a bad signature, or a token for another task. */
  readonly forged: number;
  /** Refused with 401: a genuine token past its expiry. */
  readonly expired: number;
  /** Refused with 413. */
  readonly oversized: number;
  /** Refused with 405 (not POST). */
  readonly wrongMethod: number;
  /** Refused with 415 (a content type other than JSON). */
  readonly wrongContentType: number;
  /** Refused with 400: not JSON, not a task shape, or naming another task. */
  readonly malformed: number;
  /** Answered 503 because the hub could not store the body, or (with `confirm`) Runware could not be asked (Runware retries). */
  readonly hubFailures: number;
}

/** A webhook endpoint; pass it as `push` to the client or a watch. */
export interface WebhookReceiver extends PushSource {
  /** The endpoint as a node:http listener; also an Express/Fastify (raw) route handler. */
  readonly listener: (request: IncomingMessage, response: ServerResponse) => void;
  /** The endpoint for Fetch-standard runtimes. Never rejects. */
  handle(request: Request): Promise<Response>;
  /** `publicUrl` with a token for this task, good for `tokenTtl` ms: submit it as the task's `webhookURL`. */
  urlFor(taskUUID: string): string;
  /** The hub's bodies for the task (see {@link PushHub.watch}). */
  watch(taskUUID: string): Observable<unknown>;
  /** The hub accepted bodies go to (the `pushHub` option, or the default memory hub: close it when done). */
  readonly pushHub: PushHub;
  /** Counters so far. */
  stats(): WebhookReceiverStats;
}

/** The request line and headers, whatever the runtime. */
interface RequestHead {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly contentLength: string | undefined;
}

/** Reads the body up to `limit` bytes. */
type BodyReader = (limit: number) => Promise<BodyRead>;

type Counter = { -readonly [K in keyof WebhookReceiverStats]: WebhookReceiverStats[K] };

const MIN_SECRET_LENGTH = 32;
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const JSON_TYPE = /^application\/(json|[\w.+-]+\+json)\s*(;|$)/i;

/**
 * Makes a webhook endpoint. `urlFor(taskUUID)` gives the `webhookURL` for a task: `publicUrl` plus
 * the task's UUID, an expiry and an HMAC-SHA256 of both under `secret`. A request is accepted only with
 * a genuine, unexpired token (checked in constant time), by POST, with a JSON body (flat task object,
 * or `{data, errors}`) of at most `maxBodyBytes` naming no other task; it is answered 204 as soon as the
 * hub has stored it. Refusals: 405, 401 (forged or expired: nothing published), 415, 413, 400, and 503
 * when the hub fails (Runware then retries). Throws a TypeError or RangeError on a bad option: a missing
 * or short `secret`, a `publicUrl` that is not https (http only on loopback).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { createServer } from 'node:http';
 * import type { AddressInfo } from 'node:net';
 * import { createWebhookReceiver } from 'runware-rx/server';
 *
 * const server = createServer();
 * await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
 * const { port } = server.address() as AddressInfo;
 * const webhooks = createWebhookReceiver({ publicUrl: `http://127.0.0.1:${port}/runware/webhook`, secret: 'an example secret of at least 32 characters' });
 * server.on('request', webhooks.listener);
 *
 * const taskUUID = '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
 * const seen: unknown[] = [];
 * const watching = webhooks.watch(taskUUID).subscribe((body) => seen.push(body));
 * const body = JSON.stringify({ taskType: 'videoInference', taskUUID, status: 'success', videoURL: 'https://example.com/v.mp4' });
 * const posted = await fetch(webhooks.urlFor(taskUUID), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
 * assert.equal(posted.status, 204);
 * assert.equal(seen.length, 1);
 * const forged = await fetch(`http://127.0.0.1:${port}/runware/webhook?task=${taskUUID}`, { method: 'POST', body });
 * assert.equal(forged.status, 401);
 * assert.equal(webhooks.stats().forged, 1);
 * watching.unsubscribe();
 * await webhooks.pushHub.close(); // its ttl timers
 * server.closeAllConnections();
 * server.close();
 * ```
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const settings = resolveReceiverOptions(options);
  const { publicUrl, maxBodyBytes, tokenTtl, scheduler, pushHub: hub } = settings;
  const signer = createTokenSigner(options.secret);
  const counter: Counter = { accepted: 0, forged: 0, expired: 0, oversized: 0, wrongMethod: 0, wrongContentType: 0, malformed: 0, hubFailures: 0 };

  const refuse = (count: keyof Counter, status: number, message: string, headers: Record<string, string> = {}, cause?: string): Reply => {
    counter[count] += 1;
    return { status, headers, body: JSON.stringify({ error: message }), log: { code: count, message, ...(cause === undefined ? {} : { cause }) } };
  };

  /** What the hub gets: the body, or with `confirm` Runware's own reply about the task. */
  const confirmed = async (taskUUID: string, body: unknown): Promise<unknown> =>
    options.confirm === undefined ? body : firstValueFrom(options.confirm([{ taskType: 'getResponse', taskUUID }]));

  /** Every check, in order: method, token (before reading anything), content type, size, body, hub. */
  const receive = async (head: RequestHead, readBody: BodyReader): Promise<Reply> => {
    if (head.method !== 'POST') return refuse('wrongMethod', 405, 'Use POST.', { Allow: 'POST' });
    const query = new URL(head.url, 'http://receiver.invalid').searchParams;
    const token = signer.check(query, scheduler.now());
    if (!token.ok) return refuse(token.reason, 401, token.reason === 'expired' ? 'This webhook URL has expired.' : 'Invalid webhook token.');
    if (head.contentType !== undefined && !JSON_TYPE.test(head.contentType)) return refuse('wrongContentType', 415, 'Send application/json.');
    const declared = head.contentLength === undefined ? 0 : Number(head.contentLength);
    if (!(declared <= maxBodyBytes)) return refuse('oversized', 413, `Bodies are limited to ${maxBodyBytes} bytes.`, { Connection: 'close' });
    const read = await readBody(maxBodyBytes);
    // A body cut off by its sender is nobody's attack: answered (if anyone listens), not counted.
    if (read === 'aborted') return { status: 400, headers: {}, body: JSON.stringify({ error: 'The body was cut off.' }) };
    if (read === 'tooLarge') return refuse('oversized', 413, `Bodies are limited to ${maxBodyBytes} bytes.`, { Connection: 'close' });
    const checked = checkWebhookBody(read.text, token.taskKey);
    if (!checked.ok) return refuse('malformed', 400, checked.problem);
    try {
      await hub.publish(token.taskKey, await confirmed(token.taskKey, checked.body));
    } catch (error: unknown) {
      return refuse('hubFailures', 503, 'Try again later.', { 'Retry-After': '1' }, describeCause(error));
    }
    counter.accepted += 1;
    return { status: 204, headers: {}, body: '' };
  };

  /** Tells `onEvent` of a refusal or failure: the path without its query, where the token is. */
  const receiveAndReport = (head: RequestHead, readBody: BodyReader): Promise<Reply> =>
    receive(head, readBody).then((reply) => {
      if (reply.log !== undefined) {
        const path = head.url.startsWith('/') ? head.url.split('?')[0] ?? '' : new URL(head.url, 'http://receiver.invalid').pathname;
        tellReply(options.onEvent, 'webhooks', reply, { method: head.method, path });
      }
      return reply;
    });

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const head: RequestHead = {
      method: request.method ?? '',
      url: request.url ?? '/',
      contentType: request.headers['content-type'],
      contentLength: request.headers['content-length'],
    };
    receiveAndReport(head, (limit) => readNodeBody(request, limit))
      .then((reply) => writeNodeReply(response, reply))
      .catch(() => writeNodeReply(response, { status: 500, headers: {}, body: '' }));
  };

  const handle = async (request: Request): Promise<Response> => {
    const head: RequestHead = {
      method: request.method,
      url: request.url,
      contentType: request.headers.get('content-type') ?? undefined,
      contentLength: request.headers.get('content-length') ?? undefined,
    };
    try {
      const reply = await receiveAndReport(head, (limit) => readFetchBody(request, limit));
      return new Response(reply.body === '' ? null : reply.body, { status: reply.status, headers: reply.body === '' ? reply.headers : { 'Content-Type': 'application/json', ...reply.headers } });
    } catch {
      return new Response(null, { status: 500 });
    }
  };

  return {
    listener,
    handle,
    pushHub: hub,
    urlFor(taskUUID) {
      const url = new URL(publicUrl);
      for (const [name, value] of signer.sign(taskKey(taskUUID, 'urlFor'), Math.floor(scheduler.now()) + tokenTtl)) url.searchParams.set(name, value);
      return url.href;
    },
    watch: (taskUUID) => hub.watch(taskUUID),
    stats: () => Object.freeze({ ...counter }),
    [WATCH_PART]: pushPart,
  };
}

/** Checks the options; the secret is only read, never copied into the result or an error. */
function resolveReceiverOptions(options: WebhookReceiverOptions): { publicUrl: string; maxBodyBytes: number; tokenTtl: number; scheduler: SchedulerLike; pushHub: PushHub } {
  if (typeof options !== 'object' || options === null) throw new TypeError('createWebhookReceiver: options are required');
  const { secret } = options;
  if (typeof secret !== 'string' || secret === '') throw new TypeError('createWebhookReceiver: secret is required (a random string of at least 32 characters)');
  if (secret.length < MIN_SECRET_LENGTH) throw new TypeError(`createWebhookReceiver: secret is too short (at least ${MIN_SECRET_LENGTH} characters)`);
  let url: URL;
  try {
    url = new URL(options.publicUrl);
  } catch {
    throw new TypeError('createWebhookReceiver: publicUrl must be an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname))) {
    throw new TypeError('createWebhookReceiver: publicUrl must use https (http only on a loopback host)');
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') throw new TypeError('createWebhookReceiver: publicUrl must not carry credentials or a fragment');
  for (const name of Object.values(TOKEN_PARAMS)) {
    if (url.searchParams.has(name)) throw new TypeError(`createWebhookReceiver: publicUrl must not have a ${name} query parameter (the token uses it)`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const tokenTtl = options.tokenTtl ?? 86_400_000;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new RangeError('createWebhookReceiver: maxBodyBytes must be a whole number >= 1');
  if (!Number.isInteger(tokenTtl) || tokenTtl < 1) throw new RangeError('createWebhookReceiver: tokenTtl must be a whole number of ms >= 1');
  const scheduler = options.scheduler ?? asyncScheduler;
  if (options.confirm !== undefined && typeof options.confirm !== 'function') throw new TypeError('createWebhookReceiver: confirm must be a transport (createFetchTransport({ apiKey }))');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new TypeError('createWebhookReceiver: onEvent must be a function');
  return { publicUrl: url.href, maxBodyBytes, tokenTtl, scheduler, pushHub: options.pushHub ?? createMemoryHub({ scheduler }) };
}
