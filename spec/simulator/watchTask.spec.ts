import { expect } from 'chai';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { RunwareApiError, watchTask } from '../../src/index.js';
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
