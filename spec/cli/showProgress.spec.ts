import { expect } from 'chai';
import { NEVER, Subject, finalize, throwError } from 'rxjs';
import { showProgress } from '../../src/cli/showProgress.js';
import { WatchStopped } from '../../src/cli/watchStopped.js';
import type { GenerationEvent } from '../../src/events/events.js';
import type { ScheduledPoll } from '../../src/watch/options.js';
import { bufferIo } from '../helpers/bufferIo.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const processing: GenerationEvent = { status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0 };
const success: GenerationEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoURL: 'http://h/v.mp4' } };

describe('cli showProgress', () => {
  it('redraws the generation lines in place on a terminal, then prints the summary', async () => {
    const io = bufferIo({}, true);
    const events = new Subject<GenerationEvent>();
    const done = showProgress(events, io, { taskUUID: TASK, expected: 2, json: false, frameMs: 5 });
    events.next(processing);
    events.next(success);
    events.complete();
    const state = await done;
    expect(state.generations.map((view) => view.status)).to.deep.equal(['success']);
    const out = io.out();
    expect(out).to.include('\x1b[2Kgeneration 2  · waiting');
    expect(out).to.include('\x1b[2A'); // cursor back up over the two lines before each redraw
    expect(out).to.match(/generation 1 {2}✔ success .* http:\/\/h\/v\.mp4\n/);
    expect(out.endsWith('  cost: not reported\n')).to.equal(true);
  });

  it('writes only NDJSON with json, and passes the watch error on', async () => {
    const io = bufferIo({}, true);
    const events = new Subject<GenerationEvent>();
    const done = showProgress(events, io, { taskUUID: TASK, expected: 1, json: true });
    events.next(success);
    events.complete();
    await done;
    expect(io.out()).to.equal(`${JSON.stringify(success)}\n`);
    const failure = new Error('boom');
    const failed = await showProgress(throwError(() => failure), bufferIo(), { taskUUID: TASK, expected: 1, json: false }).catch((error: unknown) => error);
    expect(failed).to.equal(failure);
  });

  it('unsubscribes the watch and rejects with WatchStopped when the io says stop (Ctrl+C, closed output)', async () => {
    for (const reason of ['interrupted', 'output closed'] as const) {
      const io = bufferIo({}, true);
      let unsubscribed = false;
      const done = showProgress(NEVER.pipe(finalize(() => (unsubscribed = true))), io, { taskUUID: TASK, expected: 1, json: false, frameMs: 5 });
      io.stop(reason);
      const stopped = await done.catch((error: unknown) => error);
      expect(stopped).to.be.instanceOf(WatchStopped).and.include({ reason, taskUUID: TASK });
      expect(unsubscribed).to.equal(true);
    }
  });

  it('ignores a stop that comes after the watch ended', async () => {
    const io = bufferIo();
    const events = new Subject<GenerationEvent>();
    const done = showProgress(events, io, { taskUUID: TASK, expected: 1, json: true });
    events.next(success);
    events.complete();
    io.stop();
    expect((await done).generations).to.have.length(1);
  });

  it("shows the watch's next poll on a terminal, and blanks that line once the task is done", async () => {
    const io = bufferIo({}, true);
    const events = new Subject<GenerationEvent>();
    let onSchedule: ((next: ScheduledPoll) => void) | undefined;
    const done = showProgress(
      (report) => {
        onSchedule = report;
        return events;
      },
      io,
      { taskUUID: TASK, expected: 1, json: false, frameMs: 5 },
    );
    onSchedule?.({ taskUUID: TASK, attempt: 2, delay: 12_000, reason: 'learned' });
    events.next(processing);
    // Synchronise on the output: the next redraw shows the line.
    while (!io.out().includes('next poll in')) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(io.out()).to.match(/\x1b\[2Knext poll in 1[12] s \(learned\)\n/);
    events.next(success);
    events.complete();
    await done;
    const lastFrame = io.out().slice(io.out().lastIndexOf('\x1b[2A'));
    expect(lastFrame).to.not.include('next poll');
    expect(lastFrame).to.include('\x1b[2K\n'); // the line it took, blanked
  });
});
