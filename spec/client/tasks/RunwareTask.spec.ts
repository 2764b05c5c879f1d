import { expect } from 'chai';
import { validateTask } from '../../../src/client/tasks/RunwareTask.js';
import { RunwareValidationError } from '../../../src/errors/RunwareValidationError.js';

function issuesOf(task: unknown): ReadonlyArray<string> {
  try {
    validateTask(task);
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(RunwareValidationError);
    return (error as RunwareValidationError).issues;
  }
}

describe('validateTask', () => {
  it('passes a task of a type without a codec when its taskUUID and numberResults are well formed', () => {
    expect(issuesOf({ taskType: 'textInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', numberResults: 2, model: 'x' })).to.deep.equal([]);
  });

  it('rejects what is not a task at all', () => {
    expect(issuesOf(null)).to.deep.equal(['task: expected an object, got null']);
    expect(issuesOf([])).to.deep.equal(['task: expected an object, got an array']);
    expect(issuesOf({ model: 'x' })).to.deep.equal(['taskType: expected a non-empty string']);
  });

  it('rejects a malformed taskUUID or numberResults on any task type', () => {
    expect(issuesOf({ taskType: 'textInference', taskUUID: 'abc', numberResults: 0 })).to.deep.equal(['taskUUID: expected UUID', 'numberResults: expected integer of at least 1']);
  });

  it('is a non-retryable RunwareError whose forTask names the task', () => {
    const error = new RunwareValidationError({ taskType: 'videoInference', issues: ['duration: expected number'] });
    expect(error.retryable).to.equal(false);
    expect(error.forTask('24cd5dff-cb81-4db5-8506-b72a9425f9d1').message).to.equal('Runware task not sent: invalid videoInference: duration: expected number (task 24cd5dff-cb81-4db5-8506-b72a9425f9d1)');
  });
});
