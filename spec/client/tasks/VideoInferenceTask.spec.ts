import { expect } from 'chai';
import { isRight } from 'fp-ts/lib/Either.js';
import { videoInference, VideoInferenceTask } from '../../../src/index.js';
import { validateTask } from '../../../src/client/tasks/RunwareTask.js';
import { RunwareValidationError } from '../../../src/errors/RunwareValidationError.js';
import type { RunwareTask } from '../../../src/index.js';

const base = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 } as const;

/** Compile-time checks: each line below must fail to compile, or typecheck fails on the unused directive. */
function compileTimeChecks(accept: <K extends string>(task: RunwareTask<K>) => void): void {
  // @ts-expect-error duration must be a number
  accept({ ...base, duration: '5' });
  // @ts-expect-error duration is required
  accept({ taskType: 'videoInference', model: 'm', positivePrompt: 'hi' });
  // @ts-expect-error outputFormat is MP4 or WEBM
  accept({ ...base, outputFormat: 'GIF' });
  // @ts-expect-error a misspelt parameter
  accept({ taskType: 'videoInference', model: 'm', positivePrompt: 'hi', duration: 5, numberResult: 2 });
  // @ts-expect-error deliveryMethod can only be async
  accept({ ...base, deliveryMethod: 'sync' });
  accept({ taskType: 'textInference', model: 'm', anything: 1 }); // task types without a codec stay open
}
void compileTimeChecks;

describe('VideoInferenceTask', () => {
  it('accepts a documented task, with unmodelled parameters passed through', () => {
    const task = { ...base, width: 1280, height: 720, fps: 24, numberResults: 4, outputFormat: 'WEBM', frameImages: [{ inputImage: 'x', frame: 'first' }], providerSettings: { kling: { mode: 'pro' } } };
    expect(isRight(VideoInferenceTask.decode(task))).to.equal(true);
    expect(validateTask(task)).to.equal(task);
  });

  it('reports each bad field by path', () => {
    const bad = { ...base, numberResults: 5, width: 1281, fps: 10, frameImages: [{ inputImage: 'x', frame: 'middle' }] };
    let caught: unknown;
    try {
      validateTask(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(RunwareValidationError);
    expect((caught as RunwareValidationError).issues).to.include.members([
      'width: expected integer of at least 8, a multiple of 8, got 1281',
      'fps: expected integer from 15 to 60, got 10',
      'numberResults: expected integer from 1 to 4, got 5',
    ]);
    expect((caught as RunwareValidationError).issues.some((line) => line.startsWith('frameImages.0.frame: expected'))).to.equal(true);
  });

  it('videoInference() builds the task with its taskType', () => {
    expect(videoInference({ model: 'm', positivePrompt: 'hi', duration: 5 })).to.deep.equal({ taskType: 'videoInference', model: 'm', positivePrompt: 'hi', duration: 5 });
  });
});
