import { expect } from 'chai';
import type { GenerationEvent, WatchOptions } from '../../src/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { rawPost } from './rawPost.js';

/** Fast polling for loopback tests: no initial delay, 5 ms gaps. */
export const FAST_WATCH: WatchOptions = { initialDelay: 0, interval: 5, multiplier: 1, maxInterval: 5, jitter: 0, requestTimeout: 2000 };

/** Submits a video task over HTTP and returns its taskUUID. */
export async function submitVideo(simulator: RunningSimulator, extra: Record<string, unknown> = {}): Promise<string> {
  const taskUUID = crypto.randomUUID();
  const reply = await rawPost(simulator.url, simulator.apiKey, [
    { taskType: 'videoInference', taskUUID, model: 'klingai:5@3', positivePrompt: 'a red fox in snow', deliveryMethod: 'async', includeCost: true, ...extra },
  ]);
  expect(reply.status, reply.text).to.equal(200);
  return taskUUID;
}

/** The terminal event of each generation, by index, as `success` or the error code. */
export function outcomes(events: ReadonlyArray<GenerationEvent>): string[] {
  const byIndex: string[] = [];
  for (const event of events) {
    if (event.status === 'processing') continue;
    expect(byIndex[event.index], `generation ${event.index} finished twice`).to.equal(undefined);
    byIndex[event.index] = event.status === 'success' ? 'success' : event.error.code;
  }
  return byIndex;
}
