import { expect } from 'chai';
import type { Envelope } from '../../src/protocol/codecs.js';
import type { GenerationEvent } from '../../src/events/events.js';
import { readTaskReply } from '../../src/protocol/taskReply.js';
import { deliveredWatchState } from '../../src/watch/deliveredWatchState.js';
import { generationsOf, initialWatchState, isSettled, reconcile, type WatchState } from '../../src/watch/reconcile.js';
import { failure as failureItem, FIXTURE_TASK_UUID as TASK, processing as processingItem, reply, success } from '../../src/testing/index.js';

type Reply = Record<string, unknown>;

/** Folds replies one by one; returns the events of each reply as `status@index` and the final state. */
function fold(replies: Reply[], numberResults?: number): { steps: string[][]; state: WatchState; settledAt: number | undefined } {
  let state = initialWatchState(TASK);
  let settledAt: number | undefined;
  const steps = replies.map((reply, n) => {
    const result = reconcile(state, readTaskReply(reply as never, TASK), numberResults);
    state = result.state;
    if (settledAt === undefined && isSettled(state, numberResults)) settledAt = n;
    return result.events.map(label);
  });
  return { steps, state, settledAt };
}

function label(event: GenerationEvent): string {
  const detail = event.status === 'success' ? `:${String(event.result.videoUUID)}` : event.status === 'error' ? `:${event.error.code}` : '';
  return `${event.status}@${event.index}${detail}`;
}

const P = processingItem();
const S = (id: string): Reply => success({ videoUUID: id });
const E = (code: string): Reply => failureItem(code);

describe('reconcile', () => {
  const cases: Array<{ name: string; replies: Reply[]; numberResults?: number; steps: string[][]; settledAt: number | undefined }> = [
    {
      name: 'one generation: processing once, then success',
      replies: [{ data: [P] }, { data: [P] }, { data: [S('a')] }],
      steps: [['processing@0'], [], ['success@0:a']],
      settledAt: 2,
    },
    {
      name: 'a generation first seen finished emits only its terminal event',
      replies: [{ data: [S('a')] }],
      steps: [['success@0:a']],
      settledAt: 0,
    },
    {
      name: 'a repeated terminal reply emits nothing',
      replies: [{ data: [S('a')] }, { data: [S('a')] }],
      steps: [['success@0:a'], []],
      settledAt: 0,
    },
    {
      name: 'a failure moved from data[] to errors[] takes over a processing slot',
      replies: [{ data: [P, P] }, { data: [P], errors: [E('timeoutProvider')] }, { data: [S('b')], errors: [E('timeoutProvider')] }],
      steps: [['processing@0', 'processing@1'], ['error@0:timeoutProvider'], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'indices follow first sight within a reply',
      replies: [{ data: [P, S('a')] }, { data: [S('b'), S('a')] }],
      steps: [['processing@0', 'success@1:a'], ['success@0:b']],
      settledAt: 1,
    },
    {
      name: 'two identical failures are two generations',
      replies: [{ data: [P, P] }, { data: [], errors: [E('timeoutProvider'), E('timeoutProvider')] }],
      steps: [['processing@0', 'processing@1'], ['error@0:timeoutProvider', 'error@1:timeoutProvider']],
      settledAt: 1,
    },
    {
      name: 'a generation missing from one reply keeps its slot and the watch waits for it',
      replies: [{ data: [P, P] }, { data: [S('a')] }, { data: [S('a'), S('b')] }],
      steps: [['processing@0', 'processing@1'], ['success@0:a'], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'reordered items are recognised by key',
      replies: [{ data: [S('a'), P] }, { data: [P, S('a')] }, { data: [S('b'), S('a')] }],
      steps: [['success@0:a', 'processing@1'], [], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'without numberResults, settles at the first reply with no processing generation',
      replies: [{ data: [S('a')] }, { data: [S('a'), P] }],
      steps: [['success@0:a'], ['processing@1']],
      settledAt: 0,
    },
    {
      name: 'with numberResults, waits for that many finished generations',
      numberResults: 2,
      replies: [{ data: [S('a')] }, { data: [S('a'), P] }, { data: [S('a'), S('b')] }],
      steps: [['success@0:a'], ['processing@1'], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'with numberResults, extra (duplicated) items open no slot',
      numberResults: 1,
      replies: [{ data: [P, P] }, { data: [S('a'), P] }],
      steps: [['processing@0'], ['success@0:a']],
      settledAt: 1,
    },
    {
      name: 'an empty reply (task not registered yet) is no event and not settled',
      replies: [{ data: [] }, { data: [P] }],
      steps: [[], ['processing@0']],
      settledAt: undefined,
    },
  ];

  for (const { name, replies, numberResults, steps, settledAt } of cases) {
    it(name, () => {
      const result = fold(replies, numberResults);
      expect(result.steps).to.deep.equal(steps);
      expect(result.settledAt).to.equal(settledAt);
    });
  }

  it('never emits two terminal events for one index', () => {
    const { steps } = fold([{ data: [P] }, { data: [S('a')] }, { data: [S('zz')] }, { data: [], errors: [E('x')] }]);
    const terminalIndices = steps.flat().filter((s) => !s.startsWith('processing')).map((s) => s.split('@')[1]!.split(':')[0]);
    expect(new Set(terminalIndices).size).to.equal(terminalIndices.length);
  });

  it('keeps the progress of a generation first seen processing', () => {
    const { state } = fold([{ data: [processingItem({ progress: 30 })] }]);
    expect(generationsOf(state)).to.deep.equal([{ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0, progress: 30 }]);
  });

  it('fills the taskType of a failure from earlier items of the task', () => {
    const { state } = fold([{ data: [P] }, { data: [], errors: [E('timeoutProvider')] }]);
    expect(generationsOf(state)[0]).to.include({ status: 'error', taskType: 'videoInference' });
  });
});

// -------------------------------------------------------------------------------------
// issue #5: counter-examples shrunk by fast-check (spec/reconcile.property.spec.ts)
// -------------------------------------------------------------------------------------

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

describe('deliveredWatchState (a watch that starts knowing generations delivered before)', () => {
  const fold = (state: WatchState, ...items: Reply[]) => reconcile(state, readTaskReply(reply(...(items as never[])) as never, TASK), 3);
  const delivered = reconcile(initialWatchState(TASK), readTaskReply(reply(S('b') as never, E('timeoutProvider') as never) as never, TASK), 3).events.filter((event) => event.status !== 'processing');

  it('emits nothing for the generations delivered, known by their id or by count, and gives a new one the index left free', () => {
    // Delivered before: index 0 (video b) and index 1 (a failure); index 2 is still to come.
    const state = deliveredWatchState(TASK, delivered as never);
    const { events } = fold(state, S('a'), S('b'), E('timeoutProvider'));
    expect(events.map((event) => [event.index, event.status, event.status === 'success' ? event.result.videoUUID : undefined])).to.deep.equal([[2, 'success', 'a']]);
  });

  it('holds an index no delivered event holds as a generation still processing, which the next finished one takes', () => {
    const onlySecond = delivered.filter((event) => event.index === 1).map((event) => ({ ...event }));
    const state = deliveredWatchState(TASK, onlySecond as never);
    expect(generationsOf(state).map((event) => [event.index, event.status])).to.deep.equal([[0, 'processing'], [1, 'error']]);
    expect(fold(state, P, E('timeoutProvider')).events).to.deep.equal([]);
    expect(fold(state, S('c'), E('timeoutProvider')).events.map((event) => [event.index, event.status])).to.deep.equal([[0, 'success']]);
  });
});
