/**
 * The plan of a watch as tables: each step kind and each DelayReason, from a state and settings to
 * the decision, with no scheduler and no transport (the mechanism's frames are in watchTask.spec.ts,
 * pushSteps.spec.ts and sharedSteps.spec.ts).
 */
import { expect } from 'chai';
import { build } from 'esbuild';
import { NEVER } from 'rxjs';
import type { CadencePlanner } from '../../src/cadence/watchCadence.js';
import { createPushSource, createSharedHub, RunwareApiError, RunwareHttpError, RunwareTimeoutError, type PushSource, type SharedHub, type WatchOptions } from '../../src/index.js';
import { foldReply } from '../../src/watch/foldReply.js';
import { decide, startPlan, type Decision, type PlanContext, type Step, type WatchPart } from '../../src/watch/plan.js';
import { initialWatchState, type WatchState } from '../../src/watch/reconcile.js';
import { resolveWatchSettings } from '../../src/watch/settings.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';

const SOURCE: PushSource = createPushSource({ urlFor: () => 'https://app.example.com/hook', watch: () => NEVER });
const HUB: SharedHub = createSharedHub({ watch: () => NEVER, publish: () => Promise.resolve(), acquire: () => NEVER });
/** No jitter; first poll at 1000, then 1000, 2000, 4000 (cap 4000); deadline at 100 000; safety net 60 000, then every 120 000. */
const CORE: WatchOptions = { initialDelay: 1000, interval: 1000, multiplier: 2, maxInterval: 4000, jitter: 0, timeout: 100_000, retries: 2, maxRetryAfter: 30_000 };

const PROCESSING: WatchState = foldReply(initialWatchState(TASK), { data: [processing()] }, 1).state;
const DONE: WatchState = foldReply(PROCESSING, { data: [success({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71' })] }, 1).state;

/** A learned cadence that says the same whatever it is asked. */
const learned = (plan: number | undefined, safetyNet: number | undefined, first?: number): CadencePlanner => ({
  plan: (attempt) => (plan === undefined ? { delay: 1000 * 2 ** (attempt - 1), reason: 'backoff', chance: 0 } : { delay: plan, reason: 'learned', chance: 0.5 }),
  safetyNet: () => safetyNet,
  // As a store does: never sooner than the fixed delay still to wait.
  first: (_pending, _now, initialDelay) => (first === undefined ? undefined : Math.max(initialDelay, first)),
  learn: () => undefined,
});

function contextOf(options: WatchOptions, cadence?: CadencePlanner): PlanContext {
  return { settings: resolveWatchSettings(options), numberResults: 1, startedAt: 0, cadence };
}

type Timed = readonly [at: number, step: Step | 'tick'];

/** The decisions of a watch started at 0 given `steps` (a tick is for the wait then due), each as `act reason@attempt delay/failures`. */
function plan(context: PlanContext, steps: ReadonlyArray<Timed>): { readonly said: string[]; readonly last: Decision } {
  let last = startPlan(TASK, context, 0);
  const said = [summary(last)];
  for (const [at, step] of steps) {
    last = decide(last.state, step === 'tick' ? { kind: 'tick', due: last.state.due } : step, context, at);
    said.push(summary(last));
  }
  return { said, last };
}

function summary({ act, state: { due } }: Decision): string {
  return act === 'wait' ? `wait ${due.reason}@${due.attempt} ${due.delay}/${due.failures}` : act;
}

const reply = (state: WatchState, from: number | undefined, to: number): Step => ({ kind: 'reply', state, events: [], settled: state === DONE, polled: { from, to } });
const failed = (error: RunwareHttpError | RunwareApiError): Step => ({ kind: 'failure', error });
const unavailable = (retryAfter?: string): RunwareHttpError => new RunwareHttpError({ failure: 'status', status: 503, taskUUID: TASK, ...(retryAfter === undefined ? {} : { retryAfter }) });
const lease = (holding: boolean): Step => ({ kind: 'lease', holding });

describe('plan: every decision of a watch', () => {
  describe('each DelayReason', () => {
    const cases: Array<{ readonly reason: string; readonly context: PlanContext; readonly steps: ReadonlyArray<Timed>; readonly said: ReadonlyArray<string> }> = [
      { reason: 'initial: initialDelay from the start', context: contextOf(CORE), steps: [], said: ['wait initial@1 1000/0'] },
      {
        reason: 'backoff: the schedule after each reply',
        context: contextOf(CORE),
        steps: [[1000, 'tick'], [1050, reply(PROCESSING, undefined, 1000)], [2050, 'tick'], [2100, reply(PROCESSING, 1000, 2050)]],
        said: ['wait initial@1 1000/0', 'poll', 'wait backoff@2 1000/0', 'poll', 'wait backoff@3 2000/0'],
      },
      { reason: 'learned: the cadence placed the gap', context: contextOf(CORE, learned(4321, undefined)), steps: [[1000, 'tick'], [1000, reply(PROCESSING, undefined, 1000)]], said: ['wait initial@1 1000/0', 'poll', 'wait learned@2 4321/0'] },
      { reason: 'learned: the cadence placed the first poll', context: contextOf(CORE, learned(4321, undefined, 24_000)), steps: [[24_000, 'tick'], [24_000, reply(PROCESSING, undefined, 24_000)]], said: ['wait learned@1 24000/0', 'poll', 'wait learned@2 4321/0'] },
      { reason: 'learned: a learned first poll never before initialDelay', context: contextOf(CORE, learned(4321, undefined, 300)), steps: [], said: ['wait learned@1 1000/0'] },
      {
        reason: 'retry: the schedule after a failure, failures counted',
        context: contextOf(CORE),
        steps: [[1000, 'tick'], [1000, failed(unavailable())], [2000, 'tick'], [2000, failed(unavailable())]],
        said: ['wait initial@1 1000/0', 'poll', 'wait retry@2 1000/1', 'poll', 'wait retry@3 2000/2'],
      },
      { reason: 'retry-after: the server asked for longer than the schedule', context: contextOf(CORE), steps: [[1000, 'tick'], [1000, failed(unavailable('5'))]], said: ['wait initial@1 1000/0', 'poll', 'wait retry-after@2 5000/1'] },
      { reason: 'retry (not retry-after) when the server asked for less than the schedule', context: contextOf(CORE), steps: [[1000, 'tick'], [1000, failed(unavailable('0'))]], said: ['wait initial@1 1000/0', 'poll', 'wait retry@2 1000/1'] },
      {
        reason: 'safety-net: with push, pollDelay first (reason initial), then pollInterval after each reply',
        context: contextOf({ ...CORE, push: SOURCE }),
        steps: [[60_000, 'tick'], [60_000, reply(PROCESSING, undefined, 60_000)]],
        said: ['wait initial@1 60000/0', 'poll', 'wait safety-net@2 120000/0'],
      },
      {
        reason: 'initial: with push, pollDelay first even where the cadence would place a first poll (push brings the news)',
        context: contextOf({ ...CORE, push: SOURCE }, learned(4321, undefined, 24_000)),
        steps: [],
        said: ['wait initial@1 60000/0'],
      },
      {
        reason: 'safety-net-learned: with push and a cadence, where the learned durations say (the first poll too)',
        context: contextOf({ ...CORE, push: { source: SOURCE, pollDelay: 30_000 } }, learned(4321, 46_400)),
        steps: [[46_400, 'tick'], [46_400, reply(PROCESSING, undefined, 46_400)]],
        said: ['wait safety-net-learned@1 46400/0', 'poll', 'wait safety-net-learned@2 46400/0'],
      },
      {
        reason: 'takeover: at once when the lease comes back after the first poll',
        context: contextOf({ ...CORE, sharedHub: HUB }),
        steps: [[0, lease(true)], [1000, 'tick'], [1000, reply(PROCESSING, undefined, 1000)], [1500, lease(false)], [9000, lease(true)]],
        said: ['wait initial@1 60000/0', 'wait initial@1 1000/0', 'poll', 'wait backoff@2 1000/0', 'wait following@2 Infinity/0', 'wait takeover@2 0/0'],
      },
      {
        reason: 'following: not at all while another instance holds the lease, after a reply or a failure too',
        context: contextOf({ ...CORE, sharedHub: HUB }),
        steps: [[0, lease(true)], [1000, 'tick'], [1001, lease(false)], [1002, failed(unavailable())]],
        said: ['wait initial@1 60000/0', 'wait initial@1 1000/0', 'poll', 'none', 'wait following@2 Infinity/0'],
      },
    ];
    for (const { reason, context, steps, said } of cases) {
      it(reason, () => expect(plan(context, steps).said).to.deep.equal(said));
    }
  });

  describe('each step kind', () => {
    it('tick: polls the wait it ends; a tick of a wait the lease replaced changes nothing', () => {
      const context = contextOf({ ...CORE, sharedHub: HUB });
      const started = startPlan(TASK, context, 0);
      const stale: Step = { kind: 'tick', due: started.state.due };
      const replaced = decide(started.state, lease(true), context, 10);
      expect(summary(decide(replaced.state, stale, context, 60_000))).to.equal('none');
      expect(summary(decide(replaced.state, { kind: 'tick', due: replaced.state.due }, context, 1000))).to.equal('poll');
    });

    it('reply: settles when every generation is done, and keeps when its poll went out', () => {
      const { said, last } = plan(contextOf(CORE), [[1000, 'tick'], [1200, reply(DONE, undefined, 1000)]]);
      expect(said).to.deep.equal(['wait initial@1 1000/0', 'poll', 'settle']);
      expect(last.state).to.include({ watch: DONE, answeredAt: 1000 });
    });

    it('failure: ends the watch with the error counted when it is not retryable, one too many, or its Retry-After is refused', () => {
      const context = contextOf(CORE);
      const refused = new RunwareApiError({ code: 'taskNotFound', taskUUID: TASK });
      const cases: Array<[string, ReadonlyArray<Timed>, number | undefined]> = [
        ['not retryable (an error that counts no attempts)', [[1000, 'tick'], [1000, failed(refused)]], undefined],
        ['retries exhausted', [[1000, 'tick'], [1000, failed(unavailable())], [2000, 'tick'], [2000, failed(unavailable())], [4000, 'tick'], [4000, failed(unavailable())]], 3],
        ['Retry-After over maxRetryAfter', [[1000, 'tick'], [1000, failed(unavailable('31'))]], 1],
        ['Retry-After past the deadline', [[90_000, 'tick'], [90_000, failed(unavailable('10'))]], 1],
      ];
      for (const [name, steps, attempts] of cases) {
        const { said, last } = plan(context, steps);
        expect(said[said.length - 1], name).to.equal('fail');
        expect((last.error as { attempts?: number }).attempts, name).to.equal(attempts);
      }
    });

    it('push: folds the body into the state; settles when it finished the task', () => {
      const pushed = (state: WatchState): Step => ({ kind: 'push', state, events: [], settled: state === DONE, polled: undefined });
      const { said, last } = plan(contextOf({ ...CORE, push: SOURCE }), [[10, pushed(PROCESSING)], [20, pushed(DONE)]]);
      expect(said).to.deep.equal(['wait initial@1 60000/0', 'none', 'settle']);
      expect(last.state.watch).to.equal(DONE);
    });

    it('lease: replaces a pending wait only when it changes how the watch polls; a poll in flight goes on', () => {
      const { said } = plan(contextOf({ ...CORE, sharedHub: HUB }), [[0, lease(true)], [0, lease(true)], [1000, 'tick'], [1000, lease(false)], [1100, reply(PROCESSING, undefined, 1000)]]);
      expect(said).to.deep.equal(['wait initial@1 60000/0', 'wait initial@1 1000/0', 'none', 'poll', 'none', 'wait following@2 Infinity/0']);
    });

    it('deadline: ends the watch with a RunwareTimeoutError that keeps the generations known', () => {
      const { said, last } = plan(contextOf(CORE), [[1000, 'tick'], [1000, reply(PROCESSING, undefined, 1000)], [100_000, { kind: 'deadline' }]]);
      expect(said[said.length - 1]).to.equal('fail');
      expect(last.error).to.be.instanceOf(RunwareTimeoutError).and.include({ timeout: 100_000 });
      expect((last.error as RunwareTimeoutError).generations.map((event) => event.status)).to.deep.equal(['processing']);
    });
  });
  describe('a part has its say through WatchPart', () => {
    it('places the poll where its place says (after the start, a reply, a failure), and the watch polls on its own schedule where it says nothing', () => {
      const asked: string[] = [];
      const part: WatchPart = {
        steps: () => NEVER,
        polled: () => undefined,
        place: (state, _context, _now, after) => (asked.push(after), after === 'reply' ? { attempt: state.due.attempt + 1, delay: 7777, reason: 'safety-net', failures: 0 } : undefined),
        decide: (state, step) => ({ act: 'none', state, step, error: undefined }),
      };
      const context: PlanContext = { ...contextOf(CORE), settings: { ...resolveWatchSettings(CORE), part } };
      const { said } = plan(context, [[1000, 'tick'], [1000, reply(PROCESSING, undefined, 1000)], [8777, 'tick'], [8777, failed(unavailable())], [10_777, 'tick'], [10_777, lease(false)]]);
      expect(said).to.deep.equal(['wait initial@1 1000/0', 'poll', 'wait safety-net@2 7777/0', 'poll', 'wait retry@3 2000/1', 'poll', 'none']);
      expect(asked).to.deep.equal(['start', 'reply', 'failure']);
    });

    it('leaves the decisions only a part reaches (the safety net, the lease, a body, the cadence option) out of a bundle of watchTask alone', async () => {
      const bundled = async (names: string): Promise<string> => {
        const result = await build({
          stdin: { contents: `export { ${names} } from './src/index.ts';`, resolveDir: process.cwd(), loader: 'ts' },
          bundle: true,
          write: false,
          format: 'esm',
          platform: 'browser',
          external: ['rxjs', 'rxjs/*', 'io-ts', 'fp-ts', 'fp-ts/*', 'cross-fetch'],
          logLevel: 'error',
        });
        return result.outputFiles[0]?.text ?? '';
      };
      const decisions = ['safetyNetPoll', 'safetyNetGap', 'bodyFolded', 'leasedPoll', 'leased', 'pollingOf', 'checkCadenceOption'];
      const carried = (text: string): string[] => decisions.filter((name) => text.includes(`function ${name}(`));
      const [alone, withPush, withHub, withStore] = await Promise.all(['watchTask', 'watchTask, createPushSource', 'watchTask, createSharedHub', 'watchTask, createCadence'].map(bundled));
      expect(carried(alone ?? '')).to.deep.equal([]);
      expect(carried(withPush ?? '')).to.deep.equal(['safetyNetPoll', 'safetyNetGap', 'bodyFolded']);
      expect(carried(withHub ?? '')).to.deep.equal(['safetyNetPoll', 'safetyNetGap', 'bodyFolded', 'leasedPoll', 'leased', 'pollingOf']);
      expect(carried(withStore ?? '')).to.deep.equal(['checkCadenceOption']);
    });
  });
});
