import { expect } from 'chai';
import { applyAttempt, applyEvent, applySchedule, exitCodeOf, formatCost, formatElapsed, formatTimeOfDay, generationLabel, initialProgress, progressBar, renderGeneration, renderGenerations, renderNextPoll, renderSummary } from '../../src/cli/progressState.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import type { RunwareError } from '../../src/errors/RunwareError.js';
import type { AttemptReport } from '../../src/watch/options.js';
import type { GenerationEvent } from '../../src/events/events.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const processing = (index: number, progress?: number): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index, ...(progress === undefined ? {} : { progress }) });
const success = (index: number): GenerationEvent => ({ status: 'success', taskUUID: TASK, taskType: 'videoInference', index, result: { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoURL: `http://h/media/${index}.mp4`, cost: 0.18 } });
const failure = (index: number): GenerationEvent => ({ status: 'error', taskUUID: TASK, taskType: 'videoInference', index, error: { code: 'timeoutProvider', message: 'too slow' } });

describe('cli progressState', () => {
  it('folds events into one view per generation, keeping when each status was seen', () => {
    let state = initialProgress(TASK, 3);
    state = applyEvent(state, processing(0), 300);
    state = applyEvent(state, processing(1), 300);
    state = applyEvent(state, success(0), 1500);
    state = applyEvent(state, failure(1), 2500);
    expect(state.generations.map((view) => [view.status, view.seenAt])).to.deep.equal([['success', 1500], ['error', 2500]]);
    expect(exitCodeOf(state)).to.equal(2);
  });

  it('renders plain lines, with waiting lines for expected generations not yet seen', () => {
    const state = applyEvent(applyEvent(initialProgress(TASK, 3), success(0), 1500), processing(1), 300);
    expect(renderGenerations(state, 2000)).to.deep.equal([
      'generation 1  ✔ success     1.5s  http://h/media/0.mp4',
      'generation 2  - processing  0.3s',
      'generation 3  - waiting',
    ]);
  });

  it('moves the bar of a generation still processing and keeps the time its processing was first seen', () => {
    const state = applyEvent(applyEvent(initialProgress(TASK, 1), processing(0, 10), 300), processing(0, 60), 900);
    expect(state.generations[0]).to.include({ status: 'processing', seenAt: 300, progress: 60 });
    expect(renderGenerations(state, 900)).to.deep.equal(['generation 1  - processing [############--------] 60%  0.3s']);
  });

  it('renders a spinner with the running time on a terminal, and a bar when progress is known', () => {
    const view = applyEvent(initialProgress(TASK, 1), processing(0), 0).generations[0];
    const withProgress = applyEvent(initialProgress(TASK, 1), processing(0, 45), 0).generations[0];
    if (view === undefined || withProgress === undefined) throw new Error('no view');
    expect(renderGeneration(view, 1200, 0)).to.equal('generation 1  ⠋ processing  1.2s');
    expect(renderGeneration(view, 1200, 1)).to.equal('generation 1  ⠙ processing  1.2s');
    expect(renderGeneration(withProgress, 1200, 0)).to.equal('generation 1  ⠋ processing [#########-----------] 45%  1.2s');
    expect(progressBar(150)).to.equal('[####################] 100%');
  });

  it('summarises successes, failures, URLs and cost', () => {
    let state = initialProgress(TASK, 3);
    for (const event of [success(0), failure(1), success(2)]) state = applyEvent(state, event, 1000);
    expect(renderSummary(state, 3500)).to.deep.equal([
      `summary: 2 succeeded, 1 failed in 3.5s (task ${TASK})`,
      '  ✔ generation 1: http://h/media/0.mp4',
      '  ✔ generation 3: http://h/media/2.mp4',
      '  ✖ generation 2: timeoutProvider',
      '  cost: $0.36',
    ]);
    expect(exitCodeOf(applyEvent(initialProgress(TASK, 1), success(0), 1))).to.equal(0);
  });

  it('names generations from 1, the JSON index plus one, in every line', () => {
    expect([generationLabel(0), generationLabel(3)]).to.deep.equal(['generation 1', 'generation 4']);
  });

  it('formats times and costs for people', () => {
    expect([formatElapsed(0), formatElapsed(1234), formatElapsed(61_000)]).to.deep.equal(['0.0s', '1.2s', '1m01s']);
    expect([formatCost(0.36), formatCost(0.0013)]).to.deep.equal(['$0.36', '$0.0013']);
  });

  it("shows when the watch polls next and which schedule said so, until every generation is finished", () => {
    const started = initialProgress(TASK_FOR_NEXT_POLL, 2);
    expect(renderNextPoll(started, 0)).to.equal(undefined);
    const scheduled = applySchedule(started, { taskUUID: TASK_FOR_NEXT_POLL, attempt: 3, delay: 12_000, reason: 'learned' }, 30_000);
    expect([renderNextPoll(scheduled, 30_000), renderNextPoll(scheduled, 41_200), renderNextPoll(scheduled, 43_000)]).to.deep.equal([
      'next poll in 12 s (learned)',
      'next poll in 1 s (learned)',
      'next poll in 0 s (learned)',
    ]);
    const success = (index: number): GenerationEvent => ({ status: 'success', taskUUID: TASK_FOR_NEXT_POLL, taskType: 'videoInference', index, result: {} as never });
    const oneDone = applyEvent(scheduled, success(0), 31_000);
    expect(renderNextPoll(oneDone, 31_000)).to.equal('next poll in 11 s (learned)');
    expect(renderNextPoll(applyEvent(oneDone, success(1), 32_000), 32_000)).to.equal(undefined);
  });

  it('says "retrying in N s: cause" while the watch rides out failures, and the next poll\'s time of day when asked', () => {
    const attempt = (outcome: AttemptReport['outcome'], failures: number, error?: RunwareError): AttemptReport => ({ taskUUID: TASK_FOR_NEXT_POLL, attempt: 1, delay: 1000, reason: 'initial', latency: 2, outcome, events: 0, failures, ...(error === undefined ? {} : { error }) });
    const refused = new RunwareHttpError({ failure: 'network', cause: new Error('TypeError: fetch failed: Error: connect ECONNREFUSED 127.0.0.1:8080') });
    const started = initialProgress(TASK_FOR_NEXT_POLL, 1);
    const failing = applySchedule(applyAttempt(started, attempt('retrying', 2, refused)), { taskUUID: TASK_FOR_NEXT_POLL, attempt: 3, delay: 4000, reason: 'retry' }, 10_000);
    expect(renderNextPoll(failing, 10_000)).to.equal('retrying in 4 s: connection refused to 127.0.0.1:8080 (failure 2)');
    const startedAt = Date.UTC(2026, 11, 7, 19, 40, 0);
    expect(renderNextPoll(failing, 10_000, startedAt)).to.equal(`retrying in 4 s: connection refused to 127.0.0.1:8080 (failure 2; next poll at ${formatTimeOfDay(startedAt + 14_000)})`);
    // Without a cause, the error's own words.
    const unavailable = applyAttempt(started, attempt('retrying', 1, new RunwareHttpError({ failure: 'status', status: 503 })));
    expect(unavailable.retrying?.cause).to.match(/503/);
    // A reply ends it; an unchanged state stays the same object.
    expect(renderNextPoll(applyAttempt(failing, attempt('reply', 0)), 10_000)).to.equal('next poll in 4 s (retry)');
    expect(applyAttempt(started, attempt('reply', 0))).to.equal(started);
  });

  it('writes the time of day as HH:MM:SS, local', () => {
    expect(formatTimeOfDay(new Date(2026, 11, 7, 9, 5, 3).getTime())).to.equal('09:05:03');
  });
});

const TASK_FOR_NEXT_POLL = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
