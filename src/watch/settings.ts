/**
 * A watch's settings: its options resolved (defaults, each with its reason) and checked before any
 * request, and the parts its options plug in.
 *
 * @module
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { checkWholeNumber } from '../errors/checkWholeNumber.js';
import { MAX_DELAY } from '../schedule/backoff.js';
import type { Cadence } from '../cadence/createCadence.js';
import type { PushSource } from '../push/PushSource.js';
import type { SharedHub } from '../push/SharedHub.js';
import type { AttemptReport, CadenceOption, ClientWatchOptions, PushOption, ScheduledPoll } from './options.js';
import { WATCH_PART } from '../push/watchPart.js';
import { partOf, type Plugged } from './parts.js';
import type { PlanSettings } from './plan.js';

/** The tuning options of a watch, every one resolved: what the plan reads (`PlanSettings`), and the rest. */
export interface WatchSettings extends PlanSettings {
  readonly scheduler: SchedulerLike;
  readonly numberResults: number | undefined;
  readonly requestTimeout: number;
  readonly onAttempt: ((attempt: AttemptReport) => void) | undefined;
  readonly onSchedule: ((next: ScheduledPoll) => void) | undefined;
  readonly cadence: Cadence | undefined;
  readonly cadenceKey: string | undefined;
  readonly startedAt: number | undefined;
  readonly pushPollFloor: number;
}

/** What `resolveWatchSettings` reads: a watch's options, or a client's (whose `cadence` may leave out the store and the key). */
export type WatchSettingsInput = ClientWatchOptions & { readonly scheduler?: SchedulerLike | undefined };


// -------------------------------------------------------------------------------------
// defaults
// -------------------------------------------------------------------------------------

/**
 * Defaults, each with its reason (README "Options" says the same):
 * - `progress` and `failFast` false: one event per status change, every generation followed to its own end.
 * - `initialDelay` 1000: no Runware model finishes sooner (the official SDK's first wait).
 * - `interval` 1000: Runware's polling guide says start at 1 to 2 s.
 * - `multiplier` 1.5 and `maxInterval` 10000: the official SDKs' growth and cap; a 4-minute video costs
 *   about 30 polls and is seen at most ~10 s after it finishes.
 * - `jitter` 0.1: spreads watches started together (a storyboard of 50 videos) without blurring cadence.
 * - `timeout` 1200000: the official SDKs' 20-minute poll deadline; every watch ends.
 * - `requestTimeout` 30000: a getResponse answers in well under a second; 30 s rides out a slow proxy.
 * - `retries` 5: with the backoff, about 20 s of consecutive 429/5xx before giving up.
 * - `maxRetryAfter` 60000: a minute is the longest pause a rate limit should ask of a poll; a server that
 *   asks for more is told no, and the caller hears why at once.
 * - `push.pollDelay` 60000 and `push.pollInterval` 120000 (only with `push`): the safety net. A webhook lands
 *   within milliseconds of the finish; the polls only bound the lag of a lost one (about 2 minutes at
 *   most) at about one request per task for videos of up to 4 minutes, instead of about 30.
 * - `push.pollFloor` 10000 (only with `push` and a learned cadence): the default `maxInterval`, so a safety
 *   net placed by learned durations never polls more often than a plain watch at its sparsest (or
 *   `push.pollInterval` when that is shorter: a safety net asked to be dense stays so).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { DEFAULT_WATCH_SETTINGS, type WatchOptions } from 'runware-rx';
 *
 * assert.equal(DEFAULT_WATCH_SETTINGS.timeout, 20 * 60 * 1000);
 * // Options for a long video: the default schedule, twice the default deadline.
 * const longVideo: WatchOptions = { numberResults: 4, timeout: 2 * DEFAULT_WATCH_SETTINGS.timeout };
 * console.log(DEFAULT_WATCH_SETTINGS, longVideo);
 * ```
 */
export const DEFAULT_WATCH_SETTINGS: DefaultWatchSettings = Object.freeze({
  progress: false,
  failFast: false,
  initialDelay: 1000,
  interval: 1000,
  multiplier: 1.5,
  maxInterval: 10_000,
  jitter: 0.1,
  timeout: 1_200_000,
  requestTimeout: 30_000,
  retries: 5,
  maxRetryAfter: 60_000,
  push: Object.freeze({ pollDelay: 60_000, pollInterval: 120_000, pollFloor: 10_000 }),
});

/** The defaults of {@link DEFAULT_WATCH_SETTINGS}: the core's, and the safety net's with `push`. */
export interface DefaultWatchSettings
  extends Pick<WatchSettings, 'progress' | 'failFast' | 'initialDelay' | 'interval' | 'multiplier' | 'maxInterval' | 'jitter' | 'timeout' | 'requestTimeout' | 'retries' | 'maxRetryAfter'> {
  readonly push: { readonly pollDelay: number; readonly pollInterval: number; readonly pollFloor: number };
}


// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** Resolves defaults and rejects a negative, non-finite or out-of-range option with a RangeError naming it. */
export function resolveWatchSettings(options: WatchSettingsInput): WatchSettings {
  const { source: push, pollDelay, pollInterval, pollFloor } = pushOf(options.push);
  const defaults = DEFAULT_WATCH_SETTINGS;
  const cadence = options.cadence === false || options.cadence === undefined ? undefined : checkCadence(options.cadence);
  const sharedHub = checkHub(options.sharedHub);
  // The hub's part when both are given: it reads the webhooks too (the push source only gives the URL).
  const plugged = sharedHub ?? push;
  const settings: WatchSettings = {
    scheduler: options.scheduler ?? asyncScheduler,
    numberResults: options.numberResults,
    progress: options.progress ?? defaults.progress,
    failFast: options.failFast ?? defaults.failFast,
    initialDelay: options.initialDelay ?? defaults.initialDelay,
    interval: options.interval ?? defaults.interval,
    multiplier: options.multiplier ?? defaults.multiplier,
    maxInterval: options.maxInterval ?? Math.max(defaults.maxInterval, options.interval ?? 0),
    jitter: options.jitter ?? defaults.jitter,
    random: options.random ?? Math.random,
    timeout: options.timeout ?? defaults.timeout,
    requestTimeout: options.requestTimeout ?? defaults.requestTimeout,
    retries: options.retries ?? defaults.retries,
    maxRetryAfter: options.maxRetryAfter ?? defaults.maxRetryAfter,
    onAttempt: options.onAttempt,
    onSchedule: options.onSchedule,
    cadence: cadence?.store,
    cadenceKey: cadence?.key,
    startedAt: cadence?.startedAt,
    delivered: options.delivered,
    push,
    pushPollDelay: pollDelay ?? defaults.push.pollDelay,
    pushPollInterval: pollInterval ?? defaults.push.pollInterval,
    pushPollFloor: pollFloor ?? Math.min(defaults.push.pollFloor, pollInterval ?? defaults.push.pollInterval),
    part: plugged === undefined ? undefined : partOf(plugged, push),
  };
  checkDelay('initialDelay', settings.initialDelay, 0);
  checkDelay('interval', settings.interval, 1);
  checkDelay('maxInterval', settings.maxInterval, settings.interval);
  checkDelay('timeout', settings.timeout, 1);
  checkDelay('requestTimeout', settings.requestTimeout, 1);
  checkDelay('maxRetryAfter', settings.maxRetryAfter, 0);
  checkDelay('push.pollDelay', settings.pushPollDelay, 0);
  checkDelay('push.pollInterval', settings.pushPollInterval, 1);
  checkDelay('push.pollFloor', settings.pushPollFloor, 0);
  checkRange('multiplier', settings.multiplier, 1, 1000);
  checkRange('jitter', settings.jitter, 0, 1);
  checkWholeNumber('watchTask', 'retries', settings.retries, 0);
  if (settings.numberResults !== undefined) checkWholeNumber('watchTask', 'numberResults', settings.numberResults, 1);
  if (typeof settings.progress !== 'boolean') throw new TypeError('watchTask: option progress must be true or false');
  if (typeof settings.failFast !== 'boolean') throw new TypeError('watchTask: option failFast must be true or false');
  if (settings.onAttempt !== undefined && typeof settings.onAttempt !== 'function') throw new TypeError('watchTask: option onAttempt must be a function');
  if (settings.onSchedule !== undefined && typeof settings.onSchedule !== 'function') throw new TypeError('watchTask: option onSchedule must be a function');
  if (settings.delivered !== undefined && !Array.isArray(settings.delivered)) throw new TypeError('watchTask: option delivered must be an array of terminal generation events');
  if (typeof settings.random !== 'function') throw new TypeError('watchTask: option random must be a function returning a number in [0, 1)');
  return settings;
}

/** The `push` option read: a push source alone, or with the safety net's settings. */
export function pushOf(option: WatchSettingsInput['push']): PushOption {
  if (option === undefined) return {};
  if (isPushSource(option)) return { source: option };
  // Half a push source (a `watch` without `urlFor`) is a mistake, not the safety net's settings alone.
  if (typeof option !== 'object' || option === null || 'watch' in option || (option.source !== undefined && !isPushSource(option.source))) {
    throw new TypeError('watchTask: option push must be a push source (a webhook receiver, or createPushSource({ urlFor, watch })), or { source, pollDelay?, pollInterval?, pollFloor? }');
  }
  return option;
}

/** A push source or a shared hub: a value that carries its part (`createPushSource`, `createSharedHub` checked its methods). */
function isPlugged(value: unknown): value is Plugged {
  return typeof (value as Partial<Plugged> | null)?.[WATCH_PART] === 'function';
}

function isPushSource(value: unknown): value is PushSource {
  return isPlugged(value) && 'urlFor' in value;
}

function checkHub(hub: SharedHub | undefined): SharedHub | undefined {
  if (hub === undefined) return undefined;
  if (!isPlugged(hub) || !('acquire' in hub)) {
    throw new TypeError('watchTask: option sharedHub must be a shared hub (createRedisHub, or createSharedHub({ watch, publish, acquire }))');
  }
  return hub;
}

/** The `cadence` option checked: a store from createCadence(), which checks the key and the start (`Cadence.checkOption`). */
function checkCadence(cadence: CadenceOption): CadenceOption {
  const { store } = (typeof cadence === 'object' && cadence !== null ? cadence : {}) as CadenceOption;
  if (typeof store !== 'object' || store === null || typeof store.plannerFor !== 'function' || typeof store.observe !== 'function' || typeof store.checkOption !== 'function') {
    throw new TypeError('watchTask: option cadence must be { store, key, startedAt? } with a store from createCadence(), or false');
  }
  store.checkOption(cadence);
  return cadence;
}

function checkDelay(name: string, value: number, min: number): void {
  checkRange(name, value, min, MAX_DELAY, ' ms');
}

function checkRange(name: string, value: number, min: number, max: number, unit = ''): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`watchTask: option ${name} must be a finite number from ${min}${unit} to ${max}${unit}, got ${String(value)}`);
  }
}
