/**
 * The trade-off behind the cadence's targets (docs/performance.md, "What one price can meet"): the
 * learned schedule at several `pollPrice`s on the workloads whose targets pull apart, worst of the tail
 * seeds; the same schedule told each generation's exact duration (no interval), or planning from the true
 * durations (nothing learned), which splits the learner's loss from the rule's; beside the best any
 * schedule could do that knows each model's true durations and keeps the lag bound (an oracle, computed
 * by dynamic programming). Run with `BENCH=frontier npm run bench`; about a minute.
 */
import { RUN_WATCH_DEFAULTS } from '../src/client/runWatchDefaults.js';
import { createCadence, type Cadence } from '../src/cadence/createCadence.js';
import { EDGES, fromCdf, HISTOGRAM_EDGES } from '../src/cadence/durationHistogram.js';
import { WatchCadence } from '../src/cadence/watchCadence.js';
import { mulberry32 } from '../src/simulator/random.js';
import { defaultsStrategy, learnedStrategy, planTasks, simulate, WORKLOADS, type ModelTimes, type Strategy, type Workload, type WorkloadResult } from './cadenceWorkload.js';
import { DRIFT_WORKLOADS, STEADY_WORKLOADS, TAIL_SEEDS } from './cadenceTails.js';

/** The prices swept: the default (190) and either side of it. */
const PRICES: ReadonlyArray<number> = [170, 190, 210, 230];

/** A distribution function of durations in ms. */
type Cdf = (ms: number) => number;

/** Abramowitz-Stegun 7.1.26 (error below 1.5e-7): ample for a lower bound read to two decimals. */
function erf(x: number): number {
  const sign = Math.sign(x);
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  return sign * (1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z));
}

const normal = (mean: number, sd: number): Cdf => (ms) => 0.5 * (1 + erf((ms - mean) / (sd * Math.SQRT2)));
const logNormal = (median: number, sigma: number): Cdf => (ms) => (ms <= 0 ? 0 : 0.5 * (1 + erf(Math.log(ms / median) / (sigma * Math.SQRT2))));

/** The workloads' models as true distributions (the slow drift: half the tasks 30 % longer, spread included). */
const ORACLE_MODELS: ReadonlyArray<{ name: string; models: ReadonlyArray<Cdf> }> = [
  { name: STEADY_WORKLOADS[0]?.name ?? 'normal', models: [normal(45_000, 3000), normal(90_000, 6000), normal(180_000, 9000)] },
  { name: STEADY_WORKLOADS[1]?.name ?? 'log-normal', models: [logNormal(12_000, 0.12), logNormal(40_000, 0.08), logNormal(100_000, 0.07), logNormal(200_000, 0.06)] },
  {
    name: DRIFT_WORKLOADS[0]?.name ?? 'slower',
    models: [normal(45_000, 3000), normal(90_000, 6000), normal(180_000, 9000), normal(58_500, 3900), normal(117_000, 7800), normal(234_000, 11_700)],
  },
];

/**
 * The schedule minimising `price * E[polls] + E[lag]` for a task whose duration has distribution `cdf`,
 * with every gap after a poll at `a` at most max(12 s, a / 4) (the lag bound) and polls on a 100 ms grid:
 * its expected polls and lag. No schedule that keeps the bound does better on both.
 */
export function oracleSchedule(cdf: Cdf, price: number): { polls: number; lag: number } {
  const step = 100;
  let horizon = 1000;
  while (cdf(horizon) < 1 - 1e-9) horizon *= 1.25;
  const n = Math.ceil(horizon / step);
  const at = Float64Array.from({ length: n + 1 }, (_, i) => cdf(i * step));
  const integral = new Float64Array(n + 1);
  for (let i = 1; i <= n; i += 1) integral[i] = (integral[i - 1] as number) + (((at[i] as number) + (at[i - 1] as number)) / 2) * step;
  // Lag accrued from a poll at grid point a to one at b, over every task (finished or not at a).
  const lag = (a: number, b: number): number => (integral[b] as number) - (integral[a] as number) - (b - a) * step * (at[a] as number);
  const cost = new Float64Array(n + 1);
  const next = new Int32Array(n + 1);
  for (let a = n - 1; a >= 0; a -= 1) {
    const reach = Math.min(n, a + Math.floor(Math.max(12_000, (a * step) / 4) / step));
    let best = Number.POSITIVE_INFINITY;
    for (let b = a + 1; b <= reach; b += 1) {
      const total = price * (1 - (at[a] as number)) + lag(a, b) + (cost[b] as number);
      if (total < best) {
        best = total;
        next[a] = b;
      }
    }
    cost[a] = best;
  }
  let polls = 0;
  let lagSum = 0;
  for (let a = 0; a < n; a = next[a] as number) {
    polls += 1 - (at[a] as number);
    lagSum += lag(a, next[a] as number);
  }
  return { polls, lag: lagSum };
}

const fixed = (value: number, digits = 2): string => value.toFixed(digits);

// -------------------------------------------------------------------------------------
// where the learner loses (the rule on the true durations, the learner told the exact durations)
// -------------------------------------------------------------------------------------

/** A model's true distribution function (the bench draws normal durations cut at 1 s: the cut is left out). */
function cdfOf(model: ModelTimes): Cdf {
  return model.shape === 'lognormal' ? logNormal(model.mean, model.spread) : normal(model.mean, model.spread);
}

/** A store that knows each model's true durations (as a histogram on the store's bins) and learns nothing. */
function trueDurationsStore(workload: Workload, price: number): Cadence {
  const known = new Map(workload.models.map((model) => [model.key, fromCdf(Float64Array.from({ length: HISTOGRAM_EDGES }, (_, k) => cdfOf(model)(EDGES[k] as number)), 1000)]));
  const store: Cadence = {
    ...createCadence({ pollPrice: price }),
    observe: () => undefined,
    summary: (key) => known.get(key),
    plannerFor: (key, origin, deadline, settings, safetyNetPending) => new WatchCadence(store, key, origin, deadline, settings, safetyNetPending),
  };
  return store;
}

/** A store that learns each generation at its exact duration (a point) instead of between two polls: one-generation workloads. */
function exactDurationsStore(workload: Workload, seed: number, price: number): Cadence {
  const durationByStart = new Map(planTasks(workload, seed).map((task) => [task.start, task.finishes[0] as number]));
  const learning = createCadence({ pollPrice: price });
  const store: Cadence = {
    ...learning,
    observe: (key, from, to, startedAt) => {
      const duration = startedAt === undefined ? undefined : durationByStart.get(startedAt);
      learning.observe(key, duration ?? from, duration ?? to, startedAt);
    },
    plannerFor: (key, origin, deadline, settings, safetyNetPending) => new WatchCadence(store, key, origin, deadline, settings, safetyNetPending),
  };
  return store;
}

type StrategyMaker = (workload: Workload, seed: number, price: number) => Strategy;

const LOSS_SOURCES: ReadonlyArray<{ name: string; make: StrategyMaker }> = [
  { name: 'learned (the default)', make: (_, seed, price) => learnedStrategy(mulberry32(seed), { pollPrice: price }, undefined, RUN_WATCH_DEFAULTS['videoInference']) },
  { name: 'learned from exact durations', make: (workload, seed, price) => learnedStrategy(mulberry32(seed), {}, exactDurationsStore(workload, seed, price), RUN_WATCH_DEFAULTS['videoInference']) },
  { name: 'true durations, nothing learned', make: (workload, seed, price) => learnedStrategy(mulberry32(seed), {}, trueDurationsStore(workload, price), RUN_WATCH_DEFAULTS['videoInference']) },
];

function lossRow(workload: Workload, source: { name: string; make: StrategyMaker }, price: number): string {
  const runs: WorkloadResult[] = TAIL_SEEDS.map((seed) => simulate(workload, source.make(workload, seed, price), seed));
  const worst = (pick: (run: WorkloadResult) => number): number => Math.max(...runs.map(pick));
  const mean = (pick: (run: WorkloadResult) => number): number => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const polls = (run: WorkloadResult): number => run.warm.pollsPerTask;
  const lag = (run: WorkloadResult): number => run.warm.meanLag / 1000;
  return `| ${workload.name} | ${source.name} | ${price} | ${fixed(worst(polls))} | ${fixed(worst(lag), 3)} | ${fixed(worst((run) => run.warm.p99Lag) / 1000)} | ${fixed(mean(polls))} | ${fixed(mean(lag), 3)} |`;
}

function learnedRow(workload: Workload, price: number): string {
  const runs = TAIL_SEEDS.map((seed) => simulate(workload, learnedStrategy(mulberry32(seed), { pollPrice: price }, undefined, RUN_WATCH_DEFAULTS['videoInference']), seed));
  const worst = (pick: (run: (typeof runs)[number]) => number): number => Math.max(...runs.map(pick));
  return `| ${workload.name} | ${price} | ${fixed(worst((run) => run.warm.pollsPerTask))} | ${fixed(worst((run) => run.warm.meanLag) / 1000)} | ${fixed(worst((run) => run.warm.p99Lag) / 1000)} |`;
}

/** The old uniform 30-240 s workload (watch defaults): polls against the plain defaults', worst seed. */
function uniformRow(price: number): string {
  const workload = WORKLOADS.find((each) => each.name.startsWith('uniform')) as Workload;
  const ratios = TAIL_SEEDS.map((seed) => simulate(workload, learnedStrategy(mulberry32(seed), { pollPrice: price }), seed).warm.pollsPerTask / simulate(workload, defaultsStrategy(mulberry32(seed)), seed).warm.pollsPerTask);
  return `| ${workload.name} (watch defaults), polls vs the defaults' | ${price} | ${fixed(Math.max(...ratios), 3)}x | | |`;
}

export function frontierReport(): string {
  const out: string[] = [];
  out.push(`#### What one price can meet: the learned cadence at several pollPrices, worst of ${TAIL_SEEDS.length} seeds (${TAIL_SEEDS.join(', ')}), after the warm-up`);
  out.push('');
  out.push('| workload | pollPrice (ms) | polls per task | mean lag (s) | p99 lag (s) |');
  out.push('|---|---:|---:|---:|---:|');
  for (const workload of [...STEADY_WORKLOADS, DRIFT_WORKLOADS[0] as Workload]) for (const price of PRICES) out.push(learnedRow(workload, price));
  for (const price of PRICES) out.push(uniformRow(price));
  out.push('');
  out.push(`#### Where the learner loses: the same schedule told the exact durations, or the true ones (${TAIL_SEEDS.length} seeds, after the warm-up)`);
  out.push('');
  out.push('| workload | durations the schedule plans from | pollPrice (ms) | polls per task (worst) | mean lag (s, worst) | p99 lag (s, worst) | polls per task (mean of seeds) | mean lag (s, mean of seeds) |');
  out.push('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const workload of STEADY_WORKLOADS) for (const source of LOSS_SOURCES) for (const price of source.name.startsWith('true') ? [180, 185, 190] : [190]) out.push(lossRow(workload, source, price));
  out.push('');
  out.push('#### The oracle: true durations known, lag bound kept (expected polls per task and mean lag, no jitter, no learning)');
  out.push('');
  out.push('| workload | price (ms) | polls per task | mean lag (s) |');
  out.push('|---|---:|---:|---:|');
  for (const { name, models } of ORACLE_MODELS) {
    for (const price of [130, 160, 190, 220, 260]) {
      const each = models.map((cdf) => oracleSchedule(cdf, price));
      const mean = (pick: (one: { polls: number; lag: number }) => number): number => each.reduce((sum, one) => sum + pick(one), 0) / each.length;
      out.push(`| ${name} | ${price} | ${fixed(mean((one) => one.polls))} | ${fixed(mean((one) => one.lag) / 1000, 3)} |`);
    }
  }
  return out.join('\n');
}
