/**
 * A batch submitted together, through the real client in virtual time: one `createRunwareClient` `run`s
 * 1 000 video tasks of one model at the same instant (durations uniform from 30 to 240 s, seeded), over
 * a transport that acks each submit at once and answers each poll from the task's elapsed time. The
 * first finishers teach the client's store while the longer ones are still running: the case where a
 * schedule that followed a store still learning would chase the batch.
 */
import { defer, of, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { createCadence, type Cadence } from '../src/cadence/createCadence.js';
import { createRunwareClient } from '../src/client/createRunwareClient.js';
import { videoInference } from '../src/client/tasks/VideoInferenceTask.js';
import { mulberry32 } from '../src/simulator/random.js';
import { figures, type Figures } from './cadenceWorkload.js';

export const BATCH_TASKS = 1000;
const SHORTEST = 30_000;
const LONGEST = 240_000;
/** The measured batch of a store taught by an earlier one starts this long after it (every task of the earlier batch is done). */
const NEXT_BATCH_AT = 600_000;

export interface BatchResult {
  readonly schedule: string;
  readonly figures: Figures;
  /** The shortest gap between two polls of one task, in ms. */
  readonly shortestGap: number;
}

/** A UUID v4 made of a number: 00000000-0000-4000-8000-00000000002a. */
function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

interface Batch {
  readonly finishes: ReadonlyArray<number>;
  readonly polls: number[][];
  readonly lags: number[][];
}

/**
 * Runs the three schedules on the same seeded batch: the client's defaults (a store of its own, empty
 * at the batch), `cadence: false` (the backoff), and a store taught by an earlier batch of the same
 * model (other durations, same client, done before the measured batch starts).
 */
export function batchBench(seed = 13): BatchResult[] {
  return [
    { schedule: 'client defaults: learned cadence, store empty at the batch', ...measure(runBatches(undefined, seed, 1)) },
    { schedule: 'cadence: false (backoff)', ...measure(runBatches(false, seed, 1)) },
    { schedule: 'learned cadence, store taught by an earlier batch', ...measure(runBatches(createCadence(), seed, 2)) },
  ];
}

/** `batches` batches through one client, each submitted at once, NEXT_BATCH_AT apart; the last one measured (its durations from `seed`). */
function runBatches(cadence: Cadence | false | undefined, seed: number, batches: number): Batch {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const plans: Batch[] = Array.from({ length: batches }, (_, batch) => {
    const random = mulberry32(seed + batches - 1 - batch);
    const finishes = Array.from({ length: BATCH_TASKS }, () => SHORTEST + (LONGEST - SHORTEST) * random());
    return { finishes, polls: finishes.map((): number[] => []), lags: finishes.map((): number[] => []) };
  });
  const tasks = new Map<string, { batch: Batch; index: number; submittedAt: number }>();
  let drawn = 0;
  let current = plans[0] as Batch;
  const transport = (requests: ReadonlyArray<Record<string, unknown>>) =>
    defer(() => {
      const request = requests[0] ?? {};
      const taskUUID = String(request['taskUUID']);
      if (request['taskType'] !== 'getResponse') {
        tasks.set(taskUUID, { batch: current, index: tasks.size % BATCH_TASKS, submittedAt: scheduler.now() });
        return of({ data: [{ taskType: 'videoInference', taskUUID }] });
      }
      const { batch, index, submittedAt } = tasks.get(taskUUID) as { batch: Batch; index: number; submittedAt: number };
      const elapsed = scheduler.now() - submittedAt;
      const finish = batch.finishes[index] as number;
      (batch.polls[index] as number[]).push(elapsed);
      if (elapsed < finish) return of({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] });
      (batch.lags[index] as number[]).push(elapsed - finish);
      return of({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: uuidOf(10_000_000 + plans.indexOf(batch) * BATCH_TASKS + index), videoURL: 'https://x/v.mp4' }] });
    });
  const client = createRunwareClient({ transport, scheduler, random: mulberry32(seed), uuid: () => uuidOf((drawn += 1)), ...(cadence === undefined ? {} : { cadence: cadence === false ? false : { store: cadence } }) });
  const video = videoInference({ model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 });
  plans.forEach((plan, batch) => {
    scheduler.schedule(() => {
      current = plan;
      for (let task = 0; task < BATCH_TASKS; task += 1) client.run(video).subscribe();
    }, batch * NEXT_BATCH_AT);
  });
  scheduler.flush();
  return plans[plans.length - 1] as Batch;
}

function measure(batch: Batch): Omit<BatchResult, 'schedule'> {
  let shortestGap = Number.POSITIVE_INFINITY;
  for (const polls of batch.polls) for (let at = 1; at < polls.length; at += 1) shortestGap = Math.min(shortestGap, (polls[at] as number) - (polls[at - 1] as number));
  return { figures: figures(batch.polls.map((polls, index) => ({ polls: polls.length, lags: batch.lags[index] as number[] }))), shortestGap };
}
