/**
 * The wire to the simulator for a run of tasks: counted, and noting when each task's submit leaves the
 * client (after any wait for a concurrency slot), which is when the simulator starts its clock.
 */
import type { SchedulerLike } from 'rxjs';
import { createFetchTransport, type Transport } from '../src/index.js';
import { countingTransport, type WireCounts } from './countingTransport.js';
import type { SimulatorChild } from './spawnSimulator.js';

export function submitClock(simulator: SimulatorChild, taskUUIDs: ReadonlyArray<string>, scheduler: SchedulerLike): { readonly sentAt: Float64Array; readonly transport: Transport; readonly counts: WireCounts } {
  const sentAt = new Float64Array(taskUUIDs.length);
  const indexOf = new Map<string, number>(taskUUIDs.map((taskUUID, index) => [taskUUID, index]));
  const onSubmit = (tasks: ReadonlyArray<Record<string, unknown>>): void => {
    for (const task of tasks) {
      const index = indexOf.get(String(task['taskUUID']));
      if (index !== undefined) sentAt[index] = scheduler.now();
    }
  };
  const { transport, counts } = countingTransport(createFetchTransport({ apiKey: simulator.apiKey, baseUrl: simulator.url, fetch: globalThis.fetch }), onSubmit);
  return { sentAt, transport, counts };
}
