/**
 * The fault matrix: many concurrent watches against the simulator over loopback HTTP, each fault kind
 * alone at 20 % of getResponse replies, all of them mixed, and each one permanent (every reply).
 *
 * For every watch: each generation's terminal outcome equals the script the simulator plays, exactly one
 * terminal event per generation, completion (or the right typed error when the fault is permanent), no
 * request after the watch ended, and a bounded number of requests. No unhandled rejection anywhere.
 *
 * Size: FAULT_WATCHES watches per fault kind (default 100) and FAULT_MIXED_WATCHES for the mixed run
 * (default 1000). `FAULT_WATCHES=1000 npx mocha spec/faults` runs the full 1000 for every kind.
 */
import { expect } from 'chai';
import { RunwareApiError, RunwareDecodeError, RunwareHttpError, RunwareTimeoutError, type WatchOptions } from '../../src/index.js';
import { startSimulator, type FaultSpec, type RunningSimulator } from '../../src/simulator/index.js';
import { pause, runWatches, submitTasks, summaryLine, tally, type Tally, type WatchRecord } from './harness.js';

const PER_KIND = Number(process.env['FAULT_WATCHES'] ?? 100);
const MIXED = Number(process.env['FAULT_MIXED_WATCHES'] ?? 1000);
const PERMANENT = 10;

/** Simulated ms per real ms, and the longest generation in simulated ms: every task ends within 150 real ms. */
const TIME_SCALE = 1000;
const MAX_DURATION = 150_000;

/** Fast polling; a retry budget that 20 % faults never exhaust; a request timeout that ends a hang quickly. */
const WATCH: WatchOptions = {
  initialDelay: 0,
  interval: 40,
  multiplier: 1,
  maxInterval: 40,
  jitter: 0.2,
  requestTimeout: 300,
  retries: 8,
  timeout: 25_000,
};

/** The fault kinds of issue #5, by the simulator's names. Retry-After is 1 s, so it is really waited for. */
const KINDS: ReadonlyArray<FaultSpec> = [
  { kind: 'rateLimit', retryAfter: 1 },
  'rateLimitNoRetryAfter',
  'serverError',
  'badGateway',
  'serviceUnavailable',
  'gatewayTimeout',
  'reset',
  'hang',
  'malformedJson',
  'htmlError',
  'codecMismatch',
  'emptyBody',
  'duplicateItems',
  'missingGeneration',
  'reorderedItems',
  'unknownStatus',
  'requestError',
];

const nameOf = (spec: FaultSpec): string => (typeof spec === 'string' ? spec : spec.kind);

/** Upper bound on requests: polls for the longest task, plus the faults, three times over. */
function requestBound(watches: number, rate: number, maxDuration = MAX_DURATION, interval = WATCH.interval ?? 1): number {
  const polls = Math.ceil(maxDuration / TIME_SCALE / interval) + 3;
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
    faults: { rate: number; kinds?: ReadonlyArray<FaultSpec> },
    watches: number,
    seed: number,
    watch: WatchOptions = WATCH,
    maxDuration = MAX_DURATION,
  ): Promise<{ records: WatchRecord[]; result: Tally; simulator: RunningSimulator }> {
    const simulator = await startSimulator({ timeScale: TIME_SCALE, seed, faults: { rate: faults.rate, ...(faults.kinds ? { kinds: faults.kinds } : {}) } });
    simulators.push(simulator);
    const truths = await submitTasks(simulator, watches, seed, maxDuration);
    // On 2 cores, the first burst of a thousand requests (client and server in this one process) takes
    // about a second to answer: a shorter request timeout would abort them all, again and again.
    const records = await runWatches(simulator, truths, watches >= 500 ? { ...watch, requestTimeout: 2500 } : watch);
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
        const { records, result, simulator } = await scenario(name, { rate: 0.2, kinds: [spec] }, PER_KIND, 100 + position);
        expect(simulator.stats().faults[name as keyof ReturnType<RunningSimulator['stats']>['faults']] ?? 0, 'the fault was played').to.be.above(0);
        expect(result.lost, 'generations lost').to.equal(0);
        expect(result.requests).to.be.at.most(requestBound(PER_KIND, 0.2));
        if (name === 'requestError') {
          // A request-level error is permanent by definition: the watches that got one end with it.
          expect(result.errored).to.be.above(0);
          for (const record of records.filter((r) => r.error !== undefined)) {
            expect(record.error).to.be.instanceOf(RunwareApiError).and.include({ code: 'internalServerError', taskUUID: record.truth.taskUUID });
          }
          expect(result.completed + result.errored).to.equal(PER_KIND);
        } else {
          expect(result.errored, 'watches that failed').to.equal(0);
          expect(result.completed).to.equal(PER_KIND);
        }
      });
    }
  });

  it(`all faults mixed at 20 % of replies across ${MIXED} concurrent watches`, async () => {
    // Tasks of up to 3 s and a 200 ms cadence (jittered by half), so watches poll more than once. One
    // process on 2 cores answers about a thousand requests a second here (client and server together),
    // so a burst of a thousand polls waits about a second: that, not the cadence, sets the poll count.
    const watch: WatchOptions = { ...WATCH, interval: 200, maxInterval: 200, jitter: 0.5 };
    const { records, result, simulator } = await scenario('mixed', { rate: 0.2, kinds: KINDS }, MIXED, 7, watch, 3_000_000);
    expect(result.lost, 'generations lost').to.equal(0);
    expect(result.requests).to.be.at.most(requestBound(MIXED, 0.2, 3_000_000, 200));
    expect(result.requests / MIXED, 'more than one poll per watch on average').to.be.above(1.2);
    const played = simulator.stats().faults;
    for (const spec of KINDS) expect(played[nameOf(spec) as keyof typeof played] ?? 0, `${nameOf(spec)} played`).to.be.above(0);
    for (const record of records.filter((r) => r.error !== undefined)) {
      // Only the request-level error is permanent; every transient fault is ridden out.
      expect(record.error).to.be.instanceOf(RunwareApiError).and.include({ code: 'internalServerError' });
    }
    expect(result.completed + result.errored).to.equal(MIXED);
  });

  describe('each fault permanent (every reply): the right typed error, or the right outcome', () => {
    const retries = 2;
    const permanentWatch: WatchOptions = { ...WATCH, retries, timeout: 1500 };
    /** What a watch must end with when every reply carries the fault. */
    const expected: Record<string, (record: WatchRecord) => void> = {
      rateLimit: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 429, retryAfter: '1', attempts: retries + 1 }),
      rateLimitNoRetryAfter: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 429, retryAfter: undefined, attempts: retries + 1 }),
      serverError: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 500, attempts: retries + 1 }),
      badGateway: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 502, attempts: retries + 1 }),
      serviceUnavailable: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 503, attempts: retries + 1 }),
      gatewayTimeout: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 504, attempts: retries + 1 }),
      reset: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'network', attempts: retries + 1 }),
      hang: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'timeout', attempts: retries + 1 }),
      malformedJson: (r) => expect(r.error).to.be.instanceOf(RunwareDecodeError).and.include({ attempts: retries + 1 }),
      htmlError: (r) => expect(r.error).to.be.instanceOf(RunwareHttpError).and.include({ status: 502, attempts: retries + 1 }),
      codecMismatch: (r) => expect(r.error).to.be.instanceOf(RunwareDecodeError).and.include({ attempts: retries + 1 }),
      emptyBody: (r) => expect(r.error).to.be.instanceOf(RunwareDecodeError).and.include({ attempts: retries + 1 }),
      requestError: (r) => expect(r.error).to.be.instanceOf(RunwareApiError).and.include({ code: 'internalServerError' }),
      // A generation that never shows up cannot be reported: the watch ends at its deadline with what it knows.
      missingGeneration: (r) => {
        expect(r.error).to.be.instanceOf(RunwareTimeoutError);
        expect((r.error as RunwareTimeoutError).generations.length).to.be.below(r.truth.numberResults + 1);
      },
    };
    /** Requests each watch makes when it fails: one per attempt (none retried for a request-level error). */
    const attemptsOf: Record<string, number> = { requestError: 1 };

    for (const [position, spec] of KINDS.entries()) {
      const name = nameOf(spec);
      const check = expected[name];
      it(`${name}: ${check ? 'fails with the right typed error after a bounded number of requests' : 'read through to the right outcome'}`, async () => {
        // Two Retry-After waits of 1 s must fit in the deadline; elsewhere 1.5 s is plenty.
        const watch = name === 'rateLimit' ? { ...permanentWatch, timeout: 4000 } : permanentWatch;
        const { records, result } = await scenario(`${name} (permanent)`, { rate: 1, kinds: [spec] }, PERMANENT, 200 + position, watch);
        if (check === undefined) {
          expect(result.completed).to.equal(PERMANENT);
          expect(result.lost).to.equal(0);
          return;
        }
        for (const record of records) {
          check(record);
          expect(record.completed).to.equal(false);
          if (name !== 'missingGeneration') expect(record.requests, 'requests of a failing watch').to.equal(attemptsOf[name] ?? retries + 1);
        }
        if (name === 'missingGeneration') expect(result.requests).to.be.at.most(requestBound(PERMANENT, 0) * 25);
      });
    }
  });

  it('makes no request after unsubscribe, whatever the watch was doing', async () => {
    const simulator = await startSimulator({ timeScale: TIME_SCALE, seed: 9, faults: { rate: 0.2, kinds: KINDS } });
    simulators.push(simulator);
    // Tasks that run for up to 800 ms, unsubscribed somewhere in their life: before the first poll,
    // mid-request, mid-backoff, mid-retry.
    const truths = await submitTasks(simulator, PER_KIND * 2, 9, 800_000);
    const records = await runWatches(simulator, truths, WATCH, (index) => (index * 37) % 600);
    await pause(3 * 40 + (WATCH.requestTimeout ?? 0));
    const result = tally(records);
    summaries.push(summaryLine('unsubscribe (mixed)', result));
    expect(result.requestsAfterEnd).to.equal(0);
    expect(result.requests, 'the watches did poll before they were cancelled').to.be.above(records.length);
    expect(result.duplicated).to.equal(0);
    expect(result.wrong).to.equal(0);
    expect(unhandled).to.deep.equal([]);
  });
});
