import { expect } from 'chai';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { createRunwareClient, imageInference, RunwareApiError, watchTask, type GenerationEvent } from '../../src/index.js';
import { accentOf } from '../../src/simulator/dialect.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { FAST_WATCH, outcomes, submitVideo } from '../helpers/simulatorTasks.js';

describe('watchTask against the simulator (loopback HTTP)', () => {
  const started: RunningSimulator[] = [];
  const start = async (options: SimulatorOptions = {}): Promise<RunningSimulator> => {
    const running = await startSimulator({ timeScale: 1000, ...options });
    started.push(running);
    return running;
  };
  after(async () => {
    await Promise.all(started.map((running) => running.close()));
  });

  it('watches a single generation to success', async () => {
    // A hand-moved clock: the generation finishes only once the watch has seen it processing.
    let time = 0;
    const simulator = await start({ now: () => time, timeScale: 1, durations: { videoInference: 30_000 } });
    const taskUUID = await submitVideo(simulator);
    const watch = watchTask(taskUUID, { ...FAST_WATCH, baseUrl: simulator.url, apiKey: simulator.apiKey, numberResults: 1 });
    const events = await lastValueFrom(watch.pipe(tap((event) => event.status === 'processing' && (time += 30_000)), toArray()));
    expect(events.map((event) => event.status)).to.deep.equal(['processing', 'success']);
    const success = events[1];
    // A task whose items all say `getResponse` (the seed page's echo) never names its own type: the event says ''.
    const taskType = accentOf('realistic', 1, taskUUID).getResponseTag ? '' : 'videoInference';
    expect(success?.status === 'success' && success.result).to.include({ taskType, taskUUID, cost: 0.18 });
    expect(simulator.stats().polls).to.be.greaterThan(1);
  });

  it('watches several generations with one failing (errors[] shape) and downloads a success URL', async () => {
    const simulator = await start();
    const taskUUID = await submitVideo(simulator, {
      numberResults: 3,
      simulate: { generations: [{ duration: 20_000 }, { duration: 40_000, fail: 'timeoutProvider' }, { duration: 60_000 }] },
    });
    const events = await lastValueFrom(watchTask(taskUUID, { ...FAST_WATCH, baseUrl: simulator.url, apiKey: simulator.apiKey, numberResults: 3 }).pipe(toArray()));
    // Sorted: processing items are anonymous, so which index a generation gets depends on the poll that
    // first sees it finished (a late first poll under load sees generation 0 done and 1 failed at once).
    expect(outcomes(events).sort()).to.deep.equal(['success', 'success', 'timeoutProvider']);
    const success = events.find((event) => event.status === 'success');
    const url = success?.status === 'success' ? success.result.videoURL : undefined;
    const bytes = Buffer.from(await (await fetch(url ?? '')).arrayBuffer());
    expect(bytes.subarray(4, 8).toString('ascii')).to.equal('ftyp');
  });

  it('reads the embedded failure shape the same way', async () => {
    const simulator = await start({ failureShape: 'embedded' });
    const taskUUID = await submitVideo(simulator, { numberResults: 2, simulate: { duration: 10_000, generations: [{ fail: 'providerError', message: 'boom' }] } });
    const events = await lastValueFrom(watchTask(taskUUID, { ...FAST_WATCH, baseUrl: simulator.url, apiKey: simulator.apiKey, numberResults: 2 }).pipe(toArray()));
    expect(outcomes(events)).to.deep.equal(['providerError', 'success']);
    const failed = events.find((event) => event.status === 'error');
    expect(failed?.status === 'error' && failed.error.message).to.equal('boom');
  });

  describe('every ending the simulator can produce (issue 21)', () => {
    const watchOf = (simulator: RunningSimulator, taskUUID: string, options: Parameters<typeof watchTask>[1] = {}) =>
      lastValueFrom(watchTask(taskUUID, { ...FAST_WATCH, timeout: 5000, baseUrl: simulator.url, apiKey: simulator.apiKey, ...options }).pipe(toArray()));

    it('identical text results (simulate.text): two generations, both reported', async () => {
      // Strict: the realistic dialect would drop `status` from one of them, and they would differ.
      const simulator = await start({ dialect: 'strict' });
      const taskUUID = await submitVideo(simulator, { numberResults: 2, simulate: { duration: 10_000, text: 'a fox in snow' } });
      const events = await watchOf(simulator, taskUUID, { numberResults: 2 });
      expect(outcomes(events)).to.deep.equal(['success', 'success']);
      expect(events.flatMap((event) => (event.status === 'success' ? [event.result.text] : []))).to.deep.equal(['a fox in snow', 'a fox in snow']);
    });

    it("an item-level failure (failureShape 'inline') keeps its code and message", async () => {
      const simulator = await start({ failureShape: 'inline' });
      const taskUUID = await submitVideo(simulator, { simulate: { duration: 10_000, generations: [{ fail: 'providerError', message: 'boom' }] } });
      const [failed] = (await watchOf(simulator, taskUUID)).filter((event) => event.status === 'error');
      expect(failed?.status === 'error' && failed.error).to.include({ code: 'providerError', message: 'boom' });
    });

    it("a task-level failure listing fewer generations (failureShape 'task') ends the watch", async () => {
      let time = 0;
      const simulator = await start({ now: () => time, timeScale: 1, failureShape: 'task' });
      const taskUUID = await submitVideo(simulator, { numberResults: 3, simulate: { generations: [{ duration: 10_000 }, { duration: 20_000, fail: 'timeoutProvider' }, { duration: 60_000 }] } });
      // Every reply moves the clock 10 s: the failure is in from the third reply on, the last generation never listed.
      const events = await watchOf(simulator, taskUUID, { numberResults: 3, onAttempt: () => (time += 10_000) });
      expect(outcomes(events)).to.deep.equal(['success', 'timeoutProvider', 'timeoutProvider']);
      const inferred = events.filter((event) => event.status === 'error' && event.error['inferred'] === 'taskEnded');
      expect(inferred.map((event) => event.index)).to.deep.equal([2]);
    });

    it('progress steps (progress: true on both sides) come as processing events', async () => {
      let time = 0;
      const simulator = await start({ now: () => time, timeScale: 1, progress: true });
      const taskUUID = await submitVideo(simulator, { simulate: { duration: 40_000 } });
      const events = await watchOf(simulator, taskUUID, { progress: true, onAttempt: () => (time += 10_000) });
      expect(events.map((event: GenerationEvent) => (event.status === 'processing' ? event.progress : event.status))).to.deep.equal([0, 25, 50, 75, 'success']);
    });

    it('a result in the ack (simulate.resultInAck): client.run emits it without polling', async () => {
      const simulator = await start();
      const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, ...FAST_WATCH });
      const task = imageInference({ model: 'runware:101@1', positivePrompt: 'a paper boat' });
      const events = await lastValueFrom(client.run({ ...task, ...{ simulate: { duration: 0, resultInAck: true } } }).pipe(toArray()));
      expect(outcomes(events)).to.deep.equal(['success']);
      expect(simulator.stats().polls).to.equal(0);
    });
  });

  it('fails the watch with RunwareApiError invalidApiKey on a wrong key, without the key in the message', async () => {
    const simulator = await start();
    const taskUUID = await submitVideo(simulator);
    const error = await lastValueFrom(watchTask(taskUUID, { ...FAST_WATCH, baseUrl: simulator.url, apiKey: 'sim-wrong-key-123' })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(RunwareApiError);
    expect(error).to.include({ code: 'invalidApiKey', status: 401, taskUUID });
    expect(String((error as Error).message)).not.to.include('sim-wrong-key-123');
    expect(simulator.stats().authFailures).to.equal(1);
  });

  it('fails the watch with RunwareApiError taskNotFound for an unknown task', async () => {
    const simulator = await start();
    const error = await lastValueFrom(watchTask(crypto.randomUUID(), { ...FAST_WATCH, baseUrl: simulator.url, apiKey: simulator.apiKey })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(RunwareApiError).and.include({ code: 'taskNotFound' });
  });

  it('gives the same outcomes for the same seed and requests', async () => {
    const run = async (): Promise<string[]> => {
      const simulator = await start({ seed: 7, failureRate: 0.5, durations: { videoInference: { min: 5_000, max: 50_000 } } });
      const taskUUID = await submitVideo(simulator, { numberResults: 4 });
      const events = await lastValueFrom(watchTask(taskUUID, { ...FAST_WATCH, baseUrl: simulator.url, apiKey: simulator.apiKey, numberResults: 4 }).pipe(toArray()));
      // The watch numbers generations in order of sight, which depends on poll timing: compare as a multiset.
      return outcomes(events).sort();
    };
    const first = await run();
    expect(first).to.have.length(4);
    expect(await run()).to.deep.equal(first);
  });
});
