import { expect } from 'chai';
import { foldReply } from '../../src/watch/foldReply.js';
import { RunwareApiError, RunwareDecodeError } from '../../src/index.js';
import { initialWatchState } from '../../src/watch/reconcile.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';

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

describe('foldReply, with the reply folded before', () => {
  const processingReply = (): unknown => ({ data: [processing()] });
  const done = (): unknown => ({ data: [success({ videoUUID: 'a9b8c7d6-0000-4000-8000-000000000001' })] });

  it('returns the state and no event for an equal reply on the state it left, without reading the reply', () => {
    const first = foldReply(initialWatchState(TASK), processingReply(), 1);
    // A state the reply could not have left: only a reply that is not read keeps it and stays silent.
    const trusted = initialWatchState(TASK);
    const again = foldReply(trusted, processingReply(), 1, { body: processingReply(), state: trusted });
    expect(again.state).to.equal(trusted);
    expect(again.events).to.deep.equal([]);
    expect(first.events).to.have.length(1);
  });

  it('folds a reply that differs, or that comes on another state', () => {
    const first = foldReply(initialWatchState(TASK), processingReply(), 1);
    const changed = foldReply(first.state, done(), 1, { body: processingReply(), state: first.state });
    expect(changed.events.map((event) => event.status)).to.deep.equal(['success']);
    const otherState = foldReply(initialWatchState(TASK), processingReply(), 1, { body: processingReply(), state: first.state });
    expect(otherState.events.map((event) => event.status)).to.deep.equal(['processing']);
  });

  it('folds the very object folded before: a transport may have changed it in place', () => {
    const reply = processingReply() as { data: Array<Record<string, unknown>> };
    const first = foldReply(initialWatchState(TASK), reply, 1);
    reply.data = [success({ videoUUID: 'a9b8c7d6-0000-4000-8000-000000000001' })];
    const second = foldReply(first.state, reply, 1, { body: reply, state: first.state });
    expect(second.events.map((event) => event.status)).to.deep.equal(['success']);
  });

  it('still classifies its own exceptions when the last reply cannot be compared', () => {
    const cyclic: Record<string, unknown> = { data: [] };
    cyclic['self'] = cyclic;
    const twin: Record<string, unknown> = { data: [] };
    twin['self'] = twin;
    const state = initialWatchState(TASK);
    expect(() => foldReply(state, twin, 1, { body: cyclic, state })).to.throw(RunwareDecodeError, 'reading the reply threw RangeError');
  });
});
