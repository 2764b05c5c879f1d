import { expect } from 'chai';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createRunwareClient, RunwareApiError, type VideoInferenceTask } from '../../src/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

describe('createRunwareClient against the simulator (loopback HTTP)', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({ timeScale: 1000, seed: 3 });
  });
  after(async () => {
    await simulator.close();
  });

  const video = (duration: number, numberResults: number, fail = false) =>
    ({
      taskType: 'videoInference',
      model: 'runware:sim@1',
      positivePrompt: 'a fox in snow',
      duration: 5,
      numberResults,
      simulate: { duration, generations: fail ? [{}, { fail: 'timeoutProvider' }] : [] },
    }) satisfies VideoInferenceTask & { simulate: unknown };

  it('watches 3dInference tasks to success over the realistic dialect: outputs.files, with or without status, downloadable', async () => {
    const client = createRunwareClient({ apiKey: simulator.apiKey, baseUrl: simulator.url, initialDelay: 10, interval: 10, multiplier: 1, jitter: 0 });
    const taskUUIDs = Array.from({ length: 4 }, () => crypto.randomUUID());
    const tasks = taskUUIDs.map((taskUUID) => ({ taskType: '3dInference', taskUUID, model: 'runware:3d@1', positivePrompt: 'a paper boat', numberResults: 2, simulate: { duration: 20_000 } }));
    const ack = await fetch(simulator.url, { method: 'POST', headers: { Authorization: `Bearer ${simulator.apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(tasks) });
    expect(ack.status).to.equal(200);
    for (const taskUUID of taskUUIDs) {
      const events = await lastValueFrom(client.watchTask(taskUUID, { numberResults: 2 }).pipe(toArray()));
      const results = events.flatMap((event) => (event.status === 'success' ? [event.result] : []));
      expect(results, taskUUID).to.have.length(2);
      for (const result of results) {
        const files = (result['outputs'] as { files: Array<{ uuid: string; url: string }> }).files;
        const download = await fetch(files[0]?.url ?? '');
        expect(download.headers.get('content-type')).to.equal('model/gltf-binary');
        expect(Buffer.from(await download.arrayBuffer()).subarray(0, 4).toString('ascii')).to.equal('glTF');
      }
    }
  });

  it('runs several tasks with batched polls, each watch seeing only its own generations', async () => {
    const client = createRunwareClient({ apiKey: simulator.apiKey, baseUrl: simulator.url, batch: { window: 20 }, fetch: globalThis.fetch });
    const fast = { initialDelay: 10, interval: 10, multiplier: 1, jitter: 0 };
    const before = simulator.stats();
    const tasks = [video(30_000, 1), video(60_000, 2), video(20_000, 2, true), video(45_000, 1)];
    const results = await Promise.all(tasks.map((task) => lastValueFrom(client.run(task, fast).pipe(toArray()))));
    const finished = results.map((events) => events.filter((event) => event.status !== 'processing').map((event) => `${event.index}:${event.status}`));
    expect(finished).to.deep.equal([['0:success'], ['0:success', '1:success'], ['0:success', '1:error'], ['0:success']]);
    for (const events of results) expect(new Set(events.map((event) => event.taskUUID)).size).to.equal(1);
    const after = simulator.stats();
    const polls = after.polls - before.polls;
    const pollRequests = after.requests - before.requests - tasks.length;
    expect(pollRequests).to.be.lessThan(polls);
  });

  it('refuses a task with a bad key without a poll, and never writes the key', async () => {
    const apiKey = 'not-the-simulator-key-42';
    const client = createRunwareClient({ apiKey, baseUrl: simulator.url });
    const error = await lastValueFrom(client.run(video(1000, 1))).catch((caught: unknown) => caught);
    expect(error).to.have.property('name', 'RunwareApiError');
    expect(String(error)).to.not.include(apiKey);
  });

  it('surfaces a refused submit as RunwareApiError with the wire fields', async () => {
    const client = createRunwareClient({ apiKey: simulator.apiKey, baseUrl: simulator.url });
    const error = await firstValueFrom(client.submit({ ...video(1000, 1), model: 'not an air' })).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareApiError);
    expect(error).to.include({ code: 'invalidModel', parameter: 'model' });
    expect((error as RunwareApiError).wire).to.deep.include({ type: 'string' });
  });

  it('reports a wrong key on getResponse as a 401 bound to the task, without ever writing the key', async () => {
    const apiKey = 'wrong-key-5a4b3c2d1e';
    const taskUUID = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
    const error = await firstValueFrom(createRunwareClient({ apiKey, baseUrl: simulator.url }).getResponse(taskUUID)).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareApiError);
    expect(error).to.include({ code: 'invalidApiKey', status: 401, taskUUID });
    expect(`${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: Infinity })}`).to.not.include(apiKey);
  });
});
