import { expect } from 'chai';
import { foldReply } from '../src/foldReply.js';
import { RunwareApiError, RunwareDecodeError } from '../src/index.js';
import { initialWatchState } from '../src/reconcile.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../src/testing/index.js';

describe('foldReply', () => {
  it('reconciles a reply into the state and the events it implies', () => {
    const first = foldReply(initialWatchState(TASK), { data: [processing()] }, 1);
    expect(first.events.map((event) => event.status)).to.deep.equal(['processing']);
    const second = foldReply(first.state, { data: [success({ videoUUID: 'a9b8c7d6-0000-4000-8000-000000000001' })] }, 1);
    expect(second.events.map((event) => event.status)).to.deep.equal(['success']);
  });

  it('throws the RunwareDecodeError of a body that does not decode', () => {
    expect(() => foldReply(initialWatchState(TASK), { data: {} })).to.throw(RunwareDecodeError, 'data: expected Array<DataItem>, got {}');
  });

  it('throws a RunwareApiError, status 200 and every wire field, for a request-level error', () => {
    const wire = { code: 'taskNotFound', message: 'No task', taskUUID: TASK, allowedValues: [1] };
    let caught: unknown;
    try {
      foldReply(initialWatchState(TASK), { data: [], errors: [wire] });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(RunwareApiError).and.include({ code: 'taskNotFound', status: 200 });
    expect((caught as RunwareApiError).wire).to.deep.equal(wire);
  });
});
