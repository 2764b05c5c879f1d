import { expect } from 'chai';
import { runCommand } from '../../src/cli/runCommand.js';
import { submitTask } from '../../src/cli/submitTask.js';
import { RunwareApiError } from '../../src/errors.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { bufferIo } from '../helpers/bufferIo.js';

describe('cli run', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({ durations: { imageInference: 0, videoInference: 0 } });
  });
  after(async () => {
    await simulator.close();
  });

  it('submits an async task with includeCost, then watches it to the end', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    const code = await runCommand(['--model', 'runware:101@1', '--prompt', 'a lighthouse at dusk', '--type', 'image', '--number-results', '2', '--base-url', simulator.url], io);
    expect(code, io.err()).to.equal(0);
    expect(io.out()).to.match(/^submitted imageInference [0-9a-f-]{36}\n/);
    expect(io.out()).to.include('summary: 2 succeeded, 0 failed').and.include('.png');
    expect(simulator.stats().tasks).to.be.greaterThan(0);
  });

  it('reports a refused submission as one line and exit 1', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await runCommand(['--model', 'not an air', '--prompt', 'a fox', '--base-url', simulator.url], io)).to.equal(1);
    expect(io.err()).to.match(/^runware-rx run: .*invalidModel/);
  });

  it('submitTask resolves with the acknowledged taskUUID, or rejects with RunwareApiError', async () => {
    const taskUUID = await submitTask({ taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a fox', numberResults: 1, baseUrl: simulator.url, apiKey: simulator.apiKey });
    expect(taskUUID).to.match(/^[0-9a-f-]{36}$/);
    const refused = await submitTask({ taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a fox', numberResults: 5, baseUrl: simulator.url, apiKey: simulator.apiKey }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(RunwareApiError).and.include({ code: 'invalidNumberResults' });
  });
});
