import { expect } from 'chai';
import { NEVER, Subject, VirtualAction, VirtualTimeScheduler, finalize, throwError } from 'rxjs';
import { formatTimeOfDay, type ProgressState } from '../../src/cli/progressState.js';
import { showProgress, type ShowOptions, type WatchReports } from '../../src/cli/showProgress.js';
import { WatchStopped } from '../../src/cli/watchStopped.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import type { GenerationEvent } from '../../src/events/events.js';
import type { AttemptReport } from '../../src/watch/options.js';
import { bufferIo, type BufferIo } from '../helpers/bufferIo.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const processing: GenerationEvent = { status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0 };
const success: GenerationEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoURL: 'http://h/v.mp4' } };
const refused = new RunwareHttpError({ failure: 'network', cause: new Error('connect ECONNREFUSED 127.0.0.1:8080') });
const retrying = (failures: number): AttemptReport => ({ taskUUID: TASK, attempt: failures, delay: 1000, reason: 'initial', latency: 3, outcome: 'retrying', events: 0, failures, error: refused });
const replied: AttemptReport = { taskUUID: TASK, attempt: 3, delay: 4000, reason: 'retry', latency: 3, outcome: 'reply', events: 1, failures: 0 };

/** A virtual clock the display ticks on, and an io whose `now` reads it; `frames()` counts the redraws. */
function virtualTerminal(isTTY = true): { clock: VirtualTimeScheduler; io: BufferIo; advanceTo(ms: number): void; frames(): string[] } {
  const clock = new VirtualTimeScheduler(VirtualAction, 0);
  const base = bufferIo({}, isTTY);
  const frames: string[] = [];
  const io: BufferIo = {
    ...base,
    now: () => clock.now(),
    stdout: { ...base.stdout, write: (text: string) => (frames.push(text), base.stdout.write(text)) },
  };
  const advanceTo = (ms: number): void => {
    clock.schedule(() => undefined, ms - clock.now()); // the clock reaches `ms` even with nothing else due
    clock.maxFrames = ms;
    clock.flush();
  };
  return { clock, io, advanceTo, frames: () => frames.filter((text) => text.includes('\x1b[2K')) };
}

/** A watch shown with its reports (`onSchedule`, `onAttempt`) in the spec's hands: its events are a subject. */
function shownWithReports(io: BufferIo, options: ShowOptions): { events: Subject<GenerationEvent>; reports: WatchReports; done: Promise<ProgressState> } {
  const events = new Subject<GenerationEvent>();
  let reports: WatchReports | undefined;
  const done = showProgress((given) => {
    reports = given;
    return events;
  }, io, options);
  if (reports === undefined) throw new Error('showProgress did not start the watch');
  return { events, reports, done };
}

describe('cli showProgress', () => {
  it('redraws the generation lines in place on a terminal, then prints the summary', async () => {
    const { clock, io } = virtualTerminal();
    const events = new Subject<GenerationEvent>();
    const done = showProgress(events, io, { taskUUID: TASK, expected: 2, json: false, frameMs: 80, scheduler: clock });
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

  it('ticks on the injected scheduler: one frame every frameMs with the elapsed time, none after the end', async () => {
    const { clock, io, advanceTo, frames } = virtualTerminal();
    const events = new Subject<GenerationEvent>();
    const done = showProgress(events, io, { taskUUID: TASK, expected: 1, json: false, frameMs: 80, scheduler: clock });
    expect(frames()).to.have.length(1); // the first frame, at once
    events.next(processing);
    advanceTo(400);
    expect(frames()).to.have.length(6); // 80, 160, 240, 320, 400
    expect(frames().at(-1)).to.match(/generation 1 {2}\S processing {2}0\.4s\n$/);
    events.next(success);
    events.complete();
    await done;
    const drawn = frames().length;
    advanceTo(4000);
    expect(frames()).to.have.length(drawn);
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
      const { clock, io } = virtualTerminal();
      let unsubscribed = false;
      const done = showProgress(NEVER.pipe(finalize(() => (unsubscribed = true))), io, { taskUUID: TASK, expected: 1, json: false, frameMs: 5, scheduler: clock });
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
    const { clock, io, advanceTo, frames } = virtualTerminal();
    const { events, reports, done } = shownWithReports(io, { taskUUID: TASK, expected: 1, json: false, frameMs: 80, scheduler: clock });
    reports.onSchedule({ taskUUID: TASK, attempt: 2, delay: 12_000, reason: 'learned' });
    events.next(processing);
    advanceTo(1040);
    expect(frames().at(-1)).to.match(/\x1b\[2Knext poll in 11 s \(learned\)\n$/);
    events.next(success);
    events.complete();
    await done;
    const lastFrame = io.out().slice(io.out().lastIndexOf('\x1b[2A'));
    expect(lastFrame).to.not.include('next poll');
    expect(lastFrame).to.include('\x1b[2K\n'); // the line it took, blanked
  });

  it('says "retrying in N s: cause" on a terminal while the watch rides out a failure, until a reply', async () => {
    const { clock, io, advanceTo, frames } = virtualTerminal();
    const { events, reports, done } = shownWithReports(io, { taskUUID: TASK, expected: 1, json: false, frameMs: 80, scheduler: clock });
    advanceTo(1000);
    reports.onAttempt(retrying(1));
    reports.onSchedule({ taskUUID: TASK, attempt: 2, delay: 4000, reason: 'retry' });
    advanceTo(1040);
    expect(frames().at(-1)).to.match(/\x1b\[2Kretrying in 4 s: connection refused to 127\.0\.0\.1:8080 \(failure 1\)\n$/);
    advanceTo(4040);
    expect(frames().at(-1)).to.match(/\x1b\[2Kretrying in 1 s: connection refused to 127\.0\.0\.1:8080 \(failure 1\)\n$/);
    reports.onAttempt(replied);
    events.next(processing);
    reports.onSchedule({ taskUUID: TASK, attempt: 4, delay: 2000, reason: 'backoff' });
    advanceTo(5040);
    expect(frames().at(-1)).to.match(/\x1b\[2Knext poll in 1 s \(backoff\)\n$/);
    expect(io.err()).to.equal('');
    events.next(success);
    events.complete();
    await done;
  });

  it('writes one stderr line per failure when not on a terminal (and with json), with the next poll at its time of day', async () => {
    for (const json of [false, true]) {
      const { clock, io, advanceTo } = virtualTerminal(false);
      const { events, reports, done } = shownWithReports(io, { taskUUID: TASK, expected: 1, json, scheduler: clock });
      advanceTo(1000);
      reports.onAttempt(retrying(1));
      reports.onSchedule({ taskUUID: TASK, attempt: 2, delay: 4000, reason: 'retry' });
      advanceTo(5000);
      reports.onAttempt(retrying(2));
      reports.onSchedule({ taskUUID: TASK, attempt: 3, delay: 6000, reason: 'retry' });
      reports.onAttempt(replied);
      reports.onSchedule({ taskUUID: TASK, attempt: 4, delay: 2000, reason: 'backoff' });
      expect(io.err()).to.equal(
        `retrying in 4 s: connection refused to 127.0.0.1:8080 (failure 1; next poll at ${formatTimeOfDay(5000)})\n` +
          `retrying in 6 s: connection refused to 127.0.0.1:8080 (failure 2; next poll at ${formatTimeOfDay(11_000)})\n`,
      );
      events.next(success);
      events.complete();
      await done;
      if (json) expect(io.out()).to.equal(`${JSON.stringify(success)}\n`);
    }
  });
});
