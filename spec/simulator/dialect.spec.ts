/**
 * The simulator's dialects, on the wire: each realistic shape is sent, each only per the task's seeded
 * accent (the same on every poll and in every run with that seed), and the strict dialect sends none.
 */
import { expect } from 'chai';
import { startSimulator, type Dialect, type RunningSimulator } from '../../src/simulator/index.js';
import { accentOf } from '../../src/simulator/dialect.js';
import { mulberry32, randomUUID } from '../../src/simulator/random.js';
import { rawPost, type RawReply } from '../helpers/rawPost.js';

type Item = Record<string, unknown>;

const SEED = 3;
/** Fixed taskUUIDs, so the accents (drawn from seed and taskUUID) are the same in every run. */
const uuids = (count: number, salt: number): string[] => {
  const random = mulberry32(salt);
  return Array.from({ length: count }, () => randomUUID(random));
};

/** Generation 0 succeeds, 1 fails, 2 never ends (per task); submitted at clock 0, polled at clock 2000. */
const SCRIPT = { generations: [{ duration: 1000 }, { duration: 1000, fail: 'timeoutProvider' }, { duration: 1e9 }] };
const TASK_TYPES = [
  { taskType: 'videoInference', model: 'klingai:5@3', urlOf: (item: Item) => item['videoURL'] },
  { taskType: 'imageInference', model: 'runware:101@1', urlOf: (item: Item) => item['imageURL'] },
  { taskType: 'audioInference', model: 'elevenlabs:1@1', urlOf: (item: Item) => item['audioURL'] },
  { taskType: '3dInference', model: 'runware:3d@1', urlOf: (item: Item) => (item['outputs'] as { files?: Item[] } | undefined)?.files?.[0]?.['url'] },
] as const;

describe('simulator dialects', () => {
  const started: RunningSimulator[] = [];
  after(async () => {
    await Promise.all(started.map((simulator) => simulator.close()));
  });

  /** Submits 12 tasks of each type and returns every task's single-poll reply at clock 2000. */
  async function pollAll(dialect: Dialect): Promise<{ simulator: RunningSimulator; replies: Map<string, RawReply>; types: Map<string, string> }> {
    let clock = 0;
    const simulator = await startSimulator({ dialect, seed: SEED, timeScale: 1, now: () => clock });
    started.push(simulator);
    const types = new Map<string, string>();
    for (const [position, { taskType, model }] of TASK_TYPES.entries()) {
      const batch = uuids(12, 100 + position).map((taskUUID) => ({ taskType, taskUUID, model, positivePrompt: 'a red fox in snow', deliveryMethod: 'async', numberResults: 3, simulate: SCRIPT }));
      const ack = await rawPost(simulator.url, simulator.apiKey, batch);
      expect(ack.status, ack.text).to.equal(200);
      for (const task of batch) types.set(task.taskUUID, taskType);
    }
    clock = 2000;
    const replies = new Map<string, RawReply>();
    for (const taskUUID of types.keys()) replies.set(taskUUID, await rawPost(simulator.url, simulator.apiKey, [{ taskType: 'getResponse', taskUUID }]));
    return { simulator, replies, types };
  }

  const bodies = (replies: Map<string, RawReply>): Array<{ data?: Item[]; errors?: Item[]; error?: Item | Item[] }> => [...replies.values()].map((reply) => reply.json as never);
  const dataItems = (replies: Map<string, RawReply>): Item[] => bodies(replies).flatMap((body) => body.data ?? []);

  describe('realistic', () => {
    let realistic: Awaited<ReturnType<typeof pollAll>>;
    before(async () => {
      realistic = await pollAll('realistic');
    });

    it('answers every poll with HTTP 200 and every generation of the task', () => {
      for (const [taskUUID, reply] of realistic.replies) {
        expect(reply.status, taskUUID).to.equal(200);
        const body = reply.json as { data?: Item[]; errors?: Item[]; error?: Item | Item[] };
        const failures = body.errors ?? (body.error === undefined ? [] : [body.error].flat());
        expect((body.data ?? []).length + failures.length, taskUUID).to.equal(3);
      }
    });

    it('tags some items taskType "getResponse", as the seed page says a response does', () => {
      expect(dataItems(realistic.replies).some((item) => item['taskType'] === 'getResponse')).to.equal(true);
      expect(bodies(realistic.replies).some((body) => (body.errors ?? []).some((item) => item['taskType'] === 'getResponse'))).to.equal(true);
    });

    it('sends results without status, for every task type, each still carrying its output', () => {
      for (const { taskType, urlOf } of TASK_TYPES) {
        const ofType = [...realistic.replies].filter(([taskUUID]) => realistic.types.get(taskUUID) === taskType);
        const statusless = dataItems(new Map(ofType)).filter((item) => !('status' in item));
        expect(statusless.length, taskType).to.be.above(0);
        for (const item of statusless) expect(urlOf(item), taskType).to.be.a('string');
      }
    });

    it('sends processing items with progress and without taskType', () => {
      const bare = dataItems(realistic.replies).filter((item) => item['status'] === 'processing' && !('taskType' in item));
      expect(bare.length).to.be.above(0);
      for (const item of bare) expect(item['progress']).to.be.a('number');
    });

    it('sends null for fields a result does not carry, and fields no document lists', () => {
      const items = dataItems(realistic.replies);
      expect(items.some((item) => item['cost'] === null && item['NSFWContent'] === null)).to.equal(true);
      expect(items.some((item) => item['outputType'] === 'URL' && typeof item['outputFormat'] === 'string')).to.equal(true);
      expect(bodies(realistic.replies).some((body) => (body.errors ?? []).some((item) => typeof item['responseContent'] === 'object'))).to.equal(true);
    });

    it('puts some failures under the legacy singular error key, an object for one failure', () => {
      const legacy = bodies(realistic.replies).filter((body) => 'error' in body);
      expect(legacy.length).to.be.above(0);
      for (const body of legacy) {
        expect(body).to.not.have.property('errors');
        expect(body.error).to.include({ code: 'timeoutProvider', status: 'error' });
      }
    });

    it('sends some validation errors with parameter as an array of strings', async () => {
      const refused = await Promise.all(
        uuids(12, 7).map((taskUUID) => rawPost(realistic.simulator.url, realistic.simulator.apiKey, [{ taskType: 'videoInference', taskUUID, positivePrompt: 'a fox', deliveryMethod: 'async' }])),
      );
      const parameters = refused.map((reply) => (reply.json as { errors: Item[] }).errors[0]?.['parameter']);
      expect(parameters).to.deep.include(['model']);
      expect(parameters).to.include('model');
    });

    it('refuses a poll of several tasks holding an unknown one as a whole: HTTP 400, errors scoped to the unknown task, the known task\'s items kept', async () => {
      const [known = ''] = realistic.types.keys();
      const unknown = uuids(1, 999)[0] ?? '';
      const reply = await rawPost(realistic.simulator.url, realistic.simulator.apiKey, [
        { taskType: 'getResponse', taskUUID: known },
        { taskType: 'getResponse', taskUUID: unknown },
      ]);
      expect(reply.status).to.equal(400);
      const { data, errors } = reply.json as { data: Item[]; errors: Item[] };
      expect(errors).to.have.nested.property('[0].taskUUID', unknown);
      const kept = [...data, ...errors.slice(1)];
      expect(kept).to.not.be.empty;
      expect(kept.every((item) => item['taskUUID'] === known)).to.equal(true);
      // A poll of the unknown task alone is answered as in the strict dialect.
      const alone = await rawPost(realistic.simulator.url, realistic.simulator.apiKey, [{ taskType: 'getResponse', taskUUID: unknown }]);
      expect(alone.status).to.equal(200);
    });

    it('speaks with each task the same on every poll, and in every run with the same seed', async () => {
      const origin = (simulator: RunningSimulator): string => simulator.url.replace(/\/v1$/, '');
      const again = await pollAll('realistic');
      for (const [taskUUID, reply] of realistic.replies) {
        const repeated = await rawPost(realistic.simulator.url, realistic.simulator.apiKey, [{ taskType: 'getResponse', taskUUID }]);
        expect(repeated.text, 'a second poll').to.equal(reply.text);
        const otherRun = again.replies.get(taskUUID)?.text.replaceAll(origin(again.simulator), origin(realistic.simulator));
        expect(otherRun, 'another run').to.equal(reply.text);
      }
    });

    it('draws the accent from the seed and the taskUUID in any case, nothing else', () => {
      const [taskUUID = ''] = uuids(1, 5);
      const shapes = (seed: number, uuid: string) => {
        const { statusless, ...flags } = accentOf('realistic', seed, uuid);
        return { ...flags, statusless: [0, 1, 2, 3].map(statusless) };
      };
      expect(shapes(SEED, taskUUID.toUpperCase())).to.deep.equal(shapes(SEED, taskUUID));
      const seeds = Array.from({ length: 16 }, (_, seed) => JSON.stringify(shapes(seed, taskUUID)));
      expect(new Set(seeds).size, 'different seeds, different accents').to.be.above(1);
    });
  });

  describe('request-level and code-less failures', () => {
    const failing = { generations: [{ duration: 0, fail: 'unknownError', message: 'the model crashed' }] };
    const failedReply = async (dialect: Dialect): Promise<RawReply> => {
      const simulator = await startSimulator({ dialect, seed: SEED });
      started.push(simulator);
      const [taskUUID] = uuids(1, 31);
      await rawPost(simulator.url, simulator.apiKey, [{ taskType: 'imageInference', taskUUID, model: 'runware:101@1', positivePrompt: 'a kite', deliveryMethod: 'async', simulate: failing }]);
      return rawPost(simulator.url, simulator.apiKey, [{ taskType: 'getResponse', taskUUID }]);
    };
    const failures = (reply: RawReply): Item[] => {
      const body = reply.json as { errors?: Item[]; error?: Item | Item[] };
      return [...(body.errors ?? []), ...[body.error ?? []].flat()];
    };

    it('sends a failure without a known code without `code` (realistic), with it (strict)', async () => {
      const [realistic] = failures(await failedReply('realistic'));
      expect(realistic).to.not.have.property('code');
      expect(realistic).to.include({ message: 'the model crashed', status: 'error' });
      const [strict] = failures(await failedReply('strict'));
      expect(strict).to.include({ code: 'unknownError', message: 'the model crashed' });
    });

    it('refuses a bad key in an authentication task in the 2024 form (realistic); a bad Bearer key in the current form', async () => {
      const simulator = await startSimulator({ seed: SEED });
      started.push(simulator);
      const refused = await rawPost(simulator.url, null, [{ taskType: 'authentication', apiKey: 'not-the-key' }, { taskType: 'ping' }]);
      expect(refused.status).to.equal(401);
      expect(refused.json).to.deep.equal({ error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' });
      // A wrong Bearer key keeps the current form, whose code the CLI and users switch on.
      const bearer = await rawPost(simulator.url, 'not-the-key', [{ taskType: 'ping' }]);
      expect(bearer.json).to.have.nested.property('errors[0].code', 'invalidApiKey');
    });
  });

  describe('strict', () => {
    it('sends only the documented shapes', async () => {
      const strict = await pollAll('strict');
      for (const [taskUUID, reply] of strict.replies) {
        const body = reply.json as { data?: Item[]; errors?: Item[] };
        expect(body, taskUUID).to.not.have.property('error');
        for (const item of body.data ?? []) {
          expect(item['taskType']).to.equal(strict.types.get(taskUUID));
          expect(item).to.have.property('status');
          expect(Object.values(item)).to.not.include(null);
          expect(item).to.not.have.any.keys('outputType', 'outputFormat', 'NSFWContent');
        }
        for (const item of body.errors ?? []) expect(item).to.not.have.any.keys('taskType', 'responseContent');
      }
      const refused = await rawPost(strict.simulator.url, strict.simulator.apiKey, [{ taskType: 'videoInference', taskUUID: uuids(1, 7)[0], positivePrompt: 'a fox', deliveryMethod: 'async' }]);
      expect((refused.json as { errors: Item[] }).errors[0]).to.include({ parameter: 'model' });
      const [known = ''] = strict.types.keys();
      const mixed = await rawPost(strict.simulator.url, strict.simulator.apiKey, [
        { taskType: 'getResponse', taskUUID: known },
        { taskType: 'getResponse', taskUUID: uuids(1, 999)[0] },
      ]);
      expect(mixed.status).to.equal(200);
    });

    it('is refused for a dialect it does not know', async () => {
      let error: unknown;
      await startSimulator({ dialect: 'loose' as Dialect }).catch((caught: unknown) => (error = caught));
      expect(error).to.be.instanceOf(RangeError).with.property('message').that.matches(/dialect/);
    });
  });
});
