/**
 * The learned cadence against fixed schedules, in virtual time and without HTTP: tasks arrive on a
 * seeded clock, each generation finishes at a drawn duration, and a poll sees every generation finished
 * by its time (replies take no time). What is counted: polls per task and each generation's lag, from
 * its finish to the poll that saw it.
 */
import { createCadence, type Cadence } from '../src/cadence/createCadence.js';
import { DEFAULT_CADENCE_TUNING, planNextPoll, type CadenceSettings, type CadenceTuning } from '../src/cadence/planNextPoll.js';
import { DEFAULT_WATCH_SETTINGS } from '../src/watch/settings.js';
import { backoffDelay } from '../src/schedule/backoff.js';
import { mulberry32, type Random } from '../src/simulator/random.js';

// -------------------------------------------------------------------------------------
// workloads
// -------------------------------------------------------------------------------------

/** A model: generations finish uniformly within `spread` ms of `mean` ms after the task starts. */
export interface ModelTimes {
  readonly key: string;
  readonly mean: number;
  readonly spread: number;
}

export interface Workload {
  readonly name: string;
  readonly models: ReadonlyArray<ModelTimes>;
  readonly tasks: number;
  /** Generations per task. */
  readonly generations: number;
  /** Durations of tasks in the second half are multiplied by this. */
  readonly drift: number;
}

export const THREE_VIDEO_MODELS: ReadonlyArray<ModelTimes> = [
  { key: 'videoInference|fast', mean: 45_000, spread: 5_000 },
  { key: 'videoInference|medium', mean: 90_000, spread: 10_000 },
  { key: 'videoInference|slow', mean: 180_000, spread: 15_000 },
];

export const WORKLOADS: ReadonlyArray<Workload> = [
  { name: 'three video models', models: THREE_VIDEO_MODELS, tasks: 3000, generations: 1, drift: 1 },
  { name: 'drift +30 % half-way', models: THREE_VIDEO_MODELS, tasks: 3000, generations: 1, drift: 1.3 },
  { name: 'drift -30 % half-way', models: THREE_VIDEO_MODELS, tasks: 3000, generations: 1, drift: 0.7 },
  { name: 'four generations per task', models: THREE_VIDEO_MODELS, tasks: 3000, generations: 4, drift: 1 },
  { name: 'uniform 30-240 s, one model', models: [{ key: 'videoInference|any', mean: 135_000, spread: 105_000 }], tasks: 3000, generations: 1, drift: 1 },
];

/** A new task every 2 s of virtual time: about 60 in flight at once, so learning lags as it does in a service. */
const ARRIVAL_GAP = 2_000;

export interface TaskPlan {
  readonly start: number;
  readonly key: string;
  readonly finishes: ReadonlyArray<number>;
}

export function planTasks(workload: Workload, seed: number): TaskPlan[] {
  const random = mulberry32(seed);
  const tasks: TaskPlan[] = [];
  for (let index = 0; index < workload.tasks; index += 1) {
    const model = workload.models[Math.floor(random() * workload.models.length)] as ModelTimes;
    const scale = index >= workload.tasks / 2 ? workload.drift : 1;
    const finishes = Array.from({ length: workload.generations }, () => scale * (model.mean + model.spread * (2 * random() - 1)));
    tasks.push({ start: index * ARRIVAL_GAP, key: model.key, finishes });
  }
  return tasks;
}

// -------------------------------------------------------------------------------------
// schedules
// -------------------------------------------------------------------------------------

/** What a schedule is told after a poll. */
interface PollContext {
  readonly attempt: number;
  readonly elapsed: number;
  readonly pending: number;
}

/** One task's schedule, made when it starts. */
export interface TaskSchedule {
  next(context: PollContext): number;
  /** A generation was first seen finished at `to`, the poll before being at `from`. */
  learn(from: number, to: number): void;
}

export interface Strategy {
  readonly name: string;
  readonly initialDelay: number;
  /** The schedule of a task of `key` starting at `start` (the clock of the workload). */
  watch(key: string, start: number): TaskSchedule;
}

const nothingToLearn = (): void => undefined;

/** A schedule that learns nothing: the gap after each poll from `next` alone. */
function fixedCurve(name: string, initialDelay: number, next: (context: PollContext) => number): Strategy {
  const schedule: TaskSchedule = { next, learn: nothingToLearn };
  return { name, initialDelay, watch: () => schedule };
}

export function defaultsStrategy(random: Random): Strategy {
  const settings = { ...DEFAULT_WATCH_SETTINGS, random };
  return fixedCurve('runware-rx defaults', settings.initialDelay, ({ attempt }) => backoffDelay(attempt, settings, random));
}

/** The official SDK's waits: 1 000 ms, then 500 ms growing x1.5 to a 10 000 ms cap, no jitter. */
export function officialSdkStrategy(): Strategy {
  return fixedCurve('official SDK cadence', 1000, ({ attempt }) => Math.min(500 * 1.5 ** (attempt - 1), 10_000));
}

export function fixedStrategy(every: number): Strategy {
  return fixedCurve(`fixed ${every / 1000} s`, every, () => every);
}

/** As a watch uses the store: it reads what was learned when its task starts and keeps it, and teaches every finish with the task's start. */
export function learnedStrategy(random: Random, tuning: Partial<CadenceTuning> = {}, cadence: Cadence = createCadence()): Strategy {
  const settings: CadenceSettings = { ...DEFAULT_WATCH_SETTINGS, random, ...DEFAULT_CADENCE_TUNING, ...tuning };
  return {
    name: 'learned cadence',
    initialDelay: DEFAULT_WATCH_SETTINGS.initialDelay,
    watch: (key, start) => {
      const durations = cadence.summary(key);
      return {
        next: ({ attempt, elapsed, pending }) => planNextPoll(durations, elapsed, pending, attempt, settings).delay,
        learn: (from, to) => cadence.observe(key, from, to, start),
      };
    },
  };
}

// -------------------------------------------------------------------------------------
// simulation
// -------------------------------------------------------------------------------------

export interface Figures {
  readonly tasks: number;
  readonly pollsPerTask: number;
  readonly meanLag: number;
  readonly p95Lag: number;
}

export interface WorkloadResult {
  readonly workload: string;
  readonly strategy: string;
  /** Tasks after the warm-up (the first 10 % by start). */
  readonly warm: Figures;
  /** The first 10 % of tasks. */
  readonly cold: Figures;
}

interface Watch {
  readonly index: number;
  readonly task: TaskPlan;
  readonly schedule: TaskSchedule;
  due: number;
  attempt: number;
  lastPoll: number;
  polls: number;
  readonly seen: boolean[];
  readonly lags: number[];
}

/** Runs every task of `workload` under `strategy`, in virtual time, polls in time order across tasks. */
export function simulate(workload: Workload, strategy: Strategy, seed = 13): WorkloadResult {
  const tasks = planTasks(workload, seed);
  const queue = new MinQueue<Watch>();
  const done: Watch[] = [];
  let arrived = 0;
  const arrive = (): void => {
    const task = tasks[arrived] as TaskPlan;
    queue.push({ index: arrived, task, schedule: strategy.watch(task.key, task.start), due: task.start + strategy.initialDelay, attempt: 1, lastPoll: 0, polls: 0, seen: task.finishes.map(() => false), lags: [] }, task.start + strategy.initialDelay);
    arrived += 1;
  };
  while (arrived < tasks.length || queue.size > 0) {
    const nextArrival = arrived < tasks.length ? (tasks[arrived] as TaskPlan).start : Number.POSITIVE_INFINITY;
    if (queue.size === 0 || nextArrival <= queue.peekKey()) {
      arrive();
      continue;
    }
    const watch = queue.pop();
    const elapsed = watch.due - watch.task.start;
    watch.polls += 1;
    let pending = 0;
    watch.task.finishes.forEach((finish, generation) => {
      if (watch.seen[generation] === true) return;
      if (finish <= elapsed) {
        watch.seen[generation] = true;
        watch.lags.push(elapsed - finish);
        watch.schedule.learn(watch.lastPoll, elapsed);
      } else {
        pending += 1;
      }
    });
    if (pending === 0) {
      done.push(watch);
      continue;
    }
    const delay = watch.schedule.next({ attempt: watch.attempt, elapsed, pending });
    watch.attempt += 1;
    watch.lastPoll = elapsed;
    watch.due += delay;
    queue.push(watch, watch.due);
  }
  const warmFrom = Math.ceil(tasks.length / 10);
  return {
    workload: workload.name,
    strategy: strategy.name,
    warm: figures(done.filter((watch) => watch.index >= warmFrom)),
    cold: figures(done.filter((watch) => watch.index < warmFrom)),
  };
}

export function figures(watches: ReadonlyArray<{ readonly polls: number; readonly lags: ReadonlyArray<number> }>): Figures {
  const lags = Float64Array.from(watches.flatMap((watch) => watch.lags)).sort();
  const polls = watches.reduce((sum, watch) => sum + watch.polls, 0);
  return {
    tasks: watches.length,
    pollsPerTask: polls / Math.max(1, watches.length),
    meanLag: lags.reduce((sum, lag) => sum + lag, 0) / Math.max(1, lags.length),
    p95Lag: lags[Math.min(lags.length - 1, Math.floor(0.95 * lags.length))] ?? Number.NaN,
  };
}

/** A binary heap of items by key, smallest first; ties in insertion order do not matter here. */
class MinQueue<T> {
  private readonly items: Array<{ key: number; item: T }> = [];

  get size(): number {
    return this.items.length;
  }

  peekKey(): number {
    return (this.items[0] as { key: number }).key;
  }

  push(item: T, key: number): void {
    const items = this.items;
    items.push({ key, item });
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((items[parent] as { key: number }).key <= key) break;
      [items[parent], items[at]] = [items[at] as { key: number; item: T }, items[parent] as { key: number; item: T }];
      at = parent;
    }
  }

  pop(): T {
    const items = this.items;
    const top = items[0] as { key: number; item: T };
    const last = items.pop() as { key: number; item: T };
    if (items.length > 0) {
      items[0] = last;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let smallest = at;
        if (left < items.length && (items[left] as { key: number }).key < (items[smallest] as { key: number }).key) smallest = left;
        if (right < items.length && (items[right] as { key: number }).key < (items[smallest] as { key: number }).key) smallest = right;
        if (smallest === at) break;
        [items[smallest], items[at]] = [items[at] as { key: number; item: T }, items[smallest] as { key: number; item: T }];
        at = smallest;
      }
    }
    return top.item;
  }
}
