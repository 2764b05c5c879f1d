/**
 * `createRunwareProxy`: the server end of a browser app. The browser sends its tasks here without any
 * key; the proxy refuses what the app does not allow, asks the app's `authorize`, adds the key and
 * forwards to Runware, for node:http (and frameworks built on it) and for Fetch-standard runtimes.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asyncScheduler, defer, endWith, firstValueFrom, fromEvent, ignoreElements, map, merge, type Observable, of, type SchedulerLike, share, startWith, takeUntil, timeout, TimeoutError, timer } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { ClientWatchOptions } from '../watch/options.js';
import { isTaskUUID } from '../protocol/taskUUID.js';
import type { PushSource } from '../push/PushSource.js';
import { parseRetryAfter } from '../schedule/retryAfter.js';
import { createFetchTransport, DEFAULT_BASE_URL } from '../transport/fetchTransport.js';
import { keyRedactor } from '../transport/redactKey.js';
import { watchTask } from '../watch/watchTask.js';
import { isCrossOrigin } from './crossOrigin.js';
import { readFetchBody, readNodeBody, writeNodeReply, type BodyRead, type Reply } from './httpBody.js';
import { checkProxyTasks, numberResultsProblem, type ProxyPolicy, type ProxyTask } from './proxyPolicy.js';
import { refusalReply, type ProxyRefusal } from './proxyRefusal.js';
import { describeCause, tell, tellReply, type ServerEventHandler } from './serverEvent.js';
import { createTaskStreams, encodeMessage, type ServerTaskWatch } from './sseTaskEvents.js';
import { isNeverForwarded, taskFields } from './taskFields.js';

/** The browser's request as `authorize` sees it, whatever the runtime. */
export interface ProxyRequest {
  readonly method: string;
  /** The request's path and query (`/api/runware?x=1`). */
  readonly url: string;
  /** The request's headers: its cookies, its session token. */
  readonly headers: Headers;
}

/** Options of {@link createRunwareProxy}. */
export interface RunwareProxyOptions {
  /** The Runware API key, added on the server to every forwarded request. @defaultValue `process.env.RUNWARE_API_KEY` */
  readonly apiKey?: string | undefined;
  /** Where requests go: Runware, or a simulator in tests. @defaultValue `'https://api.runware.ai/v1'` */
  readonly baseUrl?: string | undefined;
  /** The path the browser posts to (its `baseUrl`); other paths are 404. @defaultValue `'/api/runware'` */
  readonly prefix?: string | undefined;
  /**
   * Decides whether this browser may send these (already allowed) tasks: check its session, and that a
   * task it polls (a `getResponse`, an event stream) is its own. Asked for every request; `false` or a
   * throw refuses with `unauthorized`. Required: there is no safe default (anyone may read any task
   * whose UUID they learn), so the choice is made, and seen, where the proxy is created.
   */
  readonly authorize: (request: ProxyRequest, tasks: readonly ProxyTask[]) => boolean | Promise<boolean>;
  /** Task types a browser may submit (`getResponse` is always allowed). @defaultValue none */
  readonly allowTaskTypes?: readonly string[] | undefined;
  /** Models a submission may name. @defaultValue none */
  readonly allowModels?: readonly string[] | undefined;
  /**
   * Fields a submission may carry beyond those runware-rx documents for its task type (its codec's:
   * `videoInference`, `imageInference`, `audioInference`), per task type; a type without a codec
   * may carry only `taskType`, `taskUUID`, `model`, `deliveryMethod`, `numberResults` and these.
   * `webhookURL`, `uploadEndpoint`, `apiKey` and `__proto__` are never forwarded, listed or not.
   * @defaultValue none
   */
  readonly allowFields?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Most results (`numberResults`) one submission may ask for. @defaultValue 4 */
  readonly maxNumberResults?: number | undefined;
  /**
   * Origins (`https://app.example.com`) whose pages may use the proxy besides its own (the `Host` the
   * request was sent to). A request whose `Origin` or `Sec-Fetch-Site` names another origin is refused
   * with `crossOrigin` (403): a page elsewhere cannot submit with your users' cookies.
   * @defaultValue none: same-origin only
   */
  readonly allowOrigins?: readonly string[] | undefined;
  /** Largest request body, in bytes. @defaultValue 65536 */
  readonly maxBodyBytes?: number | undefined;
  /** Most tasks in one request. @defaultValue 16 (a client's batch of polls) */
  readonly maxTasks?: number | undefined;
  /** The `fetch` that reaches Runware. @defaultValue the platform's */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Deadline of one forwarded request, in ms: past it the request to Runware is aborted and the browser
   * gets `upstreamTimeout` (504). A synchronous submission (`deliveryMethod: 'sync'`) must finish within
   * it; the events route's polls have their own, `watchOptions.requestTimeout` (30000).
   * @defaultValue 60000
   */
  readonly requestTimeout?: number | undefined;
  /**
   * Where the server takes Runware's webhooks (`createWebhookReceiver`, or any {@link PushSource}). With
   * it, every forwarded submission gets `webhookURL: push.urlFor(taskUUID)` (the browser may not set
   * one), and the events route's default watch takes the pushes, polling only as a sparse safety net.
   * @defaultValue none: the events route polls
   */
  readonly push?: PushSource | undefined;
  /**
   * How the events route watches a task on the server.
   * @defaultValue `watchTask` through this proxy's key, with `watchOptions`, and with `push` when given
   */
  readonly watch?: ServerTaskWatch | undefined;
  /** Tuning of the default `watch` (its schedule, deadline, retries). */
  readonly watchOptions?: ClientWatchOptions | undefined;
  /** How long a finished task's events stay available to reconnecting browsers, in ms. @defaultValue 60000 */
  readonly streamLinger?: number | undefined;
  /**
   * How long a task's server watch goes on after its last browser left its event stream, in ms (a
   * reloading page comes back within it and resumes); then it stops polling. @defaultValue 5000
   */
  readonly abandonAfter?: number | undefined;
  /** Most event streams open at once, all tasks together; past it `tooManyStreams` (429). @defaultValue 1000 */
  readonly maxStreams?: number | undefined;
  /** Most event streams of one task open at once (tabs of one user); past it `tooManyStreams` (429). @defaultValue 8 */
  readonly maxStreamsPerTask?: number | undefined;
  /**
   * Told of every refusal (level `warn`) and every failure to use Runware (level `error`: unreachable,
   * refused key, a server watch that failed), the key redacted in every form. For pino:
   * `onEvent: (event) => logger[event.level](event, event.message)`. @defaultValue none
   */
  readonly onEvent?: ServerEventHandler | undefined;
  /** Gap between keep-alive comments on an event stream, in ms (idle connections are cut by many proxies). @defaultValue 15000 */
  readonly heartbeat?: number | undefined;
  /** Clock of the watches, the linger and the heartbeat. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike | undefined;
  /** Randomness of the stream epochs. @defaultValue Math.random */
  readonly random?: (() => number) | undefined;
}

/** A proxy: mount `listener` (or `handle`) at `prefix`. */
export interface RunwareProxy {
  /** The proxy as a node:http listener; also an Express/Fastify (raw) route handler. */
  readonly listener: (request: IncomingMessage, response: ServerResponse) => void;
  /** The proxy for Fetch-standard runtimes. Never rejects. */
  handle(request: Request): Promise<Response>;
}

/** An event stream before it is written: its chunks of text, ending when the stream does. */
interface StreamReply {
  readonly stream: Observable<string>;
}

/** Most seconds of a Runware `Retry-After` passed on to a browser. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/** Headers of an event stream; no buffering by proxies on the way. */
const STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' };

/** `{prefix}/tasks/{taskUUID}/events` */
const EVENTS_ROUTE = /^\/tasks\/([^/]+)\/events$/;

/** The request line and headers, whatever the runtime. */
interface Exchange {
  readonly request: ProxyRequest;
  /** The request's path as sent, before any `..` is resolved: routes match it exactly. */
  readonly rawPath: string;
  /** Where the request was sent (`Host`), the proxy's own origin for `allowOrigins`. */
  readonly ownHost: string | undefined;
  readonly readBody: (limit: number) => Promise<BodyRead>;
  /** Aborted when the browser goes away before its reply: the forward to Runware is aborted with it. */
  readonly signal: AbortSignal;
}

/** What a forward comes to when the browser left first: written to nobody. */
const BROWSER_GONE: Reply = { status: 499, headers: {}, body: '' };

const JSON_TYPE = /^application\/(json|[\w.+-]+\+json)\s*(;|$)/i;

/**
 * Makes a Runware proxy. A `POST prefix` from its own origin (or `allowOrigins`), `application/json`,
 * with a JSON array of tasks (at most `maxBodyBytes`, at most `maxTasks`) is checked (every
 * `getResponse` passes, forwarded as its taskType and taskUUID only; a submission needs its task type
 * in `allowTaskTypes`, its model in `allowModels`, only its type's documented fields or `allowFields`,
 * at most `maxNumberResults`), then `authorize`d, then forwarded with the key; Runware's reply comes
 * back as it is, without the key should it appear in any encoding. Refusals answer
 * `{ errors: [{ code, message }] }` with the status of {@link PROXY_REFUSALS}; Runware's 401/403
 * become `upstreamAuth` (502), its words dropped. Every refusal and failure is told to `onEvent`.
 *
 * Throws at call for a missing `authorize`, a missing key or a bad `baseUrl`, like the client.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { createServer } from 'node:http';
 * import type { AddressInfo } from 'node:net';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient } from 'runware-rx';
 * import { createRunwareProxy } from 'runware-rx/server';
 * import { startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator({ timeScale: 100 });
 * const proxy = createRunwareProxy({
 *   apiKey: simulator.apiKey, // on the server: process.env['RUNWARE_API_KEY']
 *   baseUrl: simulator.url, // Runware's by default
 *   allowTaskTypes: ['imageInference'],
 *   allowModels: ['runware:101@1'],
 *   authorize: (request) => request.headers.get('x-session') === 'signed-in', // your session check
 * });
 * const server = createServer(proxy.listener);
 * await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
 * try {
 *   const { port } = server.address() as AddressInfo;
 *   // What the browser does, with no key: only the proxy's URL and its session.
 *   const client = createRunwareClient({ baseUrl: `http://127.0.0.1:${port}/api/runware`, headers: { 'X-Session': 'signed-in' } });
 *   const ack = await firstValueFrom(client.submit({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a fox' }));
 *   assert.equal(typeof ack.taskUUID, 'string');
 *   const refused = await firstValueFrom(client.submit({ taskType: 'imageInference', model: 'someone:expensive@1', positivePrompt: 'a fox' })).catch((error: unknown) => error);
 *   assert.equal((refused as { code?: string }).code, 'modelNotAllowed');
 * } finally {
 *   server.closeAllConnections();
 *   server.close();
 *   await simulator.close();
 * }
 * ```
 */
export function createRunwareProxy(options: RunwareProxyOptions): RunwareProxy {
  const settings = resolveProxyOptions(options);
  const { policy, prefix, maxBodyBytes, scheduler } = settings;
  const { authorize, onEvent } = options;
  const apiKey = options.apiKey ?? environmentApiKey() ?? '';
  const upstream = createFetchTransport({ apiKey, baseUrl: options.baseUrl ?? DEFAULT_BASE_URL, fetch: options.fetch });
  const redact = keyRedactor(apiKey);
  const { push } = options;
  const watch: ServerTaskWatch =
    options.watch ??
    ((taskUUID, numberResults) => watchTask(taskUUID, { ...options.watchOptions, transport: upstream, scheduler, numberResults, ...(push === undefined ? {} : { push }) }));
  const streams = createTaskStreams({
    watch,
    linger: settings.streamLinger,
    abandonAfter: settings.abandonAfter,
    maxStreams: settings.maxStreams,
    maxStreamsPerTask: settings.maxStreamsPerTask,
    scheduler,
    random: options.random ?? Math.random,
    onFailure: (taskUUID, failure, error) =>
      tell(onEvent, { source: 'proxy', level: 'error', code: failure.code, status: 200, message: failure.message, method: 'GET', path: `${prefix}/tasks/${taskUUID}/events`, taskUUID, cause: redact(describeCause(error)) }),
  });

  const allowedFor = (request: ProxyRequest, tasks: readonly ProxyTask[]): Promise<boolean> =>
    Promise.resolve()
      .then(() => authorize(request, tasks))
      .then((allowed) => allowed === true, () => false);

  const crossOrigin = (exchange: Exchange): boolean => isCrossOrigin(exchange.request.headers, exchange.ownHost, settings.allowOrigins);
  const CROSS_ORIGIN: ProxyRefusal = { reason: 'crossOrigin', message: "Requests from another site's pages are not accepted." };

  /** Every check, in order: route (the raw path), method, origin, content type, size, tasks, authorize; then Runware. */
  const serve = async (exchange: Exchange): Promise<Reply | StreamReply> => {
    const { request, readBody, signal, rawPath } = exchange;
    if (rawPath.startsWith(`${prefix}/`)) return serveEvents(exchange, rawPath.slice(prefix.length));
    if (rawPath !== prefix) return refusalReply({ reason: 'notFound', message: 'No such route.' });
    if (request.method !== 'POST') return refusalReply({ reason: 'methodNotAllowed', message: 'Use POST.', headers: { Allow: 'POST' } });
    if (crossOrigin(exchange)) return refusalReply(CROSS_ORIGIN);
    // A form, or a fetch in `no-cors` mode, can send no JSON type: with it required, a cross-site POST needs a preflight.
    const contentType = request.headers.get('content-type');
    if (contentType === null || !JSON_TYPE.test(contentType)) return refusalReply({ reason: 'unsupportedMediaType', message: 'Send application/json.' });
    const declared = Number(request.headers.get('content-length') ?? 0);
    const tooLarge: ProxyRefusal = { reason: 'bodyTooLarge', message: `Bodies are limited to ${maxBodyBytes} bytes.`, headers: { Connection: 'close' } };
    if (!(declared <= maxBodyBytes)) return refusalReply(tooLarge);
    const read = await readBody(maxBodyBytes);
    if (read === 'tooLarge') return refusalReply(tooLarge);
    if (read === 'aborted') return refusalReply({ reason: 'malformedBody', message: 'The body was cut off.' });
    const checked = checkProxyTasks(read.text, policy);
    if (!checked.ok) return refusalReply(checked.refusal);
    if (!(await allowedFor(request, checked.tasks))) return refusalReply({ reason: 'unauthorized', message: 'Not allowed for this session.' });
    return forward(checked.tasks, signal);
  };

  /**
   * `GET {prefix}/tasks/{taskUUID}/events[?numberResults=N]`: from the proxy's origin, authorized as a
   * getResponse of the task, within the stream limits, then streamed from the task's one server watch.
   */
  const serveEvents = async (exchange: Exchange, route: string): Promise<Reply | StreamReply> => {
    const { request } = exchange;
    const url = new URL(request.url, 'http://proxy.invalid');
    const taskUUID = EVENTS_ROUTE.exec(route)?.[1];
    if (taskUUID === undefined) return refusalReply({ reason: 'notFound', message: 'No such route.' });
    if (request.method !== 'GET') return refusalReply({ reason: 'methodNotAllowed', message: 'Use GET.', headers: { Allow: 'GET' } });
    if (crossOrigin(exchange)) return refusalReply(CROSS_ORIGIN);
    if (!isTaskUUID(taskUUID)) return refusalReply({ reason: 'malformedBody', message: 'Not a task UUID.' });
    const wanted = url.searchParams.get('numberResults');
    const numberResults = wanted === null ? undefined : Number(wanted);
    const numberResultsWrong = numberResultsProblem(numberResults, policy.maxNumberResults);
    if (numberResultsWrong !== undefined) return refusalReply({ reason: 'malformedBody', message: numberResultsWrong });
    if (!(await allowedFor(request, [{ taskType: 'getResponse', taskUUID }]))) return refusalReply({ reason: 'unauthorized', message: 'Not allowed for this session.' });
    const limit = streams.admit(taskUUID);
    if (limit !== undefined) {
      const message = limit === 'tooManyStreams' ? `At most ${settings.maxStreams} event streams at once.` : `At most ${settings.maxStreamsPerTask} event streams of one task at once.`;
      return refusalReply({ reason: 'tooManyStreams', message, headers: { 'Retry-After': '5' } });
    }
    const lastEventId = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId') ?? undefined;
    // A failure's words come from errors: redacted once more here, in case one quotes the key.
    const messages = streams(taskUUID, numberResults, lastEventId).pipe(map((message) => (message.event === 'failure' ? redact(encodeMessage(message)) : encodeMessage(message))), share());
    const heartbeat = timer(settings.heartbeat, settings.heartbeat, scheduler).pipe(
      map(() => ': keep-alive\n\n'),
      takeUntil(messages.pipe(ignoreElements(), endWith(true))),
    );
    // The reconnection delay a browser's EventSource uses, then the messages.
    return { stream: merge(messages, heartbeat).pipe(startWith('retry: 1000\n\n')) };
  };

  /** Runware's answer, as the browser may see it; the request is aborted past `requestTimeout` or when the browser leaves. */
  const forward = async (tasks: readonly ProxyTask[], signal: AbortSignal): Promise<Reply> => {
    const sent = push === undefined ? tasks : tasks.map((task) => (task.taskType === 'getResponse' ? task : { ...task, webhookURL: push.urlFor(task.taskUUID) }));
    const browserGone = defer(() => (signal.aborted ? of(true) : fromEvent(signal, 'abort')));
    try {
      const body = await firstValueFrom(upstream(sent).pipe(timeout({ first: settings.requestTimeout, scheduler }), takeUntil(browserGone)), { defaultValue: BROWSER_GONE });
      if (body === BROWSER_GONE) return BROWSER_GONE;
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    } catch (error: unknown) {
      const reply = upstreamFailure(error, scheduler.now());
      return reply.log === undefined ? reply : { ...reply, log: { ...reply.log, cause: redact(describeCause(error)) } };
    }
  };

  /** Tells `onEvent` of a refusal (4xx) or a failure (5xx), the key redacted from every word. */
  const report = (exchange: Exchange, reply: Reply | StreamReply): void => {
    if (!('stream' in reply)) tellReply(onEvent, 'proxy', reply, { method: exchange.request.method, path: exchange.rawPath }, redact);
  };
  const serveAndReport = (exchange: Exchange): Promise<Reply | StreamReply> =>
    serve(exchange).then(
      (reply) => (report(exchange, reply), reply),
      (error: unknown) => {
        const failed: Reply = { status: 500, headers: {}, body: '', log: { code: 'internalError', message: 'The proxy failed.', cause: redact(describeCause(error)) } };
        report(exchange, failed);
        return failed;
      },
    );

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    }
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableEnded) gone.abort();
    });
    const url = request.url ?? '/';
    serveAndReport({
      request: { method: request.method ?? '', url, headers },
      // An absolute-form request line (`POST http://host/path`) names no path of ours.
      rawPath: url.startsWith('/') ? url.split('?')[0] ?? '' : '',
      ownHost: headers.get('host') ?? undefined,
      readBody: (limit) => readNodeBody(request, limit),
      signal: gone.signal,
    })
      .then((reply) => ('stream' in reply ? writeNodeStream(response, reply) : writeNodeReply(response, reply)))
      .catch(() => writeNodeReply(response, { status: 500, headers: {}, body: '' }));
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    try {
      // A Fetch runtime hands over the URL already resolved: `..` is gone before the proxy sees it.
      const reply = await serveAndReport({
        request: { method: request.method, url: `${url.pathname}${url.search}`, headers: request.headers },
        rawPath: url.pathname,
        ownHost: url.host,
        readBody: (limit) => readFetchBody(request, limit),
        signal: request.signal,
      });
      if ('stream' in reply) return new Response(readableOf(reply.stream), { status: 200, headers: STREAM_HEADERS });
      return new Response(reply.body, { status: reply.status, headers: reply.headers });
    } catch {
      return new Response(null, { status: 500 });
    }
  };

  return { listener, handle };
}

/**
 * A failed forward, as the browser may see it: Runware's refusal of a task (4xx) with its code and
 * message; its refusal of the key (401/403) as `upstreamAuth` without its words; a rate limit as 429
 * with its Retry-After (checked: whole seconds, at most an hour, or none); no answer within
 * `requestTimeout` as `upstreamTimeout`; anything else as `upstreamUnavailable`.
 */
function upstreamFailure(error: unknown, now: number): Reply {
  if (error instanceof RunwareApiError && error.status !== 401 && error.status !== 403) {
    // Runware's own error object (the key already removed from it by the transport), else its code.
    const item = error.wire ?? { code: error.code, message: error.code };
    return { status: error.status ?? 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ errors: [item] }), log: { code: error.code, message: 'Runware refused the task.' } };
  }
  if (error instanceof RunwareApiError) return refusalReply({ reason: 'upstreamAuth', message: 'The server could not use Runware.' });
  if (error instanceof TimeoutError) return refusalReply({ reason: 'upstreamTimeout', message: 'Runware did not answer in time.' });
  if (error instanceof RunwareHttpError && error.status === 429) {
    const wait = parseRetryAfter(error.retryAfter, now);
    const seconds = wait === undefined ? undefined : String(Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil(wait / 1000)));
    return {
      status: 429,
      headers: { 'Content-Type': 'application/json', ...(seconds === undefined ? {} : { 'Retry-After': seconds }) },
      body: JSON.stringify({ errors: [{ code: 'rateLimited', message: 'Too many requests; try again later.' }] }),
      log: { code: 'rateLimited', message: 'Runware answered 429.' },
    };
  }
  return refusalReply({ reason: 'upstreamUnavailable', message: 'Runware could not be reached.' });
}

/** The options, checked and resolved; the key is only read, never copied into the result or an error. */
interface ProxySettings {
  readonly policy: ProxyPolicy;
  readonly prefix: string;
  readonly maxBodyBytes: number;
  readonly allowOrigins: ReadonlySet<string>;
  readonly streamLinger: number;
  readonly abandonAfter: number;
  readonly maxStreams: number;
  readonly maxStreamsPerTask: number;
  readonly heartbeat: number;
  readonly requestTimeout: number;
  readonly scheduler: SchedulerLike;
}

function resolveProxyOptions(options: RunwareProxyOptions): ProxySettings {
  if (typeof options !== 'object' || options === null) throw new TypeError('createRunwareProxy: options must be an object');
  const prefix = options.prefix ?? '/api/runware';
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.endsWith('/') || /[?#]/.test(prefix)) {
    throw new TypeError('createRunwareProxy: prefix must be a path like /api/runware (leading slash, no trailing slash, no query)');
  }
  const whole = (name: string, value: number, min: number): number => {
    if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`createRunwareProxy: ${name} must be a whole number >= ${min}`);
    return value;
  };
  const list = (name: string, value: readonly string[] | undefined): ReadonlySet<string> => {
    if (value === undefined) return new Set();
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new TypeError(`createRunwareProxy: ${name} must be an array of strings`);
    return new Set(value);
  };
  if (typeof options.authorize !== 'function') {
    throw new TypeError('createRunwareProxy: authorize is required: a function that checks the session (and that polled tasks are its own); there is no safe default');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new TypeError('createRunwareProxy: onEvent must be a function');
  const allowTaskTypes = list('allowTaskTypes', options.allowTaskTypes);
  const allowFields = options.allowFields ?? {};
  if (typeof allowFields !== 'object' || allowFields === null) throw new TypeError('createRunwareProxy: allowFields must be an object of task type to field names');
  for (const [taskType, fields] of Object.entries(allowFields)) {
    const never = [...list(`allowFields.${taskType}`, fields)].find(isNeverForwarded);
    if (never !== undefined) throw new TypeError(`createRunwareProxy: allowFields.${taskType} may not list ${never}: it is never forwarded from a browser`);
  }
  const allowOrigins = list('allowOrigins', options.allowOrigins);
  for (const origin of allowOrigins) {
    if (!/^https?:\/\/[^/?#\s]+$/.test(origin)) throw new TypeError(`createRunwareProxy: allowOrigins takes origins like https://app.example.com, got ${JSON.stringify(origin.slice(0, 60))}`);
  }
  if (options.watch !== undefined && typeof options.watch !== 'function') throw new TypeError('createRunwareProxy: watch must be a function');
  if (options.push !== undefined && (typeof options.push !== 'object' || options.push === null || typeof options.push.urlFor !== 'function' || typeof options.push.watch !== 'function')) {
    throw new TypeError('createRunwareProxy: push must be a push source with urlFor and watch (a webhook receiver)');
  }
  return {
    prefix,
    maxBodyBytes: whole('maxBodyBytes', options.maxBodyBytes ?? 65_536, 1),
    allowOrigins,
    streamLinger: whole('streamLinger', options.streamLinger ?? 60_000, 0),
    abandonAfter: whole('abandonAfter', options.abandonAfter ?? 5000, 0),
    maxStreams: whole('maxStreams', options.maxStreams ?? 1000, 1),
    maxStreamsPerTask: whole('maxStreamsPerTask', options.maxStreamsPerTask ?? 8, 1),
    heartbeat: whole('heartbeat', options.heartbeat ?? 15_000, 1),
    requestTimeout: whole('requestTimeout', options.requestTimeout ?? 60_000, 1),
    scheduler: options.scheduler ?? asyncScheduler,
    policy: {
      allowTaskTypes,
      allowModels: list('allowModels', options.allowModels),
      maxTasks: whole('maxTasks', options.maxTasks ?? 16, 1),
      fields: new Map([...allowTaskTypes].map((taskType) => [taskType, taskFields(taskType, (Object.hasOwn(allowFields, taskType) ? allowFields[taskType] : undefined) ?? [])])),
      maxNumberResults: whole('maxNumberResults', options.maxNumberResults ?? 4, 1),
    },
  };
}

/** Writes an event stream to node:http; the browser leaving ends the subscription (and, with the last browser, the server watch after its linger). */
function writeNodeStream(response: ServerResponse, reply: StreamReply): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(200, STREAM_HEADERS);
  const subscription = reply.stream.subscribe({
    next: (text) => response.write(text),
    error: () => response.end(),
    complete: () => response.end(),
  });
  response.on('close', () => subscription.unsubscribe());
}

/** An event stream as a Fetch body; cancelling the body ends the subscription. */
function readableOf(stream: Observable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = (): void => undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const subscription = stream.subscribe({
        next: (text) => controller.enqueue(encoder.encode(text)),
        error: () => controller.close(),
        complete: () => controller.close(),
      });
      stop = () => subscription.unsubscribe();
    },
    cancel() {
      stop();
    },
  });
}

/** `RUNWARE_API_KEY` from the environment (the proxy runs on a server). */
function environmentApiKey(): string | undefined {
  return typeof process === 'undefined' ? undefined : process.env['RUNWARE_API_KEY'];
}
