/**
 * Fault injection: a small declarative description of what can go wrong between a client and Runware,
 * and the planner that decides, request by request, which fault (if any) the simulator plays.
 *
 * @module
 */
import type { Random } from './random.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Every fault the simulator can play, and what it is: the one table the kinds, the lists and the replies
 * are derived from. Transport faults replace the reply; body faults alter a reply the simulator computed
 * normally (the task state still advances).
 *
 * Columns:
 * - `transient`: in the default draw of `rate` ({@link TRANSIENT_FAULTS}): a well-behaved client rides it out.
 * - `replacesReply`: the fault stands in for the reply, so the request's tasks are not run (a gateway refused them).
 * - `status`: the HTTP status sent; `'computed'` keeps the computed reply's status; `null` sends no reply at all.
 *
 * Kinds:
 * - `rateLimit`: HTTP 429 with `Retry-After` (seconds, default 1).
 * - `rateLimitNoRetryAfter`: HTTP 429 without `Retry-After`.
 * - `serverError` / `badGateway` / `serviceUnavailable` / `gatewayTimeout`: HTTP 500 / 502 / 503 / 504
 *   with a JSON `errors[]` body.
 * - `slow`: answers normally after `delay` real ms (default 200).
 * - `hang`: never answers; the socket stays open until the client gives up or the simulator closes.
 * - `reset`: destroys the connection without answering (the client sees a network failure).
 * - `malformedJson`: 200 with the real reply cut in half (not JSON).
 * - `htmlError`: a proxy's HTML error page (`text/html`), status 502 unless `status` is given.
 * - `codecMismatch`: 200 with valid JSON that fails the wire codec (`taskUUID` as a number).
 * - `emptyBody`: 200 with an empty body.
 * - `duplicateItems`: every `data[]` item sent twice.
 * - `missingGeneration`: the last generation of the reply left out for this one reply.
 * - `reorderedItems`: `data[]` and `errors[]` in reverse order.
 * - `unknownStatus`: processing items carry `status` = `status` (default `"queued"`) instead.
 * - `requestError`: 200 with only a request-level `errors[]` entry (`code`, default `internalServerError`,
 *   no taskUUID). A server-side code such as the default is transient for the client (polled again within
 *   its retry budget); another code (`invalidApiKey`, ...) is a refusal. Not in the default draw of `rate`.
 */
export const FAULT_TABLE = {
  rateLimit: { transient: true, replacesReply: true, status: 429 },
  rateLimitNoRetryAfter: { transient: true, replacesReply: true, status: 429 },
  serverError: { transient: true, replacesReply: true, status: 500 },
  badGateway: { transient: true, replacesReply: true, status: 502 },
  serviceUnavailable: { transient: true, replacesReply: true, status: 503 },
  gatewayTimeout: { transient: true, replacesReply: true, status: 504 },
  slow: { transient: true, replacesReply: false, status: 'computed' },
  hang: { transient: false, replacesReply: false, status: null },
  reset: { transient: true, replacesReply: false, status: null },
  malformedJson: { transient: true, replacesReply: false, status: 200 },
  htmlError: { transient: true, replacesReply: true, status: 502 },
  codecMismatch: { transient: false, replacesReply: false, status: 200 },
  emptyBody: { transient: true, replacesReply: false, status: 200 },
  duplicateItems: { transient: false, replacesReply: false, status: 'computed' },
  missingGeneration: { transient: false, replacesReply: false, status: 'computed' },
  reorderedItems: { transient: false, replacesReply: false, status: 'computed' },
  unknownStatus: { transient: false, replacesReply: false, status: 'computed' },
  requestError: { transient: false, replacesReply: true, status: 200 },
} as const satisfies Record<string, { readonly transient: boolean; readonly replacesReply: boolean; readonly status: number | 'computed' | null }>;

/** Every fault the simulator can play (docs/simulator.md, and `FAULT_TABLE` in src/simulator/faults.ts, say what each does). */
export type FaultKind = keyof typeof FAULT_TABLE;

/**
 * Every fault kind, in documentation order.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { FAULT_KINDS, type FaultKind } from 'runware-rx/simulator';
 *
 * // Reads a fault kind from user input (a command-line flag, an environment variable), refusing typos.
 * function faultKind(input: string): FaultKind {
 *   const kind = FAULT_KINDS.find((candidate) => candidate === input);
 *   if (kind === undefined) throw new RangeError(`unknown fault ${input}: one of ${FAULT_KINDS.join(', ')}`);
 *   return kind;
 * }
 * assert.equal(faultKind('hang'), 'hang');
 * assert.throws(() => faultKind('hnag'), RangeError);
 * ```
 */
export const FAULT_KINDS: ReadonlyArray<FaultKind> = Object.freeze(Object.keys(FAULT_TABLE) as FaultKind[]);

/** A fault with its parameters; a bare {@link FaultKind} string means the defaults. */
export type FaultSpec =
  | FaultKind
  | { readonly kind: 'rateLimit'; /** seconds sent in `Retry-After`. @defaultValue 1 */ readonly retryAfter?: number }
  | { readonly kind: 'slow'; /** real milliseconds before the normal reply. @defaultValue 200 */ readonly delay?: number }
  | { readonly kind: 'htmlError'; /** @defaultValue 502 */ readonly status?: number }
  | { readonly kind: 'unknownStatus'; /** @defaultValue 'queued' */ readonly status?: string }
  | { readonly kind: 'requestError'; /** @defaultValue 'internalServerError' */ readonly code?: string }
  | { readonly kind: Exclude<FaultKind, 'rateLimit' | 'slow' | 'htmlError' | 'unknownStatus' | 'requestError'> };

/** Which requests faults apply to. */
export type FaultScope = 'getResponse' | 'request';

/**
 * Fault injection settings: a script played first, then a rate.
 *
 * @example
 * ```ts
 * import { startSimulator, type FaultOptions } from 'runware-rx/simulator';
 *
 * // Poll 1 gets a 429 asking for 2 s, poll 2 goes through, poll 3 a reset; then 5% of polls fail at random.
 * const faults: FaultOptions = { script: [{ kind: 'rateLimit', retryAfter: 2 }, null, 'reset'], rate: 0.05 };
 * const simulator = await startSimulator({ faults });
 * ```
 */
export interface FaultOptions {
  /** Chance (0..1) that an eligible request gets a fault once the script is used up. @defaultValue 0 */
  readonly rate?: number;
  /** Faults drawn from (uniformly) when `rate` fires. @defaultValue every transient kind: 429s, 5xx, slow, reset, malformedJson, htmlError, emptyBody */
  readonly kinds?: ReadonlyArray<FaultSpec>;
  /**
   * Played in order, one entry per eligible request, before `rate` applies; `null` means "no fault this
   * time". E.g. `['rateLimit', null, 'reset']`.
   * @defaultValue `[]`
   */
  readonly script?: ReadonlyArray<FaultSpec | null>;
  /**
   * `getResponse` (default): only requests carrying a getResponse task are eligible, so submissions go
   * through. `request`: every API request (submissions too).
   * @defaultValue `'getResponse'`
   */
  readonly scope?: FaultScope;
}

/** A fault ready to play: kind plus resolved parameters. */
export interface Fault {
  readonly kind: FaultKind;
  readonly retryAfter: number;
  readonly delay: number;
  readonly status: number;
  readonly itemStatus: string;
  readonly code: string;
}

/**
 * The default draw for `rate`: faults a well-behaved client must ride out.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { createRunwareClient, imageInference, type AttemptReport } from 'runware-rx';
 * import { startSimulator, TRANSIENT_FAULTS } from 'runware-rx/simulator';
 *
 * // Every transient fault in a row, one per poll; the image is done only once they have all played.
 * let clock = 0; // the simulator's clock, moved by hand
 * const simulator = await startSimulator({ now: () => clock, faults: { script: TRANSIENT_FAULTS } });
 * try {
 *   const onAttempt = (report: AttemptReport): void => {
 *     if (report.attempt === TRANSIENT_FAULTS.length) clock = 60_000; // the last fault played: let the image finish
 *   };
 *   const schedule = { initialDelay: 0, interval: 10, maxInterval: 50, retries: TRANSIENT_FAULTS.length, onAttempt };
 *   const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, ...schedule });
 *   const task = imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse' });
 *   const events = await lastValueFrom(client.run(task).pipe(toArray()));
 *   assert.equal(events.at(-1)?.status, 'success'); // the watch rode them all out
 *   assert.equal(simulator.stats().faultsInjected, TRANSIENT_FAULTS.length);
 * } finally {
 *   await simulator.close();
 * }
 * ```
 */
export const TRANSIENT_FAULTS: ReadonlyArray<FaultKind> = Object.freeze(FAULT_KINDS.filter((kind) => FAULT_TABLE[kind].transient));

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Resolves a spec's defaults. Throws a RangeError on an unknown kind or bad parameter. */
export function resolveFault(spec: FaultSpec): Fault {
  const object = typeof spec === 'string' ? { kind: spec } : spec;
  if (!FAULT_KINDS.includes(object.kind)) throw new RangeError(`startSimulator: unknown fault kind ${JSON.stringify(object.kind)}`);
  const fault: Fault = {
    kind: object.kind,
    retryAfter: 'retryAfter' in object && object.retryAfter !== undefined ? object.retryAfter : 1,
    delay: 'delay' in object && object.delay !== undefined ? object.delay : 200,
    status: 'status' in object && typeof object.status === 'number' ? object.status : FAULT_TABLE.htmlError.status,
    itemStatus: 'status' in object && typeof object.status === 'string' ? object.status : 'queued',
    code: 'code' in object && object.code !== undefined ? object.code : 'internalServerError',
  };
  if (!Number.isInteger(fault.retryAfter) || fault.retryAfter < 0) throw new RangeError('startSimulator: fault retryAfter must be whole seconds >= 0');
  if (!Number.isFinite(fault.delay) || fault.delay < 0) throw new RangeError('startSimulator: fault delay must be a number of ms >= 0');
  if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) throw new RangeError('startSimulator: htmlError status must be 400..599');
  return fault;
}

// -------------------------------------------------------------------------------------
// planner
// -------------------------------------------------------------------------------------

/** Decides the fault of each eligible request: the script first, then the rate. */
export interface FaultPlanner {
  /** Whether a request with these task types is eligible at all. */
  readonly applies: (taskTypes: ReadonlyArray<string>) => boolean;
  /** The fault for the next eligible request, or undefined for none. */
  readonly next: () => Fault | undefined;
}

/** A planner over `options`, drawing from its own `random` (so faults do not shift task randomness). */
export function createFaultPlanner(options: FaultOptions | undefined, random: Random): FaultPlanner {
  const rate = options?.rate ?? 0;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`startSimulator: faults.rate must be 0..1, got ${String(rate)}`);
  const kinds = (options?.kinds ?? TRANSIENT_FAULTS).map(resolveFault);
  if (kinds.length === 0 && rate > 0) throw new RangeError('startSimulator: faults.kinds is empty');
  const script = (options?.script ?? []).map((spec) => (spec === null ? undefined : resolveFault(spec)));
  const scope = options?.scope ?? 'getResponse';
  if (scope !== 'getResponse' && scope !== 'request') throw new RangeError(`startSimulator: faults.scope must be 'getResponse' or 'request'`);
  let position = 0;
  return {
    applies: (taskTypes) => scope === 'request' || taskTypes.includes('getResponse'),
    next: () => {
      if (position < script.length) return script[position++];
      if (rate === 0 || random() >= rate) return undefined;
      return kinds[Math.floor(random() * kinds.length)];
    },
  };
}
