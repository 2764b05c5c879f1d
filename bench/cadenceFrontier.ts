/**
 * The trade-off behind the cadence's targets (docs/performance.md, "What one price can meet"): the
 * learned schedule at several `pollPrice`s on the workloads whose targets pull apart, worst of the tail
 * seeds, beside the best any schedule could do that knows each model's true durations and keeps the lag
 * bound (an oracle, computed by dynamic programming). Run with `BENCH=frontier npm run bench`; about a minute.
 */
import { RUN_WATCH_DEFAULTS } from '../src/client/runWatchDefaults.js';
import { mulberry32 } from '../src/simulator/random.js';
import { defaultsStrategy, learnedStrategy, simulate, WORKLOADS, type Workload } from './cadenceWorkload.js';
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
