import { expect } from 'chai';
import type { GenerationEvent } from '../src/events.js';
import { readTaskReply } from '../src/protocol/taskReply.js';
import { generationsOf, initialWatchState, isSettled, reconcile, type WatchState } from '../src/reconcile.js';
import { body, failureItem, processingItem, successItem, TASK } from './helpers/replies.js';

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
const S = (id: string): Reply => successItem(id);
const E = (code: string): Reply => failureItem(code);

describe('reconcile', () => {
  const cases: Array<{ name: string; replies: Reply[]; numberResults?: number; steps: string[][]; settledAt: number | undefined }> = [
    {
      name: 'one generation: processing once, then success',
      replies: [body([P]), body([P]), body([S('a')])],
      steps: [['processing@0'], [], ['success@0:a']],
      settledAt: 2,
    },
    {
      name: 'a generation first seen finished emits only its terminal event',
      replies: [body([S('a')])],
      steps: [['success@0:a']],
      settledAt: 0,
    },
    {
      name: 'a repeated terminal reply emits nothing',
      replies: [body([S('a')]), body([S('a')])],
      steps: [['success@0:a'], []],
      settledAt: 0,
    },
    {
      name: 'a failure moved from data[] to errors[] takes over a processing slot',
      replies: [body([P, P]), body([P], [E('timeoutProvider')]), body([S('b')], [E('timeoutProvider')])],
      steps: [['processing@0', 'processing@1'], ['error@0:timeoutProvider'], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'indices follow first sight within a reply',
      replies: [body([P, S('a')]), body([S('b'), S('a')])],
      steps: [['processing@0', 'success@1:a'], ['success@0:b']],
      settledAt: 1,
    },
    {
      name: 'two identical failures are two generations',
      replies: [body([P, P]), body([], [E('timeoutProvider'), E('timeoutProvider')])],
      steps: [['processing@0', 'processing@1'], ['error@0:timeoutProvider', 'error@1:timeoutProvider']],
      settledAt: 1,
    },
    {
      name: 'a generation missing from one reply keeps its slot and the watch waits for it',
      replies: [body([P, P]), body([S('a')]), body([S('a'), S('b')])],
      steps: [['processing@0', 'processing@1'], ['success@0:a'], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'reordered items are recognised by key',
      replies: [body([S('a'), P]), body([P, S('a')]), body([S('b'), S('a')])],
      steps: [['success@0:a', 'processing@1'], [], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'without numberResults, settles at the first reply with no processing generation',
      replies: [body([S('a')]), body([S('a'), P])],
      steps: [['success@0:a'], ['processing@1']],
      settledAt: 0,
    },
    {
      name: 'with numberResults, waits for that many finished generations',
      numberResults: 2,
      replies: [body([S('a')]), body([S('a'), P]), body([S('a'), S('b')])],
      steps: [['success@0:a'], ['processing@1'], ['success@1:b']],
      settledAt: 2,
    },
    {
      name: 'with numberResults, extra (duplicated) items open no slot',
      numberResults: 1,
      replies: [body([P, P]), body([S('a'), P])],
      steps: [['processing@0'], ['success@0:a']],
      settledAt: 1,
    },
    {
      name: 'an empty reply (task not registered yet) is no event and not settled',
      replies: [body([]), body([P])],
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
    const { steps } = fold([body([P]), body([S('a')]), body([S('zz')]), body([], [E('x')])]);
    const terminalIndices = steps.flat().filter((s) => !s.startsWith('processing')).map((s) => s.split('@')[1]!.split(':')[0]);
    expect(new Set(terminalIndices).size).to.equal(terminalIndices.length);
  });

  it('keeps the progress of a generation first seen processing', () => {
    const { state } = fold([body([processingItem(TASK, { progress: 30 })])]);
    expect(generationsOf(state)).to.deep.equal([{ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0, progress: 30 }]);
  });

  it('fills the taskType of a failure from earlier items of the task', () => {
    const { state } = fold([body([P]), body([], [E('timeoutProvider')])]);
    expect(generationsOf(state)[0]).to.include({ status: 'error', taskType: 'videoInference' });
  });
});
