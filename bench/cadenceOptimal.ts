/**
 * A lever measured for issue 23 and not kept (docs/performance.md, "What one price can meet"): each poll
 * planned by the *optimal* rule on the learned durations instead of the price rule. For the histogram a
 * watch holds (mixed with the prior as planNextPoll mixes it), a backward dynamic programme finds the
 * schedule minimising `price x E[polls] + E[lag]` given the task survived to each age, under the price
 * rule's bounds (gap at most the learned cap, the lag bound included; at least `interval`; no poll past
 * the deadline), on a grid as coarse as the histogram's bins; a watch then takes the best next poll from
 * its exact age (one step ahead on that value), and the same jitter (earlier only), cap, floor and
 * deadline as planNextPoll. Computed once per histogram version and cached (a histogram is immutable).
 * Run with `BENCH=optimal npm run bench`: the lever table (every tail workload, six seeds, a price and
 * `halfLife` sweep), the old uniform workload's polls against the defaults', and the CPU cost per plan
 * and per recompute against today's planNextPoll, in the same process.
 */
import { RUN_WATCH_DEFAULTS } from '../src/client/runWatchDefaults.js';
import { createCadence, type Cadence } from '../src/cadence/createCadence.js';
import { binOf, EDGES, HISTOGRAM_BINS, LAST_EDGE_MS, PRIOR, type DurationHistogram } from '../src/cadence/durationHistogram.js';
import { DEFAULT_CADENCE_TUNING, planNextPoll, YOUNG_KEY_OBSERVATIONS, type CadenceSettings, type CadenceTuning, type NextPollPlan } from '../src/cadence/planNextPoll.js';
import { WatchCadence, type CadencePlanner, type WatchScheduleSettings } from '../src/cadence/watchCadence.js';
import { backoffDelay } from '../src/schedule/backoff.js';
import { DEFAULT_WATCH_SETTINGS } from '../src/watch/settings.js';
import { mulberry32 } from '../src/simulator/random.js';
import { defaultsStrategy, learnedStrategy, officialSdkStrategy, simulate, WORKLOADS, type Strategy, type Workload, type WorkloadResult } from './cadenceWorkload.js';
import { DRIFT_WORKLOADS, FIRST_MINUTE_WORKLOADS, STEADY_WORKLOADS, TAIL_SEEDS, tailTargets, WIDE_WORKLOADS, type SeededResult } from './cadenceTails.js';

// -------------------------------------------------------------------------------------
// the optimal rule on a histogram
// -------------------------------------------------------------------------------------

/** Grid points per histogram bin (a bin is 3.5 % of its start), and the finest step where bins are narrower. */
const POINTS_PER_BIN = 8;
const FINEST_STEP_MS = 100;

/** The learned histogram mixed with the prior, read anywhere: CDF linear in a bin, its integral quadratic. */
interface Mix {
  cdf(ms: number): number;
  integral(ms: number): number;
}

function mixOf(durations: DurationHistogram, priorShare: number): Mix {
  const learned = (1 - priorShare) / durations.weight;
  const cdfAt = (k: number): number => learned * (durations.cdf[k] as number) + priorShare * (PRIOR.cdf[k] as number);
  const integralAt = (k: number): number => learned * (durations.cdfIntegral[k] as number) + priorShare * (PRIOR.cdfIntegral[k] as number);
  const read = (ms: number): { cdf: number; integral: number } => {
    if (ms >= LAST_EDGE_MS) return { cdf: cdfAt(HISTOGRAM_BINS), integral: integralAt(HISTOGRAM_BINS) + cdfAt(HISTOGRAM_BINS) * (ms - LAST_EDGE_MS) };
    const k = binOf(Math.max(0, ms));
    const offset = Math.max(0, ms) - (EDGES[k] as number);
    const slope = (cdfAt(k + 1) - cdfAt(k)) / ((EDGES[k + 1] as number) - (EDGES[k] as number));
    return { cdf: Math.min(1, cdfAt(k) + slope * offset), integral: integralAt(k) + cdfAt(k) * offset + (slope * offset * offset) / 2 };
  };
  return { cdf: (ms) => read(ms).cdf, integral: (ms) => read(ms).integral };
}

/** The longest gap after a poll at `now` (planNextPoll's cap: `maxInterval x maxIntervalFactor`, young keys `maxInterval`, and the lag bound). */
function capAt(now: number, observations: number, settings: CadenceSettings): number {
  const longest = observations < YOUNG_KEY_OBSERVATIONS ? settings.maxInterval : settings.maxInterval * settings.maxIntervalFactor;
  return Math.min(longest, Math.max(settings.maxLag, settings.maxLagShare * now));
}

/** The dynamic programme's result for one histogram, price and bounds: the value of being at each grid point. */
interface Policy {
  readonly mix: Mix;
  readonly grid: Float64Array;
  readonly cdf: Float64Array;
  readonly integral: Float64Array;
  /** Expected price x polls + lag from a poll at grid point i on, over every task (not conditioned on survival). */
  readonly value: Float64Array;
}

/** The grid: `FINEST_STEP_MS` apart while bins are narrower, then `POINTS_PER_BIN` per bin, to the horizon (included). */
function gridTo(horizon: number): Float64Array {
  const points: number[] = [];
  const share = (2 ** (1 / 20) - 1) / POINTS_PER_BIN;
  for (let at = 0; at < horizon; at += Math.max(FINEST_STEP_MS, at * share)) points.push(at);
  points.push(horizon);
  return Float64Array.from(points);
}

/** The value at any `ms` within the grid, linear between points. */
function valueAt(policy: Policy, ms: number): number {
  const { grid, value } = policy;
  let low = 0;
  let high = grid.length - 1;
  if (ms >= (grid[high] as number)) return 0;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if ((grid[middle] as number) <= ms) low = middle;
    else high = middle;
  }
  const share = (ms - (grid[low] as number)) / ((grid[high] as number) - (grid[low] as number));
  return (value[low] as number) + share * ((value[high] as number) - (value[low] as number));
}

/** Backward from the horizon: from each point, the best next poll among the grid points the bounds allow and the cap's own end. */
function solve(durations: DurationHistogram, price: number, settings: CadenceSettings): Policy {
  const mix = mixOf(durations, settings.priorShare);
  const horizon = Math.min(settings.timeout, LAST_EDGE_MS);
  const grid = gridTo(horizon);
  const n = grid.length;
  const cdf = Float64Array.from(grid, (ms) => mix.cdf(ms));
  const integral = Float64Array.from(grid, (ms) => mix.integral(ms));
  const value = new Float64Array(n);
  const policy: Policy = { mix, grid, cdf, integral, value };
  // Two pointers: the reachable range [t + interval, t + cap] only moves down as t does.
  let first = n - 1;
  let last = n - 1;
  for (let i = n - 2; i >= 0; i -= 1) {
    const t = grid[i] as number;
    const f = cdf[i] as number;
    const reach = t + capAt(t, durations.observations, settings);
    while (first > i + 1 && (grid[first - 1] as number) >= t + settings.interval) first -= 1;
    while (last > i + 1 && (grid[last] as number) > reach) last -= 1;
    const lagTo = (j: number): number => (integral[j] as number) - (integral[i] as number) - ((grid[j] as number) - t) * f;
    let best = Number.POSITIVE_INFINITY;
    for (let j = Math.min(first, last); j <= last; j += 1) best = Math.min(best, lagTo(j) + (value[j] as number));
    if (reach < horizon && reach > (grid[last] as number)) best = Math.min(best, mix.integral(reach) - (integral[i] as number) - (reach - t) * f + valueAt(policy, reach));
    value[i] = price * (1 - f) + best;
  }
  return policy;
}

/** Policies per histogram version (immutable: a new observation makes a new one), per price and bounds. */
const policies = new WeakMap<DurationHistogram, Map<string, Policy>>();
/** Dynamic programmes solved so far (for the cost report). */
let solved = 0;

function policyFor(durations: DurationHistogram, price: number, settings: CadenceSettings): Policy {
  const key = `${price}|${settings.priorShare}|${settings.interval}|${settings.maxInterval}|${settings.maxIntervalFactor}|${settings.maxLag}|${settings.maxLagShare}|${settings.timeout}`;
  const byKey = policies.get(durations) ?? new Map<string, Policy>();
  policies.set(durations, byKey);
  let policy = byKey.get(key);
  if (policy === undefined) {
    policy = solve(durations, price, settings);
    solved += 1;
    byKey.set(key, policy);
  }
  return policy;
}

/**
 * planNextPoll's contract with the optimal rule: the backoff without durations; otherwise the next poll
 * that minimises `pollPrice / pending x E[polls] + E[lag]` from `elapsed` on, given survival (the price
 * shared among the pending generations as planNextPoll shares it), then the same jitter and bounds.
 */
export function optimalNextPoll(durations: DurationHistogram | undefined, elapsed: number, pending: number, attempt: number, settings: CadenceSettings): NextPollPlan {
  if (durations === undefined || !(durations.weight > 0) || !(pending > 0)) return { delay: backoffDelay(attempt, settings, settings.random), reason: 'backoff', chance: undefined };
  const now = Math.max(0, elapsed);
  const policy = policyFor(durations, settings.pollPrice / pending, settings);
  const { mix, grid } = policy;
  const cdfNow = mix.cdf(now);
  const survival = 1 - cdfNow;
  if (!(survival > 1e-12)) return { delay: backoffDelay(attempt, settings, settings.random), reason: 'backoff', chance: undefined };
  const integralNow = mix.integral(now);
  const cap = capAt(now, durations.observations, settings);
  const horizon = grid[grid.length - 1] as number;
  let best = Number.POSITIVE_INFINITY;
  let at = Math.min(now + cap, horizon);
  const consider = (ms: number, value: number): void => {
    const total = mix.integral(ms) - integralNow - (ms - now) * cdfNow + value;
    if (total < best) {
      best = total;
      at = ms;
    }
  };
  let j = 0;
  let high = grid.length - 1;
  while (j < high) {
    const middle = (j + high) >>> 1;
    if ((grid[middle] as number) < now + settings.interval) j = middle + 1;
    else high = middle;
  }
  for (; j < grid.length && (grid[j] as number) <= now + cap; j += 1) consider(grid[j] as number, policy.value[j] as number);
  if (now + cap < horizon) consider(now + cap, valueAt(policy, now + cap));
  let reason: NextPollPlan['reason'] = 'learned';
  // Jitter moves a learned poll earlier, not the cap's: as in planNextPoll, whose raw gap is far past
  // the cap where the bound forces the polls (the programme picks the cap's end exactly there).
  const shift = settings.jitter > 0 ? 1 - settings.jitter * settings.random() : 1;
  let delay = at >= now + cap ? cap : (at - now) * shift;
  if (delay >= cap) {
    delay = cap;
    reason = 'cap';
  }
  if (delay < settings.interval) {
    delay = settings.interval;
    reason = 'floor';
  }
  if (delay > settings.timeout - now) {
    delay = Math.max(0, settings.timeout - now);
    reason = 'deadline';
  }
  const stillPending = (1 - mix.cdf(now + delay)) / survival;
  return { delay, reason, chance: 1 - Math.max(0, stillPending) ** pending };
}

// -------------------------------------------------------------------------------------
// wired as a watch's planner (bench only)
// -------------------------------------------------------------------------------------

/**
 * A watch's planner that places its polls with {@link optimalNextPoll}: what it teaches the store, the
 * overdue report and re-reading after a speed change are the product's (a WatchCadence beside it, on a
 * random stream of its own so that it takes no draw from the watch's).
 */
class OptimalWatch implements CadencePlanner {
  private readonly product: WatchCadence;
  private readonly settings: CadenceSettings;
  private durations: DurationHistogram | undefined;

  constructor(
    private readonly store: Cadence,
    private readonly key: string,
    private readonly origin: number,
    deadline: number,
    settings: WatchScheduleSettings,
  ) {
    this.product = new WatchCadence(store, key, origin, deadline, { ...settings, random: mulberry32(origin) }, undefined);
    const { interval, multiplier, maxInterval, jitter, random } = settings;
    this.settings = { interval, multiplier, maxInterval, jitter, random, timeout: deadline - origin, ...store.tuning };
    this.durations = store.summary(key);
  }

  learn(finished: number, from: number | undefined, to: number): void {
    this.product.learn(finished, from, to);
  }

  safetyNet(): number | undefined {
    return undefined;
  }

  first(pending: number, now: number, initialDelay: number): number | undefined {
    const plan = this.plan(0, pending, now);
    return plan.reason === 'backoff' ? undefined : Math.max(initialDelay, plan.delay);
  }

  plan(attempt: number, pending: number, now: number): NextPollPlan {
    // The product's side effects (an overdue task reported, a speed change read), then the optimal rule.
    if (attempt > 0) this.product.plan(attempt, pending, now);
    const latest = this.store.summary(this.key);
    if (latest !== undefined && latest.shifts > (this.durations?.shifts ?? 0)) this.durations = latest;
    const plan = optimalNextPoll(this.durations, now - this.origin, pending, attempt, this.settings);
    return plan.reason === 'backoff' ? plan : { ...plan, delay: Math.round(plan.delay) };
  }
}

/** A learning store (`halfLife`, `pollPrice`) whose watches plan with the optimal rule. */
function optimalStore(tuning: Partial<CadenceTuning>, halfLife: number): Cadence {
  const learning = createCadence({ ...tuning, halfLife });
  const store: Cadence = { ...learning, plannerFor: (key, origin, deadline, settings) => new OptimalWatch(store, key, origin, deadline, settings) };
  return store;
}

// -------------------------------------------------------------------------------------
// the lever table
// -------------------------------------------------------------------------------------

/** A planner under test: the product's price rule or the optimal one, at a price and half-life. */
interface Setting {
  readonly rule: 'price rule' | 'optimal';
  readonly price: number;
  readonly halfLife: number;
}

function videoStrategy(setting: Setting, seed: number): Strategy {
  const store = setting.rule === 'optimal' ? optimalStore({ pollPrice: setting.price }, setting.halfLife) : createCadence({ pollPrice: setting.price, halfLife: setting.halfLife });
  return learnedStrategy(mulberry32(seed), {}, store, RUN_WATCH_DEFAULTS['videoInference'], `learned, ${setting.rule}`);
}

const ALL_TAIL_WORKLOADS: ReadonlyArray<Workload> = [...STEADY_WORKLOADS, ...DRIFT_WORKLOADS, ...WIDE_WORKLOADS, ...FIRST_MINUTE_WORKLOADS];

/** Every tail workload under `setting`, six seeds, with the official cadence on the first minute (what tailTargets compares). */
function tailResults(setting: Setting, workloads: ReadonlyArray<Workload> = ALL_TAIL_WORKLOADS): SeededResult[] {
  const results: SeededResult[] = [];
  for (const workload of workloads) {
    const runs = TAIL_SEEDS.map((seed) => simulate(workload, videoStrategy(setting, seed), seed));
    results.push({ workload: workload.name, strategy: (runs[0] as WorkloadResult).strategy, runs });
    if (FIRST_MINUTE_WORKLOADS.includes(workload)) {
      const official = TAIL_SEEDS.map((seed) => simulate(workload, officialSdkStrategy(), seed));
      results.push({ workload: workload.name, strategy: (official[0] as WorkloadResult).strategy, runs: official });
    }
  }
  return results;
}

/** The old uniform 30-240 s workload of `BENCH=cadence`. */
const UNIFORM = WORKLOADS.find((each) => each.name.startsWith('uniform')) as Workload;

/** The old uniform 30-240 s workload (watch defaults): polls against the plain defaults', worst seed (as `BENCH=frontier` prints it). */
function uniformRatio(setting: Setting): number {
  const ratios = TAIL_SEEDS.map((seed) => {
    const store = setting.rule === 'optimal' ? optimalStore({ pollPrice: setting.price }, setting.halfLife) : createCadence({ pollPrice: setting.price, halfLife: setting.halfLife });
    return simulate(UNIFORM, learnedStrategy(mulberry32(seed), {}, store), seed).warm.pollsPerTask / simulate(UNIFORM, defaultsStrategy(mulberry32(seed)), seed).warm.pollsPerTask;
  });
  return Math.max(...ratios);
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function worstOf(results: ReadonlyArray<SeededResult>, name: string, pick: (run: WorkloadResult) => number): number {
  const found = results.find((result) => result.workload === name && result.strategy.includes('learned'));
  return Math.max(...(found?.runs ?? []).map(pick));
}

/** One row: steady polls / mean lag / p99, drifts' polls / lag, the lag bound, first-minute seeds met, the uniform ratio, every target. */
function settingRow(setting: Setting): string {
  const solvedBefore = solved;
  const results = tailResults(setting);
  const steady = STEADY_WORKLOADS.map((w) => `${fixed(worstOf(results, w.name, (r) => r.warm.pollsPerTask))} / ${fixed(worstOf(results, w.name, (r) => r.warm.meanLag) / 1000, 3)} / ${fixed(worstOf(results, w.name, (r) => r.warm.p99Lag) / 1000)}`);
  const drifts = DRIFT_WORKLOADS.map((w) => `${fixed(worstOf(results, w.name, (r) => r.warm.pollsPerTask))} / ${fixed(worstOf(results, w.name, (r) => r.warm.meanLag) / 1000)}`);
  const over = Math.max(...results.filter((r) => r.strategy.includes('learned')).map((r) => Math.max(...r.runs.map((run) => run.all.worstOverBound))));
  const targets = tailTargets(results);
  const firstMinute = targets.lines.filter((line) => line.includes('first minute')).map((line) => /(\d+)\/(\d+) seeds/.exec(line)?.[1] ?? '?');
  const uniform = uniformRatio(setting);
  const tasks = TAIL_SEEDS.length * [...ALL_TAIL_WORKLOADS, UNIFORM].reduce((sum, workload) => sum + workload.tasks, 0);
  const missed = targets.lines.filter((line) => line.endsWith('**missed** |')).length;
  return `| ${setting.rule} | ${setting.halfLife} | ${setting.price} | ${steady.join(' | ')} | ${drifts.join(' | ')} | ${over <= 0 ? 'kept' : `${fixed(over / 1000)} s over`} | ${firstMinute.join('; ')} | ${fixed(uniform, 3)}x | ${missed === 0 ? 'every target' : `${missed} missed`} | ${fixed((solved - solvedBefore) / tasks)} |`;
}

/**
 * The settings of the table: today's default, then the optimal rule by price at today's `halfLife` and at
 * 80 (the longer memory measured before). `OPTIMAL_SETTINGS=halfLife:price,...` runs others.
 */
function settingsFromEnvironment(): Setting[] {
  const pairs = (process.env['OPTIMAL_SETTINGS'] ?? '20:150,20:170,20:180,20:190,80:170,80:180').split(',').map((pair) => pair.split(':').map(Number));
  return [{ rule: 'price rule', price: 190, halfLife: 20 }, ...pairs.map(([halfLife, price]): Setting => ({ rule: 'optimal', price: price as number, halfLife: halfLife as number }))];
}

// -------------------------------------------------------------------------------------
// CPU cost
// -------------------------------------------------------------------------------------

/** A learned histogram from a steady run (the normal tails' slow model), to time plans on. */
function trainedHistogram(): DurationHistogram {
  const store = createCadence();
  const workload = STEADY_WORKLOADS[0] as Workload;
  simulate(workload, learnedStrategy(mulberry32(13), {}, store, RUN_WATCH_DEFAULTS['videoInference']), 13);
  return store.summary(workload.models[2]?.key ?? '') as DurationHistogram;
}

function timePerCall(run: () => void, atLeastMs = 300): number {
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < atLeastMs) {
    for (let i = 0; i < 100; i += 1) run();
    calls += 100;
  }
  return (performance.now() - started) / calls;
}

/** Time per plan (price rule; optimal with the programme cached) and per programme, in µs, and their ratios to the price rule's plan. */
function costRow(): string {
  const durations = trainedHistogram();
  const { interval, multiplier, maxInterval, jitter, timeout } = { ...DEFAULT_WATCH_SETTINGS, ...RUN_WATCH_DEFAULTS['videoInference'] };
  const settings: CadenceSettings = { interval, multiplier, maxInterval, jitter, timeout, random: mulberry32(1), ...DEFAULT_CADENCE_TUNING };
  const ages = Array.from({ length: 64 }, (_, i) => 3000 + i * 3000);
  let sink = 0;
  let at = 0;
  const rule = timePerCall(() => (sink += planNextPoll(durations, ages[(at += 1) % ages.length] as number, 1, 5, settings).delay));
  const cached = timePerCall(() => (sink += optimalNextPoll(durations, ages[(at += 1) % ages.length] as number, 1, 5, settings).delay));
  const recompute = timePerCall(() => (sink += solve(durations, 190, settings).value[0] as number), 1000);
  const points = gridTo(settings.timeout).length;
  if (sink === 0.5) process.stderr.write('');
  const us = (ms: number): string => fixed(ms * 1000, 1);
  return `| ${us(rule)} µs | ${us(cached)} µs (${fixed(cached / rule, 1)}x) | ${us(recompute)} µs (${fixed(recompute / rule, 0)}x), ${points} grid points |`;
}

export function optimalReport(log: (line: string) => void = () => undefined): string {
  const out: string[] = [];
  out.push(`#### The optimal rule on the learned durations: worst of ${TAIL_SEEDS.length} seeds (${TAIL_SEEDS.join(', ')}), after the warm-up`);
  out.push('');
  const steadyHeads = STEADY_WORKLOADS.map((w) => `${w.name}: polls / mean lag (s) / p99 (s)`);
  const driftHeads = DRIFT_WORKLOADS.map((w) => `${w.name}: polls / mean lag (s)`);
  out.push(`| rule | halfLife | price (ms) | ${steadyHeads.join(' | ')} | ${driftHeads.join(' | ')} | lag bound | first minute, seeds met (4-16 s; 30-90 s) | uniform 30-240 s, polls vs the defaults' | targets | programmes solved per task |`);
  out.push(`|---|---:|---:|${'---:|'.repeat(steadyHeads.length + driftHeads.length)}---|---|---:|---|---:|`);
  for (const setting of settingsFromEnvironment()) {
    log(`${setting.rule}, halfLife ${setting.halfLife}, price ${setting.price}`);
    out.push(settingRow(setting));
  }
  out.push('');
  out.push('#### CPU per plan (the normal tails\' slow model, learned; ages 3 s to 192 s), in this process');
  out.push('');
  out.push('| price rule (planNextPoll) | optimal, programme cached | optimal, one programme solved |');
  out.push('|---:|---:|---:|');
  out.push(costRow());
  return out.join('\n');
}
