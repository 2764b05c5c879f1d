import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { decodeReply } from '../../src/protocol/decodeReply.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { rawPost, shapeOf, type RawReply } from '../helpers/rawPost.js';

const MODEL = 'klingai:5@3';

// Fixtures of the protocol reference (../shared/runware-protocol.md §7), verbatim.
const F1 = { data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }] };
const F2 = { errors: [{ code: 'unsupportedDuration', message: 'Invalid value for duration parameter. This duration is not supported by the model architecture.', parameter: 'duration', type: 'float', documentation: 'https://runware.ai/docs/en/video-inference/api-reference#request-duration', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', allowedValues: [6] }] };
const VIDEO_PROCESSING = { data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', status: 'processing' }] };
const VIDEO_SUCCESS = { data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', status: 'success', videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71', videoURL: 'https://im.runware.ai/video/ws/0.5/vi/b7db282d-2943-4f12-992f-77df3ad3ec71.mp4', cost: 0.18 }] };
const VIDEO_FAILED = { errors: [{ code: 'timeoutProvider', status: 'error', message: 'The external provider did not respond within the timeout window. The request was automatically terminated.', documentation: 'https://runware.ai/docs/en/video-inference/api-reference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }] };
const F7 = { errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai/signup', parameter: 'apiKey', taskType: 'authentication' }] };

/**
 * Asserts that `actual` has the envelope keys of `fixture`, and that each item has every field of the
 * fixture's first item with the same JSON type, plus only fields from `extras`.
 */
function expectShapeOf(actual: unknown, fixture: Record<string, ReadonlyArray<Record<string, unknown>>>, extras: ReadonlyArray<string> = []): void {
  const body = actual as Record<string, Array<Record<string, unknown>>>;
  expect(Object.keys(body).sort()).to.deep.equal(Object.keys(fixture).sort());
  for (const [key, items] of Object.entries(fixture)) {
    const model = items[0] ?? {};
    const modelShape = shapeOf(model) as Record<string, unknown>;
    expect(body[key]).to.be.an('array').that.is.not.empty;
    for (const item of body[key] ?? []) {
      const itemShape = shapeOf(item) as Record<string, unknown>;
      for (const [field, type] of Object.entries(modelShape)) {
        if (field === 'allowedValues') continue; // specific to unsupportedDuration
        expect(itemShape[field], `${key}[].${field}`).to.deep.equal(type);
      }
      for (const field of Object.keys(itemShape)) expect([...Object.keys(modelShape), ...extras], `unexpected field ${field}`).to.include(field);
    }
  }
}

/** Posts and checks that the reply passes the library's own codec. */
async function post(simulator: RunningSimulator, body: unknown, apiKey: string | null = simulator.apiKey, checkCodec = true): Promise<RawReply> {
  const reply = await rawPost(simulator.url, apiKey, body);
  if (checkCodec) expect(() => decodeReply(reply.json), reply.text).not.to.throw();
  return reply;
}

function video(taskUUID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID, model: MODEL, positivePrompt: 'a red fox in snow', deliveryMethod: 'async', ...extra };
}

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('startSimulator', () => {
  let simulator: RunningSimulator;
  const clock = manualClock();
  const started: RunningSimulator[] = [];
  // These cases hold the documented bytes; the realistic dialect has its own spec (dialect.spec.ts).
  const start = async (options: SimulatorOptions = {}): Promise<RunningSimulator> => {
    const running = await startSimulator({ dialect: 'strict', ...options });
    started.push(running);
    return running;
  };

  before(async () => {
    simulator = await start({ now: clock.now, durations: { videoInference: { min: 30_000, max: 90_000 } } });
  });
  after(async () => {
    await Promise.all(started.map((running) => running.close()));
  });

  it('listens on loopback with a url ending in /v1 and a default key', () => {
    expect(simulator.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(simulator.apiKey).to.match(/^sim-/);
  });

  it('acknowledges an async video task like fixture F1', async () => {
    const taskUUID = crypto.randomUUID();
    const reply = await post(simulator, [video(taskUUID)]);
    expect(reply.status).to.equal(200);
    expect(reply.json).to.deep.equal({ data: [{ taskType: 'videoInference', taskUUID }] });
    expectShapeOf(reply.json, F1);
  });

  it('answers getResponse with processing, then success items like fixture F3, cumulative and in stable order', async () => {
    const taskUUID = crypto.randomUUID();
    await post(simulator, [video(taskUUID, { numberResults: 2, includeCost: true, simulate: { generations: [{ duration: 10_000 }, { duration: 20_000 }] } })]);
    const processing = await post(simulator, [{ taskType: 'getResponse', taskUUID }]);
    expect(processing.json).to.deep.equal({ data: [0, 1].map(() => ({ taskType: 'videoInference', taskUUID, status: 'processing' })) });
    expectShapeOf(processing.json, VIDEO_PROCESSING);

    clock.advance(10_000);
    const half = (await post(simulator, [{ taskType: 'getResponse', taskUUID }])).json as { data: Array<Record<string, unknown>> };
    expect(half.data.map((item) => item['status'])).to.deep.equal(['success', 'processing']);

    clock.advance(10_000);
    const done = await post(simulator, [{ taskType: 'getResponse', taskUUID }]);
    const items = (done.json as { data: Array<Record<string, unknown>> }).data;
    expect(items.map((item) => item['status'])).to.deep.equal(['success', 'success']);
    expect(items[0]).to.deep.equal(half.data[0]);
    expect(items[0]?.['videoUUID']).to.not.equal(items[1]?.['videoUUID']);
    expect(items[0]?.['videoURL']).to.equal(`${simulator.url.replace(/\/v1$/, '')}/media/${String(items[0]?.['videoUUID'])}.mp4`);
    expectShapeOf(done.json, VIDEO_SUCCESS, ['seed']);
  });

  it('leaves cost out unless includeCost was set', async () => {
    const taskUUID = crypto.randomUUID();
    await post(simulator, [video(taskUUID, { simulate: { duration: 0 } })]);
    const reply = (await post(simulator, [{ taskType: 'getResponse', taskUUID }])).json as { data: Array<Record<string, unknown>> };
    expect(reply.data[0]).to.include({ status: 'success' }).and.not.have.property('cost');
  });

  it('moves a failed generation to errors[] like fixture F3', async () => {
    const taskUUID = crypto.randomUUID();
    await post(simulator, [video(taskUUID, { simulate: { duration: 0, generations: [{ fail: 'timeoutProvider' }] } })]);
    const reply = await post(simulator, [{ taskType: 'getResponse', taskUUID }]);
    expect(reply.status).to.equal(200);
    expect(reply.json).to.deep.equal(VIDEO_FAILED.errors[0] && { errors: [{ ...VIDEO_FAILED.errors[0], taskUUID }] });
  });

  it('embeds a failed generation in data[] with failureShape embedded', async () => {
    const embedded = await start({ failureShape: 'embedded', durations: { videoInference: 0 }, failureRate: 1, failureCodes: ['providerError'] });
    const taskUUID = crypto.randomUUID();
    await post(embedded, [video(taskUUID)]);
    const reply = (await post(embedded, [{ taskType: 'getResponse', taskUUID }])).json as { data: Array<Record<string, unknown>> };
    expect(reply).to.have.keys('data');
    expect(reply.data[0]).to.deep.include({ taskType: 'videoInference', taskUUID, status: 'error' });
    expect(reply.data[0]?.['error']).to.include({ code: 'providerError' });
  });

  it('refuses a wrong key with 401 and fixture F7, and a missing key with 401 missingApiKey', async () => {
    const wrong = await post(simulator, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }], 'not-the-key');
    expect(wrong.status).to.equal(401);
    expectShapeOf(wrong.json, F7, ['type']);
    expect(wrong.json).to.deep.equal({ errors: [{ ...F7.errors[0], type: 'string' }] });
    expect(wrong.text).not.to.include('not-the-key');
    const missing = await post(simulator, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }], null);
    expect(missing.status).to.equal(401);
    expect((missing.json as typeof F7).errors[0]?.code).to.equal('missingApiKey');
  });

  it('accepts an authentication task first instead of the header, and checks its key', async () => {
    const taskUUID = crypto.randomUUID();
    // The authentication item has no taskUUID (fixture F6), which the watch codec requires: skip it here.
    const reply = await post(simulator, [{ taskType: 'authentication', apiKey: simulator.apiKey }, video(taskUUID)], null, false);
    expect(reply.status).to.equal(200);
    const data = (reply.json as { data: Array<Record<string, unknown>> }).data;
    expect(data[0]).to.have.property('connectionSessionUUID').that.is.a('string');
    expect(data[1]).to.deep.equal({ taskType: 'videoInference', taskUUID });
    const refused = await post(simulator, [{ taskType: 'authentication', apiKey: 'nope' }, video(crypto.randomUUID())], null);
    expect(refused.status).to.equal(401);
  });

  describe('validation (fixture F2 shape)', () => {
    const cases: Array<[string, (taskUUID: string) => Record<string, unknown>, string, string]> = [
      ['a missing model', (id) => ({ taskType: 'videoInference', taskUUID: id, positivePrompt: 'a fox', deliveryMethod: 'async' }), 'missingModel', 'model'],
      ['a missing positivePrompt', (id) => ({ taskType: 'videoInference', taskUUID: id, model: MODEL, deliveryMethod: 'async' }), 'missingPositivePrompt', 'positivePrompt'],
      ['numberResults 5 for video', (id) => video(id, { numberResults: 5 }), 'invalidNumberResults', 'numberResults'],
      ['numberResults 0', (id) => video(id, { numberResults: 0 }), 'invalidNumberResults', 'numberResults'],
      ['a malformed simulate extension', (id) => video(id, { simulate: { generations: [{ fail: 3 }] } }), 'invalidSimulate', 'simulate.generations.0.fail'],
    ];
    for (const [what, build, code, parameter] of cases) {
      it(`refuses ${what} with ${code}`, async () => {
        const taskUUID = crypto.randomUUID();
        const reply = await post(simulator, [build(taskUUID)]);
        expect(reply.status).to.equal(400);
        expectShapeOf(reply.json, F2, ['taskType', 'min', 'max']);
        expect((reply.json as typeof F2).errors[0]).to.include({ code, parameter, taskUUID });
      });
    }

    it('refuses a duplicate taskUUID with conflictTaskUUID', async () => {
      const taskUUID = crypto.randomUUID();
      await post(simulator, [video(taskUUID)]);
      const reply = await post(simulator, [video(taskUUID)]);
      expect(reply.status).to.equal(400);
      expect((reply.json as typeof F2).errors[0]).to.include({ code: 'conflictTaskUUID', taskUUID, parameter: 'taskUUID' });
    });

    it('refuses a taskUUID that is not a UUID', async () => {
      const reply = await post(simulator, [{ taskType: 'getResponse', taskUUID: 'not-a-uuid' }]);
      expect(reply.status).to.equal(400);
      expect((reply.json as typeof F2).errors[0]).to.include({ code: 'invalidTaskUUID', parameter: 'taskUUID' });
    });

    it('refuses a body that is not a JSON array of tasks', async () => {
      const reply = await rawPost(simulator.url, simulator.apiKey, '{"taskType":"getResponse"}');
      expect(reply.status).to.equal(400);
      expect(decodeReply(reply.json).errors?.[0]?.code).to.equal('invalidRequestBody');
    });
  });

  it('answers several tasks together, each error scoped to its own taskUUID', async () => {
    const good = crypto.randomUUID();
    const bad = crypto.randomUUID();
    const reply = await post(simulator, [video(good), video(bad, { numberResults: 9 })]);
    expect(reply.status).to.equal(200);
    const body = reply.json as { data: Array<Record<string, unknown>>; errors: Array<Record<string, unknown>> };
    expect(body.data).to.deep.equal([{ taskType: 'videoInference', taskUUID: good }]);
    expect(body.errors).to.have.length(1);
    expect(body.errors[0]).to.include({ taskUUID: bad, code: 'invalidNumberResults' });
  });

  it('answers getResponse for an unknown taskUUID with a taskNotFound error (configurable)', async () => {
    const taskUUID = crypto.randomUUID();
    const reply = await post(simulator, [{ taskType: 'getResponse', taskUUID }]);
    expect(reply.status).to.equal(200);
    expect((reply.json as { errors: unknown[] }).errors[0]).to.include({ code: 'taskNotFound', taskUUID });
    const other = await start({ unknownTask: { code: 'taskFailedOrNotFound', status: 404 } });
    const otherReply = await post(other, [{ taskType: 'getResponse', taskUUID }]);
    expect(otherReply.status).to.equal(404);
    expect((otherReply.json as { errors: Array<{ code: string }> }).errors[0]?.code).to.equal('taskFailedOrNotFound');
  });

  it('answers an image task sent sync at once with its results, and async with an ack', async () => {
    const sync = crypto.randomUUID();
    const reply = await post(simulator, [{ taskType: 'imageInference', taskUUID: sync, model: 'runware:101@1', positivePrompt: 'a lighthouse', numberResults: 2 }]);
    const data = (reply.json as { data: Array<Record<string, unknown>> }).data;
    expect(data.map((item) => item['status'])).to.deep.equal(['success', 'success']);
    expect(data[0]?.['imageURL']).to.match(/\/media\/[0-9a-f-]{36}\.png$/);
    const async = crypto.randomUUID();
    const ack = await post(simulator, [{ taskType: 'audioInference', taskUUID: async, model: 'elevenlabs:1@1', positivePrompt: 'rain on a roof', deliveryMethod: 'async' }]);
    expect(ack.json).to.deep.equal({ data: [{ taskType: 'audioInference', taskUUID: async }] });
  });

  it('serves tiny valid media at the success URLs (MP4, PNG, MP3 magic bytes)', async () => {
    const videoUUID = crypto.randomUUID();
    await post(simulator, [video(videoUUID, { simulate: { duration: 0 } })]);
    const poll = (await post(simulator, [{ taskType: 'getResponse', taskUUID: videoUUID }])).json as { data: Array<{ videoURL: string }> };
    const mp4 = await fetch(poll.data[0]?.videoURL ?? '');
    expect(mp4.headers.get('content-type')).to.equal('video/mp4');
    const mp4Bytes = Buffer.from(await mp4.arrayBuffer());
    expect(mp4Bytes.subarray(4, 8).toString('ascii')).to.equal('ftyp');
    expect(mp4Bytes.includes(Buffer.from('moov'))).to.equal(true);

    const image = (await post(simulator, [{ taskType: 'imageInference', taskUUID: crypto.randomUUID(), model: 'runware:101@1', positivePrompt: 'a lighthouse' }])).json as { data: Array<{ imageURL: string }> };
    const png = Buffer.from(await (await fetch(image.data[0]?.imageURL ?? '')).arrayBuffer());
    expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const audio = (await post(simulator, [{ taskType: 'audioInference', taskUUID: crypto.randomUUID(), model: 'elevenlabs:1@1', positivePrompt: 'rain' }])).json as { data: Array<{ audioURL: string }> };
    const mp3 = Buffer.from(await (await fetch(audio.data[0]?.audioURL ?? '')).arrayBuffer());
    expect([...mp3.subarray(0, 2)]).to.deep.equal([0xff, 0xfb]);

    expect((await fetch(`${simulator.url.replace(/\/v1$/, '')}/media/${crypto.randomUUID()}.mp4`)).status).to.equal(404);
  });

  it('answers a CORS preflight and puts CORS headers on replies', async () => {
    const preflight = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const url = new URL(simulator.url);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:9', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers['access-control-allow-origin']).to.equal('*');
    expect(String(preflight.headers['access-control-allow-methods'])).to.include('POST');
    expect(String(preflight.headers['access-control-allow-headers'])).to.include('authorization');
    const reply = await post(simulator, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]);
    expect(reply.headers.get('access-control-allow-origin')).to.equal('*');
  });

  it('is reproducible from its seed', async () => {
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const run = async (seed: number): Promise<string> => {
      const fixed = manualClock();
      const running = await start({ seed, now: fixed.now, failureRate: 0.5, durations: { videoInference: { min: 1000, max: 9000 } } });
      await post(running, ids.map((id) => video(id, { numberResults: 4 })));
      fixed.advance(5000);
      const reply = await post(running, ids.map((taskUUID) => ({ taskType: 'getResponse', taskUUID })));
      await running.close();
      return reply.text.split(running.url.replace(/\/v1$/, '')).join('ORIGIN');
    };
    const first = await run(42);
    expect(await run(42)).to.equal(first);
    expect(await run(43)).to.not.equal(first);
  });

  it('forgets the oldest tasks beyond maxTasks', async () => {
    const small = await start({ maxTasks: 2 });
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    for (const id of ids) await post(small, [video(id)]);
    const reply = await post(small, ids.map((taskUUID) => ({ taskType: 'getResponse', taskUUID })));
    const body = reply.json as { data: Array<{ taskUUID: string }>; errors: Array<{ taskUUID: string; code: string }> };
    expect(body.errors.map((error) => [error.taskUUID, error.code])).to.deep.equal([[ids[0], 'taskNotFound']]);
    expect(body.data.map((item) => item.taskUUID)).to.deep.equal([ids[1], ids[2]]);
  });

  it('counts requests, tasks, polls, auth failures and media in stats()', async () => {
    const counted = await start({ durations: { videoInference: 0 } });
    const taskUUID = crypto.randomUUID();
    await post(counted, [video(taskUUID, { numberResults: 2 })]);
    const poll = (await post(counted, [{ taskType: 'getResponse', taskUUID }, { taskType: 'getResponse', taskUUID }])).json as { data: Array<{ videoURL: string }> };
    await post(counted, [{ taskType: 'getResponse', taskUUID }], 'wrong');
    await fetch(poll.data[0]?.videoURL ?? '');
    expect(counted.stats()).to.deep.equal({ requests: 3, tasks: 1, polls: 2, authFailures: 1, validationErrors: 0, mediaRequests: 1, faults: {}, faultsInjected: 0 });
  });

  it('rejects bad options before listening', async () => {
    for (const options of [{ timeScale: 0 }, { failureRate: 2 }, { port: -1 }, { durations: { videoInference: { min: 5, max: 1 } } }, { faults: { rate: 0.5, kinds: ['nope' as 'hang'] } }] as SimulatorOptions[]) {
      let failure: unknown;
      try {
        await start(options);
      } catch (error) {
        failure = error;
      }
      expect(failure, JSON.stringify(options)).to.be.instanceOf(RangeError);
    }
  });

  it('ends hung connections on close() so clients fail fast', async () => {
    const hanging = await startSimulator({ faults: { script: ['hang'] } });
    const pending = rawPost(hanging.url, hanging.apiKey, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]).then(
      () => 'answered',
      () => 'failed',
    );
    while (hanging.stats().faultsInjected === 0) await new Promise((resolve) => setImmediate(resolve));
    await hanging.close();
    expect(await pending).to.equal('failed');
  });
});
