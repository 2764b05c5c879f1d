import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { RunwareApiError, RunwareDecodeError, RunwareHttpError, watchTask, type GenerationEvent } from '../../src/index.js';
import { FAULT_KINDS, startSimulator, TRANSIENT_FAULTS, type FaultKind, type FaultSpec, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { createFaultPlanner, FAULT_TABLE, resolveFault } from '../../src/simulator/faults.js';
import { mulberry32 } from '../../src/simulator/random.js';
import { rawPost } from '../helpers/rawPost.js';
import { FAST_WATCH, outcomes, submitVideo } from '../helpers/simulatorTasks.js';

/** Three generations finishing at different moments, the second failing. */
const SCRIPTED = { numberResults: 3, simulate: { generations: [{ duration: 10_000 }, { duration: 25_000, fail: 'timeoutProvider' }, { duration: 40_000 }] } };
const EXPECTED = ['success', 'timeoutProvider', 'success'].sort();

describe('simulator faults', () => {
  const started: RunningSimulator[] = [];
  const start = async (options: SimulatorOptions): Promise<RunningSimulator> => {
    const running = await startSimulator({ timeScale: 1000, ...options });
    started.push(running);
    return running;
  };
  after(async () => {
    await Promise.all(started.map((running) => running.close()));
  });

  const watch = async (simulator: RunningSimulator, taskUUID: string, extra: Record<string, unknown> = {}): Promise<GenerationEvent[] | unknown> =>
    lastValueFrom(watchTask(taskUUID, { ...FAST_WATCH, baseUrl: simulator.url, apiKey: simulator.apiKey, numberResults: 3, ...extra }).pipe(toArray())).catch((error: unknown) => error);

  // Transient faults: retried by the watch, which still ends with the right outcome; with no retry
  // budget, they surface as the right typed error.
  const transient: Array<[FaultSpec, (error: unknown) => void]> = [
    [{ kind: 'rateLimit', retryAfter: 0 }, (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 429, retryAfter: '0' })],
    ['rateLimitNoRetryAfter', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 429, retryAfter: undefined })],
    ['serverError', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 500 })],
    ['badGateway', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 502 })],
    ['serviceUnavailable', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 503 })],
    ['gatewayTimeout', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 504 })],
    [{ kind: 'slow', delay: 400 }, (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'timeout' })],
    ['hang', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'timeout' })],
    ['reset', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'network' })],
    ['malformedJson', (error) => expect(error).to.be.instanceOf(RunwareDecodeError)],
    ['htmlError', (error) => expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 502 })],
    ['codecMismatch', (error) => expect(error).to.be.instanceOf(RunwareDecodeError)],
    ['emptyBody', (error) => expect(error).to.be.instanceOf(RunwareDecodeError)],
  ];

  for (const [spec, check] of transient) {
    const kind = typeof spec === 'string' ? spec : spec.kind;
    it(`${kind}: retried, the watch still ends with the right outcome`, async () => {
      const simulator = await start({ faults: { script: [spec, spec] } });
      const taskUUID = await submitVideo(simulator, SCRIPTED);
      // A short request timeout turns hang and slow into timeouts quickly; slow replies within it pass.
      const result = await watch(simulator, taskUUID, { requestTimeout: kind === 'slow' ? 2000 : 150 });
      expect(result).to.be.an('array');
      expect(outcomes(result as GenerationEvent[]).sort()).to.deep.equal(EXPECTED);
      // A slow reply is a success: the generations finish while it waits, so there may be no second poll.
      expect(simulator.stats().faults[kind]).to.equal(kind === 'slow' ? 1 : 2);
    });

    it(`${kind}: with no retries left, the watch fails with the right typed error`, async () => {
      const simulator = await start({ faults: { script: [spec] } });
      const taskUUID = await submitVideo(simulator, SCRIPTED);
      const result = await watch(simulator, taskUUID, { retries: 0, requestTimeout: 150 });
      check(result);
      expect(result).to.include({ taskUUID });
    });
  }

  // Body faults a client must read through without error.
  for (const kind of ['duplicateItems', 'missingGeneration', 'reorderedItems', 'unknownStatus'] as const) {
    it(`${kind}: read through, the watch ends with the right outcome`, async () => {
      // A clock that moves 5 simulated s per poll, not with the machine: the generations finish on the
      // 3rd, 6th and 9th poll however slow the machine is, so all three scripted faults are played.
      let reads = 0;
      const simulator = await start({ faults: { script: [kind, kind, kind] }, timeScale: 1, now: () => (reads += 1) * 5_000 });
      const taskUUID = await submitVideo(simulator, SCRIPTED);
      const result = await watch(simulator, taskUUID);
      expect(result).to.be.an('array');
      expect(outcomes(result as GenerationEvent[]).sort()).to.deep.equal(EXPECTED);
      expect(simulator.stats().faults[kind]).to.equal(3);
    });
  }

  it('requestError: a 200 with a request-level errors[] of a final code ends the watch with RunwareApiError', async () => {
    const simulator = await start({ faults: { script: [{ kind: 'requestError', code: 'invalidApiKey' }] } });
    const taskUUID = await submitVideo(simulator, SCRIPTED);
    const result = await watch(simulator, taskUUID);
    expect(result).to.be.instanceOf(RunwareApiError).and.include({ code: 'invalidApiKey', taskUUID, retryable: false });
  });

  it('requestError: a server-side code without taskUUID (internalServerError) is transient, ridden out', async () => {
    const simulator = await start({ faults: { script: [{ kind: 'requestError', code: 'internalServerError' }] } });
    const taskUUID = await submitVideo(simulator, SCRIPTED);
    const result = await watch(simulator, taskUUID);
    expect(outcomes(result as GenerationEvent[]).sort()).to.deep.equal(EXPECTED);
  });

  it('has a test above for every fault kind', () => {
    const tested = [...transient.map(([spec]) => (typeof spec === 'string' ? spec : spec.kind)), 'duplicateItems', 'missingGeneration', 'reorderedItems', 'unknownStatus', 'requestError'];
    expect([...tested].sort()).to.deep.equal([...FAULT_KINDS].sort());
  });

  describe('on the wire', () => {
    it('sends the HTTP status the fault table gives each kind (the computed one where it says so)', async () => {
      const answered = FAULT_KINDS.filter((kind) => FAULT_TABLE[kind].status !== null);
      const simulator = await start({ faults: { script: answered.map((kind): FaultSpec => (kind === 'slow' ? { kind, delay: 0 } : kind)) } });
      const poll = [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }];
      for (const kind of answered) {
        const { status } = FAULT_TABLE[kind];
        const reply = await rawPost(simulator.url, simulator.apiKey, poll);
        // An unknown taskUUID is computed as HTTP 200 by default.
        expect(reply.status, kind).to.equal(status === 'computed' ? 200 : status);
      }
      expect(simulator.stats().faultsInjected).to.equal(answered.length);
    });

    it('draws, by default, the kinds the table marks transient', () => {
      expect(TRANSIENT_FAULTS).to.deep.equal(['rateLimit', 'rateLimitNoRetryAfter', 'serverError', 'badGateway', 'serviceUnavailable', 'gatewayTimeout', 'slow', 'reset', 'malformedJson', 'htmlError', 'emptyBody']);
    });

    it('sends Retry-After: 1 with a default rateLimit, none with rateLimitNoRetryAfter', async () => {
      const simulator = await start({ faults: { script: ['rateLimit', 'rateLimitNoRetryAfter'] } });
      const poll = [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }];
      const first = await rawPost(simulator.url, simulator.apiKey, poll);
      expect(first.status).to.equal(429);
      expect(first.headers.get('retry-after')).to.equal('1');
      const second = await rawPost(simulator.url, simulator.apiKey, poll);
      expect(second.status).to.equal(429);
      expect(second.headers.get('retry-after')).to.equal(null);
    });

    it('leaves submissions alone with the default getResponse scope, and hits them with scope request', async () => {
      const polls = await start({ faults: { rate: 1, kinds: ['serverError'] } });
      await submitVideo(polls);
      expect(polls.stats().faultsInjected).to.equal(0);
      const all = await start({ faults: { rate: 1, kinds: ['serverError'], scope: 'request' } });
      const reply = await rawPost(all.url, all.apiKey, [{ taskType: 'videoInference', taskUUID: crypto.randomUUID(), model: 'klingai:5@3', positivePrompt: 'a fox' }]);
      expect(reply.status).to.equal(500);
      expect(all.stats().faults).to.deep.equal({ serverError: 1 });
    });

    it('serves an HTML page for htmlError and half a JSON body for malformedJson', async () => {
      const simulator = await start({ faults: { script: [{ kind: 'htmlError', status: 503 }, 'malformedJson'] } });
      const poll = [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }];
      const html = await rawPost(simulator.url, simulator.apiKey, poll);
      expect(html.status).to.equal(503);
      expect(html.headers.get('content-type')).to.match(/^text\/html/);
      const cut = await rawPost(simulator.url, simulator.apiKey, poll);
      expect(cut.status).to.equal(200);
      expect(cut.json).to.equal(undefined);
      expect(cut.text.startsWith('{"errors":[{"code":"taskNotFound"')).to.equal(true);
    });
  });

  describe('planner', () => {
    it('plays the script first (null meaning no fault), then draws at the rate from its random', () => {
      const planner = createFaultPlanner({ script: ['reset', null, 'hang'], rate: 1, kinds: ['emptyBody'] }, mulberry32(1));
      expect([1, 2, 3, 4].map(() => planner.next()?.kind)).to.deep.equal(['reset', undefined, 'hang', 'emptyBody']);
    });

    it('draws about `rate` of the time, reproducibly', () => {
      const draw = (): Array<FaultKind | undefined> => {
        const planner = createFaultPlanner({ rate: 0.25 }, mulberry32(9));
        return Array.from({ length: 400 }, () => planner.next()?.kind);
      };
      const first = draw();
      expect(draw()).to.deep.equal(first);
      const hits = first.filter((kind) => kind !== undefined).length;
      expect(hits).to.be.within(60, 140);
    });

    it('resolves defaults and rejects bad parameters', () => {
      expect(resolveFault('rateLimit')).to.include({ kind: 'rateLimit', retryAfter: 1 });
      expect(resolveFault('slow')).to.include({ delay: 200 });
      expect(resolveFault({ kind: 'unknownStatus', status: 'pending' })).to.include({ itemStatus: 'pending' });
      expect(() => resolveFault({ kind: 'rateLimit', retryAfter: 0.5 })).to.throw(RangeError);
      expect(() => resolveFault({ kind: 'htmlError', status: 200 })).to.throw(RangeError);
    });
  });
});
