/**
 * The learned cadence on durations with tails, models that change speed, and a fresh client's first
 * minute (issue 23), across several seeds: the virtual-time simulation of cadenceWorkload.ts, each
 * workload run once per seed with a fresh store. Run alone with `BENCH=tails npm run bench`; part of
 * `BENCH=cadence` and of the full bench. docs/performance.md ("Learned cadence on real durations") holds the latest.
 *
 * The schedules are the ones `client.run` gives a video: its type defaults (RUN_WATCH_DEFAULTS) under the
 * learned cadence (the client's default) and without it (`cadence: false`), beside the official SDK's
 * fixed cadence.
 */
import { RUN_WATCH_DEFAULTS } from '../src/client/runWatchDefaults.js';
import { DEFAULT_WATCH_SETTINGS } from '../src/watch/settings.js';
import { backoffDelay } from '../src/schedule/backoff.js';
import { mulberry32, type Random } from '../src/simulator/random.js';
import { learnedStrategy, officialSdkStrategy, simulate, type Figures, type ModelTimes, type Strategy, type Workload, type WorkloadResult } from './cadenceWorkload.js';

/** Six seeds (1 to 5 and 13, the other benches' seed): every target must hold on each. */
export const TAIL_SEEDS: ReadonlyArray<number> = [1, 2, 3, 4, 5, 13];

/**
 * The three video models of the uniform workload (45 s, 90 s and 180 s), with the same standard
 * deviations (3, 6 and 9 s: 5 to 7 % of the mean) but Gaussian tails: one task in 370 lies beyond 3 sd.
 */
const NORMAL_MODELS: ReadonlyArray<ModelTimes> = [
  { key: 'videoInference|fast', mean: 45_000, spread: 3_000, shape: 'normal' },
  { key: 'videoInference|medium', mean: 90_000, spread: 6_000, shape: 'normal' },
  { key: 'videoInference|slow', mean: 180_000, spread: 9_000, shape: 'normal' },
];

/** Four models with log-normal durations (log-sd 0.06 to 0.12): a longer right tail, and a short model near the 12 s bound. */
const LOGNORMAL_MODELS: ReadonlyArray<ModelTimes> = [
  { key: 'videoInference|short', mean: 12_000, spread: 0.12, shape: 'lognormal' },
  { key: 'videoInference|fast', mean: 40_000, spread: 0.08, shape: 'lognormal' },
  { key: 'videoInference|medium', mean: 100_000, spread: 0.07, shape: 'lognormal' },
  { key: 'videoInference|slow', mean: 200_000, spread: 0.06, shape: 'lognormal' },
];

/** Wide tails (sd 13 % of the mean): no schedule meets the steady targets here (docs/performance.md gives the bound); shown, not targeted. */
const WIDE_MODELS: ReadonlyArray<ModelTimes> = [
  { key: 'videoInference|fast', mean: 45_000, spread: 6_000, shape: 'normal' },
  { key: 'videoInference|medium', mean: 90_000, spread: 12_000, shape: 'normal' },
  { key: 'videoInference|slow', mean: 180_000, spread: 24_000, shape: 'normal' },
];

/** Tasks arrive as a Poisson process, one every 2 s on average: about 60 to 100 in flight at once. */
const STEADY = { tasks: 2000, generations: 1, arrivalGap: 2000, poisson: true } as const;

/** The steady workloads: targets <= 12 polls per task, mean lag <= 1.0 s, p99 <= 5 s (after the 10 % warm-up). */
export const STEADY_WORKLOADS: ReadonlyArray<Workload> = [
  { name: 'normal tails, three models', models: NORMAL_MODELS, drift: 1, ...STEADY },
  { name: 'log-normal tails, four models', models: LOGNORMAL_MODELS, drift: 1, ...STEADY },
];

/** Shown beside the targets, not held to them (only to the lag bound): the issue's targets are for one-generation tasks. */
export const WIDE_WORKLOADS: ReadonlyArray<Workload> = [
  { name: 'normal tails, two generations per task', models: NORMAL_MODELS, drift: 1, ...STEADY, generations: 2 },
  { name: 'wide normal tails (sd 13 %), three models', models: WIDE_MODELS, drift: 1, ...STEADY },
  { name: 'uniform 30-240 s, one model', models: [{ key: 'videoInference|any', mean: 135_000, spread: 105_000 }], drift: 1, ...STEADY },
];

/** A model 30 % slower or faster from half-way: targets <= 13 polls per task, mean lag <= 1.5 s. */
export const DRIFT_WORKLOADS: ReadonlyArray<Workload> = [
  { name: 'normal tails, 30 % slower from half-way', models: NORMAL_MODELS, drift: 1.3, ...STEADY },
  { name: 'normal tails, 30 % faster from half-way', models: NORMAL_MODELS, drift: 0.7, ...STEADY },
  { name: 'log-normal tails, 30 % slower from half-way', models: LOGNORMAL_MODELS, drift: 1.3, ...STEADY },
  { name: 'log-normal tails, 30 % faster from half-way', models: LOGNORMAL_MODELS, drift: 0.7, ...STEADY },
];

/** A fresh client's first minute: 24 videos started over 60 s, each one model, nothing learned before the first. */
export const FIRST_MINUTE_WORKLOADS: ReadonlyArray<Workload> = [
  { name: 'first minute: 24 videos of 4-16 s', models: [{ key: 'videoInference|short', mean: 10_000, spread: 6_000 }], tasks: 24, generations: 1, drift: 1, arrivalGap: 2500, poisson: true },
  { name: 'first minute: 24 videos of 30-90 s', models: [{ key: 'videoInference|long', mean: 60_000, spread: 30_000 }], tasks: 24, generations: 1, drift: 1, arrivalGap: 2500, poisson: true },
];

const VIDEO_DEFAULTS = { ...DEFAULT_WATCH_SETTINGS, ...RUN_WATCH_DEFAULTS['videoInference'] };

/** `client.run` of a video with `cadence: false`: its type's backoff. */
function videoBackoffStrategy(random: Random): Strategy {
  const schedule = { next: ({ attempt }: { attempt: number }) => backoffDelay(attempt, VIDEO_DEFAULTS, random), learn: () => undefined };
  return { name: 'run() video backoff (cadence: false)', initialDelay: VIDEO_DEFAULTS.initialDelay, watch: () => schedule };
}

/** `client.run` of a video: its type's defaults under a fresh learned store. */
function videoLearnedStrategy(random: Random): Strategy {
  return learnedStrategy(random, {}, undefined, RUN_WATCH_DEFAULTS['videoInference'], 'run() video, learned cadence');
}

export interface SeededResult {
  readonly workload: string;
  readonly strategy: string;
  /** One per seed, in TAIL_SEEDS order. */
  readonly runs: ReadonlyArray<WorkloadResult>;
}

/** Every workload under the three schedules, once per seed. About 20 s. */
export function tailsBench(seeds: ReadonlyArray<number> = TAIL_SEEDS): SeededResult[] {
  const results: SeededResult[] = [];
  for (const workload of [...STEADY_WORKLOADS, ...DRIFT_WORKLOADS, ...WIDE_WORKLOADS, ...FIRST_MINUTE_WORKLOADS]) {
    const makers = [(random: Random) => videoLearnedStrategy(random), (random: Random) => videoBackoffStrategy(random), () => officialSdkStrategy()];
    for (const make of makers) {
      const runs = seeds.map((seed) => simulate(workload, make(mulberry32(seed)), seed));
      results.push({ workload: workload.name, strategy: (runs[0] as WorkloadResult).strategy, runs });
    }
  }
  return results;
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const seconds = (ms: number): string => fixed(ms / 1000);
const mark = (pass: boolean): string => (pass ? 'met' : '**missed**');
const worst = (runs: ReadonlyArray<WorkloadResult>, pick: (figures: Figures) => number, of: (run: WorkloadResult) => Figures = (run) => run.warm): number => Math.max(...runs.map((run) => pick(of(run))));
const mean = (runs: ReadonlyArray<WorkloadResult>, pick: (figures: Figures) => number, of: (run: WorkloadResult) => Figures): number => runs.reduce((sum, run) => sum + pick(of(run)), 0) / runs.length;

/** Whether every target holds on every seed (for the report and a quick check). */
export interface TailTargets {
  readonly lines: string[];
  readonly allMet: boolean;
}

export function tailTargets(results: ReadonlyArray<SeededResult>): TailTargets {
  const lines: string[] = [];
  let allMet = true;
  const line = (target: string, measured: string, pass: boolean): void => {
    allMet &&= pass;
    lines.push(`| ${target} | ${measured} | ${mark(pass)} |`);
  };
  const learned = (workload: string): SeededResult | undefined => results.find((result) => result.workload === workload && result.strategy.includes('learned'));
  for (const workload of STEADY_WORKLOADS) {
    const runs = learned(workload.name)?.runs ?? [];
    const polls = worst(runs, (f) => f.pollsPerTask);
    const lag = worst(runs, (f) => f.meanLag);
    const p99 = worst(runs, (f) => f.p99Lag);
    line(`${workload.name}: <= 12 polls/task, mean lag <= 1.0 s, p99 <= 5 s`, `${fixed(polls)}, ${seconds(lag)} s, ${seconds(p99)} s`, polls <= 12 && lag <= 1000 && p99 <= 5000);
  }
  for (const workload of DRIFT_WORKLOADS) {
    const runs = learned(workload.name)?.runs ?? [];
    const polls = worst(runs, (f) => f.pollsPerTask);
    const lag = worst(runs, (f) => f.meanLag);
    line(`${workload.name}: <= 13 polls/task, mean lag <= 1.5 s`, `${fixed(polls)}, ${seconds(lag)} s`, polls <= 13 && lag <= 1500);
  }
  const everyLearned = results.filter((result) => result.strategy.includes('learned'));
  const over = Math.max(...everyLearned.map((result) => worst(result.runs, (f) => f.worstOverBound, (run) => run.all)));
  line('every workload, every task (warm-up included): seen within max(12 s, duration / 4) of its finish', `worst ${over <= 0 ? `${seconds(-over)} s inside` : `${seconds(over)} s over`} the bound`, over <= 0);
  for (const workload of FIRST_MINUTE_WORKLOADS) {
    const ours = learned(workload.name)?.runs ?? [];
    const official = results.find((result) => result.workload === workload.name && result.strategy.startsWith('official'))?.runs ?? [];
    const all = (run: WorkloadResult): Figures => run.all;
    const seedsMet = ours.filter((run, index) => run.all.meanLag <= (official[index] as WorkloadResult).all.meanLag && run.all.pollsPerTask <= (official[index] as WorkloadResult).all.pollsPerTask).length;
    line(
      `${workload.name}, fresh client: mean lag and polls no more than the official SDK's, on each seed`,
      `${seconds(mean(ours, (f) => f.meanLag, all))} s vs ${seconds(mean(official, (f) => f.meanLag, all))} s, ${fixed(mean(ours, (f) => f.pollsPerTask, all))} vs ${fixed(mean(official, (f) => f.pollsPerTask, all))} polls (mean of seeds); ${seedsMet}/${ours.length} seeds`,
      seedsMet === ours.length,
    );
  }
  return { lines, allMet };
}

/** The Markdown section: per workload and schedule, the worst seed's figures (the mean of seeds for the first minute), then the targets. */
export function tailsReport(results: ReadonlyArray<SeededResult>): string {
  const out: string[] = [];
  out.push(`#### Learned cadence on real durations: ${TAIL_SEEDS.length} seeds (${TAIL_SEEDS.join(', ')}), worst seed shown; after the 10 % warm-up (the first minute: every task, mean of seeds)`);
  out.push('');
  out.push('| workload | schedule | polls per task | mean lag (s) | p99 lag (s) | max lag (s) | worst lag past max(12 s, duration / 4) (s) |');
  out.push('|---|---|---:|---:|---:|---:|---:|');
  for (const { workload, strategy, runs } of results) {
    const firstMinute = FIRST_MINUTE_WORKLOADS.some((each) => each.name === workload);
    const of = firstMinute ? (run: WorkloadResult): Figures => run.all : (run: WorkloadResult): Figures => run.warm;
    const pick = firstMinute ? (f: (figures: Figures) => number): number => mean(runs, f, of) : (f: (figures: Figures) => number): number => worst(runs, f, of);
    const over = worst(runs, (f) => f.worstOverBound, (run) => run.all);
    out.push(`| ${workload} | ${strategy} | ${fixed(pick((f) => f.pollsPerTask))} | ${seconds(pick((f) => f.meanLag))} | ${seconds(pick((f) => f.p99Lag))} | ${seconds(worst(runs, (f) => f.maxLag, of))} | ${over <= 0 ? 'none' : seconds(over)} |`);
  }
  out.push('');
  out.push('| target (each seed) | measured (worst seed) | |');
  out.push('|---|---:|---|');
  out.push(...tailTargets(results).lines);
  return out.join('\n');
}
