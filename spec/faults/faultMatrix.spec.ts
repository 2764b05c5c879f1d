/**
 * The fault matrix: many concurrent watches against the simulator over loopback HTTP, each fault kind
 * alone at 20 % of getResponse replies, and all of them mixed.
 *
 * For every watch: each generation's terminal outcome equals the script the simulator plays, exactly one
 * terminal event per generation, completion, no request after the watch ended, and a bounded number of
 * requests. No unhandled rejection anywhere.
 *
 * What one watch does when a fault is permanent, or when it is unsubscribed, is shown in virtual time
 * (spec/watchTask.spec.ts: the typed error after retries + 1 requests, nothing sent after an unsubscribe
 * at each moment of its life) and per fault kind over loopback (spec/simulator/faults.spec.ts: the typed
 * error each kind becomes), not again here in real time.
 *
 * Size: FAULT_WATCHES watches per fault kind (default 100) and FAULT_MIXED_WATCHES for the mixed run
 * (default 200). `FAULT_WATCHES=1000 FAULT_MIXED_WATCHES=1000 npx mocha spec/faults/faultMatrix.spec.ts`
 * runs the full 1000: a throughput run, kept out of `npm test` because a thousand real-time watches
 * miss their deadlines on a loaded 2-core machine (a few hundred requests a second, shared).
 */
import { expect } from 'chai';
import { RunwareApiError, type WatchOptions } from '../../src/index.js';
import { FAULT_KINDS, startSimulator, type FaultSpec, type RunningSimulator } from '../../src/simulator/index.js';
import { pause, runWatches, submitTasks, summaryLine, tally, type Tally, type WatchRecord } from './harness.js';

const PER_KIND = Number(process.env['FAULT_WATCHES'] ?? 100);
const MIXED = Number(process.env['FAULT_MIXED_WATCHES'] ?? 200);

/** Simulated ms per real ms. */
const TIME_SCALE = 1000;

/** How fast tasks run and watches poll, for a given number of concurrent watches. */
interface Profile {
  /** Longest generation, in simulated ms. */
  readonly maxDuration: number;
  readonly watch: WatchOptions;
}

/**
 * Up to a few hundred watches: tasks of at most 150 real ms polled every 40 ms, a request timeout of
 * 1 s that ends a hang soon yet leaves a busy CI machine ten times the ~100 ms a burst of a hundred
 * polls takes here. Beyond that, one process on 2 cores answers about a thousand requests
 * a second (client and server together), so a burst of a thousand polls waits about a second: tasks of
 * up to 3 s polled every 200 ms (jittered by half) still see several polls, and the request timeout is
 * 2.5 s so that waiting in that queue is not taken for a hang. The retry budget is one that 20 % faults
 * never exhaust.
 */
function profileFor(watches: number): Profile {
  const base: WatchOptions = { initialDelay: 0, multiplier: 1, retries: 8, timeout: 25_000 };
  return watches < 500
    ? { maxDuration: 150_000, watch: { ...base, interval: 40, maxInterval: 40, jitter: 0.2, requestTimeout: 1000 } }
    : { maxDuration: 3_000_000, watch: { ...base, interval: 200, maxInterval: 200, jitter: 0.5, requestTimeout: 2500 } };
}

/** Every fault kind but `slow` (a slow reply is only a late one), from the simulator's own table. Retry-After is 1 s, so it is really waited for. */
const KINDS: ReadonlyArray<FaultSpec> = FAULT_KINDS.filter((kind) => kind !== 'slow').map((kind): FaultSpec => (kind === 'rateLimit' ? { kind, retryAfter: 1 } : kind));

const nameOf = (spec: FaultSpec): string => (typeof spec === 'string' ? spec : spec.kind);

/** Upper bound on requests: polls for the longest task, plus the faults, three times over. A hot loop is far beyond. */
function requestBound(watches: number, rate: number, profile: Profile): number {
  const polls = Math.ceil(profile.maxDuration / TIME_SCALE / (profile.watch.interval ?? 1)) + 3;
  return Math.ceil((watches * polls * 3) / (1 - Math.min(rate, 0.5)));
}

describe('fault matrix (simulator over loopback)', function () {
  this.timeout(120_000);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  const simulators: RunningSimulator[] = [];
  const summaries: string[] = [];

  before(() => process.on('unhandledRejection', onUnhandled));
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await Promise.all(simulators.map((simulator) => simulator.close()));
    for (const line of summaries) console.log(line);
  });

  async function scenario(
    name: string,
    faults: { rate: number; kinds?: ReadonlyArray<FaultSpec>; script?: ReadonlyArray<FaultSpec | null> },
    watches: number,
    seed: number,
    profile: Profile = profileFor(watches),
  ): Promise<{ records: WatchRecord[]; result: Tally; simulator: RunningSimulator }> {
    const simulator = await startSimulator({ timeScale: TIME_SCALE, seed, faults: { rate: faults.rate, ...(faults.kinds ? { kinds: faults.kinds } : {}), ...(faults.script ? { script: faults.script } : {}) } });
    simulators.push(simulator);
    const truths = await submitTasks(simulator, watches, seed, profile.maxDuration);
    const records = await runWatches(simulator, truths, profile.watch);
    const watch = profile.watch;
    // Give a stray timer the chance to fire a request it should not.
    await pause(3 * (watch.interval ?? 40));
    const result = tally(records);
    summaries.push(summaryLine(name, result));
    expect(unhandled, 'unhandled rejections').to.deep.equal([]);
    expect(result.requestsAfterEnd, 'requests after the watch ended').to.equal(0);
    expect(result.duplicated, 'duplicated terminal events').to.equal(0);
    expect(result.wrong, 'outcomes the simulator never played').to.equal(0);
    return { records, result, simulator };
  }

  describe('each fault alone, at 20 % of replies', () => {
    for (const [position, spec] of KINDS.entries()) {
      const name = nameOf(spec);
      it(`${name}: nothing lost, nothing duplicated, requests bounded`, async () => {
        // Only a hang is meant to meet the request timeout: for every other kind it is a generous bound, so a
        // loaded machine whose loopback answers late is not taken for a hang (and the test for a slow one).
        const profile = profileFor(PER_KIND);
        const patient = name === 'hang' ? profile : { ...profile, watch: { ...profile.watch, requestTimeout: 15_000 } };
        const { records, result, simulator } = await scenario(name, { rate: 0.2, kinds: [spec] }, PER_KIND, 100 + position, patient);
        expect(simulator.stats().faults[name as keyof ReturnType<RunningSimulator['stats']>['faults']] ?? 0, 'the fault was played').to.be.above(0);
        expect(result.lost, 'generations lost').to.equal(0);
        expect(result.requests).to.be.at.most(requestBound(PER_KIND, 0.2, profileFor(PER_KIND)));
        // Every fault is transient (requestError too: internalServerError without taskUUID is a server-side
        // fault, polled again): every watch rides it out.
        const failures = records.flatMap((record) => (record.error instanceof Error ? [record.error.message] : []));
        expect(result.errored, `watches that failed: ${failures.slice(0, 3).join(' | ')}`).to.equal(0);
        expect(result.completed).to.equal(PER_KIND);
      });
    }
  });

  it(`all faults mixed at 20 % of replies across ${MIXED} concurrent watches`, async () => {
    // Tasks of up to 3 s, so that every watch polls many times and every kind is played even at 200 watches.
    const profile = profileFor(Math.max(MIXED, 500));
    // Every kind once among the first polls (one in five, as the rate would), so each is surely played however few polls there are.
    const script = KINDS.flatMap((spec) => [spec, null, null, null, null]);
    const { records, result, simulator } = await scenario('mixed', { rate: 0.2, kinds: KINDS, script }, MIXED, 7, profile);
    expect(result.lost, 'generations lost').to.equal(0);
    expect(result.requests).to.be.at.most(requestBound(MIXED, 0.2, profile));
    expect(result.requests / MIXED, 'more than one poll per watch on average').to.be.above(1.2);
    const played = simulator.stats().faults;
    for (const spec of KINDS) expect(played[nameOf(spec) as keyof typeof played] ?? 0, `${nameOf(spec)} played`).to.be.above(0);
    for (const record of records.filter((r) => r.error !== undefined)) {
      // Every fault is transient: a watch fails only when its retries are spent, here on server-side errors in a 200.
      expect(record.error).to.be.instanceOf(RunwareApiError).and.include({ code: 'internalServerError', retryable: true });
    }
    expect(result.completed + result.errored).to.equal(MIXED);
  });
});
