import { expect } from 'chai';
import { defer, of } from 'rxjs';
import { RUN_WATCH_DEFAULTS } from '../../src/client/runWatchDefaults.js';
import { watchTask, type GenerationEvent, type Transport } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const processingEvent: GenerationEvent = { status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0 };
const successEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: success({ videoUUID: A }) } as GenerationEvent;

describe('RUN_WATCH_DEFAULTS (the cold schedule of client.run by task type)', () => {
  const options = { ...RUN_WATCH_DEFAULTS['videoInference'], jitter: 0, numberResults: 1 };
  const finishingAt = (scheduler: ReturnType<typeof createTestScheduler>, finish: number): Transport => () =>
    defer(() => of({ data: [scheduler.now() >= finish ? success({ videoUUID: A }) : processing()] }));

  /** When the polls of a video with nothing learned go out, for one that finishes at `finish`. */
  function coldPolls(finish: number): number[] {
    const scheduler = createTestScheduler();
    const sentAt: number[] = [];
    scheduler.run(() => watchTask(TASK, { ...options, scheduler, transport: finishingAt(scheduler, finish), onAttempt: () => sentAt.push(scheduler.now()) }).subscribe());
    return sentAt;
  }

  it('a video is first polled 3 s after the ack, then 1 s later', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(watchTask(TASK, { ...options, scheduler, transport: finishingAt(scheduler, 3500) })).toBe('3000ms a 999ms (b|)', { a: processingEvent, b: successEvent });
    });
  });

  it('then the gaps grow x2.2 to 7.5 s: fewer polls than the official SDK and earlier finishes in the first minute', () => {
    // A 10 s video is seen 1 s late after four polls (the official SDK's 1, 1.5, 2.25... s: 1.4 s late after seven).
    expect(coldPolls(10_000)).to.deep.equal([3000, 4000, 6200, 11_040]);
    // A 40 s video: the gaps reach 7.5 s by 18.5 s (the official SDK's reach 10 s at 25.6 s).
    expect(coldPolls(40_000)).to.deep.equal([3000, 4000, 6200, 11_040, 18_540, 26_040, 33_540, 41_040]);
  });

  it('keeps the core defaults for every other task type', () => {
    expect(Object.keys(RUN_WATCH_DEFAULTS)).to.deep.equal(['videoInference']);
  });
});
