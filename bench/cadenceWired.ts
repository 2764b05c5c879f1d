/**
 * The learned cadence through the real `watchTask`, in virtual time: the tasks of a workload (as
 * cadenceWorkload.ts plans them) each watched by `watchTask` over a transport that answers from the task's
 * script, every watch sharing one store. It shows that the wired watch (decode, reconcile, the schedule
 * and the learning hook) matches the pure simulation: the same figures up to the order of polls due at
 * the same instant and learned delays rounded to whole ms.
 */
import { defer, of, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { createCadence } from '../src/cadence/createCadence.js';
import { mulberry32 } from '../src/simulator/random.js';
import { watchTask } from '../src/watch/watchTask.js';
import { figures, planTasks, type TaskPlan, type Workload, type WorkloadResult } from './cadenceWorkload.js';

/** A UUID v4 made of a number: 00000000-0000-4000-8000-00000000002a. */
function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Runs every task of `workload` through `watchTask` with the default options and a fresh store. */
export function simulateWired(workload: Workload, seed = 13): WorkloadResult {
  const tasks = planTasks(workload, seed);
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const cadence = createCadence();
  const random = mulberry32(seed);
  const watches = tasks.map(() => ({ polls: 0, lags: [] as number[] }));
  tasks.forEach((task: TaskPlan, index) => {
    const taskUUID = uuidOf(index + 1);
    const watch = watches[index] as { polls: number; lags: number[] };
    const seen = task.finishes.map(() => false);
    const transport = () =>
      defer(() => {
        const elapsed = scheduler.now() - task.start;
        watch.polls += 1;
        const data = task.finishes.map((finish, generation) => {
          if (finish > elapsed) return { taskType: 'videoInference', taskUUID, status: 'processing' };
          if (seen[generation] !== true) watch.lags.push(elapsed - finish);
          seen[generation] = true;
          return { taskType: 'videoInference', taskUUID, status: 'success', videoUUID: uuidOf(1_000_000 * (index + 1) + generation), videoURL: 'https://x/v.mp4' };
        });
        return of({ data });
      });
    scheduler.schedule(() => {
      watchTask(taskUUID, { transport, scheduler, random, numberResults: task.finishes.length, cadence: { store: cadence, key: task.key }, timeout: 60 * 60_000 }).subscribe();
    }, task.start);
  });
  scheduler.flush();
  const warmFrom = Math.ceil(tasks.length / 10);
  return {
    workload: workload.name,
    strategy: 'learned cadence, real watchTask',
    warm: figures(watches.slice(warmFrom)),
    cold: figures(watches.slice(0, warmFrom)),
  };
}
