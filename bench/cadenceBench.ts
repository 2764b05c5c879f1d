/**
 * The learned cadence's part of `npm run bench` (alone: `BENCH=cadence npm run bench`): the virtual-time
 * workloads of cadenceWorkload.ts under four schedules, and the cost of the schedule's two operations.
 * Returns Markdown (docs/performance.md, "Learned cadence", holds the latest).
 */
import { createCadence } from '../src/cadence/createCadence.js';
import { DEFAULT_CADENCE_TUNING, planNextPoll, type CadenceSettings } from '../src/cadence/planNextPoll.js';
import { DEFAULT_WATCH_SETTINGS } from '../src/watch/settings.js';
import { mulberry32 } from '../src/simulator/random.js';
import { defaultsStrategy, fixedStrategy, learnedStrategy, officialSdkStrategy, simulate, WORKLOADS, type Figures, type WorkloadResult } from './cadenceWorkload.js';
import { simulateWired } from './cadenceWired.js';
import { BATCH_TASKS, batchBench, type BatchResult } from './cadenceBatch.js';
import { timePerCall } from './timePerCall.js';

const SEED = 13;

export interface CadenceCosts {
  /** Nanoseconds to decide the next delay from a learned histogram. */
  readonly planNanos: number;
  /** Nanoseconds to learn one finished generation (`cadence.observe`). */
  readonly observeNanos: number;
}

/** The two operations of the learned cadence, on a key that has learned 200 generations of a 90 s model. */
export function cadenceCosts(budgetMs = 400): CadenceCosts {
  const cadence = createCadence();
  const random = mulberry32(SEED);
  for (let n = 0; n < 200; n += 1) {
    const finish = 80_000 + 20_000 * random();
    cadence.observe('bench', finish - 1500 * random(), finish + 1500 * random());
  }
  const settings: CadenceSettings = { ...DEFAULT_WATCH_SETTINGS, random, ...DEFAULT_CADENCE_TUNING };
  const durations = cadence.summary('bench');
  // Elapsed times from the first poll to past the learned finishes: the search's long and short cases alike.
  const elapsed = [1000, 31_000, 61_000, 79_000, 84_000, 88_000, 93_000, 97_000, 101_000, 130_000];
  let at = 0;
  const planNanos = timePerCall(() => planNextPoll(durations, elapsed[(at = (at + 1) % elapsed.length)] as number, 1, 3, settings), budgetMs);
  const observeNanos = timePerCall(() => cadence.observe('bench', 88_000, 90_000), budgetMs);
  return { planNanos, observeNanos };
}

export interface CadenceBench {
  readonly results: ReadonlyArray<WorkloadResult>;
  /** A batch submitted together through the client (cadenceBatch.ts). */
  readonly batch: ReadonlyArray<BatchResult>;
  readonly costs: CadenceCosts;
}

/**
 * Every workload under every schedule, then a batch submitted together, then the costs; on the first workload, also the real `watchTask`
 * wired to a store, to show it matches the pure simulation. About 15 s.
 */
export function cadenceBench(): CadenceBench {
  const results: WorkloadResult[] = [];
  for (const workload of WORKLOADS) {
    // Each schedule gets the same seeded jitter and the same seeded tasks; the learned one a fresh store.
    const strategies = [defaultsStrategy(mulberry32(SEED)), officialSdkStrategy(), fixedStrategy(2000), learnedStrategy(mulberry32(SEED))];
    for (const strategy of strategies) results.push(simulate(workload, strategy, SEED));
    if (workload === WORKLOADS[0]) results.push(simulateWired(workload, SEED));
  }
  return { results, batch: batchBench(SEED), costs: cadenceCosts() };
}

/** The Markdown section of the report. */
export function cadenceReport({ results, batch, costs }: CadenceBench): string {
  const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const seconds = (ms: number): string => fixed(ms / 1000);
  const out: string[] = [];
  out.push('#### Learned cadence: virtual-time workloads (after the warm-up: the first 10 % of tasks left out)');
  out.push('');
  out.push('| workload | schedule | polls per task | mean lag (s) | p95 lag (s) | polls vs defaults | mean lag vs defaults |');
  out.push('|---|---|---:|---:|---:|---:|---:|');
  const defaultsOf = (workload: string): WorkloadResult | undefined => results.find((result) => result.workload === workload && result.strategy === 'runware-rx defaults');
  const row = (result: WorkloadResult, pick: (result: WorkloadResult) => Figures): string => {
    const figures = pick(result);
    const base = defaultsOf(result.workload);
    const baseFigures = base === undefined ? undefined : pick(base);
    const ratio = (value: number, of: number | undefined): string => (of === undefined ? 'n/a' : `${fixed(value / of, 3)}x`);
    return `| ${result.workload} | ${result.strategy} | ${fixed(figures.pollsPerTask)} | ${seconds(figures.meanLag)} | ${seconds(figures.p95Lag)} | ${ratio(figures.pollsPerTask, baseFigures?.pollsPerTask)} | ${ratio(figures.meanLag, baseFigures?.meanLag)} |`;
  };
  for (const result of results) out.push(row(result, (each) => each.warm));
  out.push('');
  out.push('#### Learned cadence: cold start (the first 10 % of tasks, the store empty at the first)');
  out.push('');
  out.push('| workload | schedule | polls per task | mean lag (s) | p95 lag (s) | polls vs defaults | mean lag vs defaults |');
  out.push('|---|---|---:|---:|---:|---:|---:|');
  for (const result of results) if (result.strategy === 'learned cadence' || result.strategy === 'runware-rx defaults') out.push(row(result, (each) => each.cold));
  out.push('');
  out.push(`#### Learned cadence: a batch submitted together (one client runs ${BATCH_TASKS} videos of one model at once, 30-240 s)`);
  out.push('');
  out.push('| schedule | polls per task | mean lag (s) | p95 lag (s) | shortest gap (s) | polls vs backoff | mean lag vs backoff |');
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  const backoff = batch.find((result) => result.schedule.startsWith('cadence: false'))?.figures;
  for (const { schedule, figures, shortestGap } of batch) {
    const ratio = (value: number, of: number | undefined): string => (of === undefined ? 'n/a' : `${fixed(value / of, 3)}x`);
    out.push(`| ${schedule} | ${fixed(figures.pollsPerTask)} | ${seconds(figures.meanLag)} | ${seconds(figures.p95Lag)} | ${seconds(shortestGap)} | ${ratio(figures.pollsPerTask, backoff?.pollsPerTask)} | ${ratio(figures.meanLag, backoff?.meanLag)} |`);
  }
  out.push('');
  out.push('#### Learned cadence: targets');
  out.push('');
  const learned = results.find((result) => result.workload === WORKLOADS[0]?.name && result.strategy === 'learned cadence')?.warm;
  const mark = (pass: boolean): string => (pass ? 'met' : '**missed**');
  out.push('| target | measured | |');
  out.push('|---|---:|---|');
  if (learned !== undefined) {
    out.push(`| three video models: mean lag <= 1.0 s | ${seconds(learned.meanLag)} s | ${mark(learned.meanLag <= 1000)} |`);
    out.push(`| three video models: <= 12 polls per task | ${fixed(learned.pollsPerTask)} | ${mark(learned.pollsPerTask <= 12)} |`);
  }
  const uniform = WORKLOADS[WORKLOADS.length - 1]?.name;
  const uniformLearned = results.find((result) => result.workload === uniform && result.strategy === 'learned cadence')?.warm;
  const uniformDefaults = uniform === undefined ? undefined : defaultsOf(uniform)?.warm;
  if (uniformLearned !== undefined && uniformDefaults !== undefined) {
    const noWorse = uniformLearned.pollsPerTask <= uniformDefaults.pollsPerTask && uniformLearned.meanLag <= uniformDefaults.meanLag;
    out.push(`| uniform 30-240 s: polls and mean lag no worse than the defaults | ${fixed(uniformLearned.pollsPerTask / uniformDefaults.pollsPerTask, 3)}x polls, ${fixed(uniformLearned.meanLag / uniformDefaults.meanLag, 3)}x lag | ${mark(noWorse)} |`);
  }
  const fresh = batch[0]?.figures;
  if (fresh !== undefined && backoff !== undefined) {
    out.push(`| batch submitted together, store empty: polls no more than the backoff | ${fixed(fresh.pollsPerTask / backoff.pollsPerTask, 3)}x polls | ${mark(fresh.pollsPerTask <= backoff.pollsPerTask)} |`);
  }
  out.push(`| deciding the next delay < 1 µs | ${fixed(costs.planNanos / 1000, 3)} µs | ${mark(costs.planNanos < 1000)} |`);
  out.push(`| learning from a finished generation < 100 µs | ${fixed(costs.observeNanos / 1000, 3)} µs | ${mark(costs.observeNanos < 100_000)} |`);
  return out.join('\n');
}
