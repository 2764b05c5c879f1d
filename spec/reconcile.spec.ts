import { expect } from 'chai';
import type { Envelope } from '../src/protocol/codecs.js';
import { readTaskReply } from '../src/protocol/taskReply.js';
import { initialWatchState, isSettled, reconcile, type WatchState } from '../src/reconcile.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const processing = { taskType: 'videoInference', taskUUID: TASK, status: 'processing' };
const failure = { code: 'timeoutProvider', status: 'error', message: 'The external provider did not respond.', taskUUID: TASK };

function foldReplies(replies: ReadonlyArray<Envelope>, numberResults?: number): { state: WatchState; events: string[][]; settled: boolean[] } {
  let state = initialWatchState(TASK);
  const events: string[][] = [];
  const settled: boolean[] = [];
  for (const reply of replies) {
    const next = reconcile(state, readTaskReply(reply, TASK), numberResults);
    state = next.state;
    events.push(next.events.map((event) => `${event.index}:${event.status}`));
    settled.push(isSettled(state, numberResults));
  }
  return { state, events, settled };
}

/**
 * Counter-examples shrunk by fast-check (spec/reconcile.property.spec.ts) while checking that the
 * properties can fail, kept as named cases: each one pins a rule of the reconciliation.
 */
describe('reconcile (shrunk counter-examples)', () => {
  it('opens a slot for a generation first listed processing in the reply where another one finishes', () => {
    // Poll 0 lists one generation; poll 1 lists it still processing plus a second, already failed.
    const run = foldReplies([
      { data: [processing] },
      { data: [processing], errors: [failure] },
      { data: [processing], errors: [failure] },
      { data: [], errors: [failure, failure] },
    ]);
    expect(run.events).to.deep.equal([['0:processing'], ['1:processing', '0:error'], [], ['1:error']]);
    expect(run.settled).to.deep.equal([false, false, false, true]);
  });

  it('counts identical failures of two generations as two, and recognises both on the next poll', () => {
    const run = foldReplies([{ data: [processing, processing] }, { errors: [failure, failure] }, { errors: [failure, failure] }], 2);
    expect(run.events).to.deep.equal([['0:processing', '1:processing'], ['0:error', '1:error'], []]);
    expect(run.settled).to.deep.equal([false, true, true]);
  });

  it('emits nothing for a repeated terminal reply', () => {
    const run = foldReplies([{ errors: [failure] }, { errors: [failure] }]);
    expect(run.events).to.deep.equal([['0:error'], []]);
  });
});

describe('readTaskReply (found by the security spec)', () => {
  it('matches the task UUID whatever its case, so a watch of an upper-case UUID ends', () => {
    const reply = readTaskReply({ data: [{ ...processing, taskUUID: TASK }], errors: [{ ...failure, taskUUID: TASK }] }, TASK.toUpperCase());
    expect(reply.generations.map((item) => item.kind)).to.deep.equal(['processing', 'failure']);
  });
});

/**
 * Real bugs found by 'reconcile (properties, faulty replies with numberResults)': a duplicated reply let
 * the copy of a finished generation take over a processing slot, so the watch settled early and lost
 * that generation. Fixed in reconcile (withoutSurplus).
 */
describe('reconcile (duplicated replies, shrunk counter-examples)', () => {
  const embedded = (code: string, message: string) => ({ taskType: 'videoInference', taskUUID: TASK, status: 'error', error: { code, message } });
  const timeout = { code: 'timeoutProvider', status: 'error', message: 'The external provider did not respond.', taskUUID: TASK };
  const flagged = embedded('providerError', 'Content flagged');
  const video = { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: '00000000-0000-0000-0000-000000000000', videoURL: 'https://media.test/v.mp4' };

  it('does not let a repeated failure finish a generation still processing', () => {
    const run = foldReplies(
      [
        { data: [processing], errors: [timeout] },
        { data: [processing, processing], errors: [timeout, timeout] }, // duplicated
        { data: [processing], errors: [timeout] },
        { errors: [timeout, timeout] },
      ],
      2,
    );
    expect(run.events).to.deep.equal([['0:processing', '1:error'], [], [], ['0:error']]);
    expect(run.settled).to.deep.equal([false, false, false, true]);
  });

  it('keeps two identical failures apart from a repeated one when every item comes twice', () => {
    // gen0 and gen2 fail identically (embedded), gen1 fails in errors[]; gen0 finishes in the doubled reply.
    const run = foldReplies(
      [
        { data: [processing, flagged], errors: [timeout] },
        { data: [flagged, flagged, flagged, flagged], errors: [timeout, timeout] },
        { data: [flagged, flagged], errors: [timeout] },
      ],
      3,
    );
    expect(run.events).to.deep.equal([['0:processing', '1:error', '2:error'], ['0:error'], []]);
    const failures = run.state.slots.map((slot) => (slot.event.status === 'error' ? slot.event.error.code : slot.event.status));
    expect(failures.sort()).to.deep.equal(['providerError', 'providerError', 'timeoutProvider']);
  });

  it('reads a doubled reply once even though readTaskReply already dropped the repeated success', () => {
    const run = foldReplies(
      [
        { data: [processing, video, flagged], errors: [timeout] },
        { data: [flagged, flagged, video, video, flagged, flagged], errors: [timeout, timeout] },
      ],
      4,
    );
    expect(run.events[1]).to.deep.equal(['0:error']);
    expect(run.settled).to.deep.equal([false, true]);
  });

  it('drops a duplicated processing item rather than invent a generation (the simulator doubles data[] only)', () => {
    const run = foldReplies([{ data: [processing, processing, flagged, flagged], errors: [timeout] }], 3);
    expect(run.events).to.deep.equal([['0:processing', '1:error', '2:error']]);
    const codes = run.state.slots.map((slot) => (slot.event.status === 'error' ? slot.event.error.code : slot.event.status));
    expect(codes).to.deep.equal(['processing', 'providerError', 'timeoutProvider']);
  });
});
