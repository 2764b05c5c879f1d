/**
 * The fault matrix: many concurrent watches against the simulator over loopback HTTP, each fault kind
 * alone at 20 % of getResponse replies (all of them mixed: faultMatrixMixed.spec.ts, a file of its own so
 * that the two run side by side in `npm test`).
 *
 * For every watch: each generation's terminal outcome equals the script the simulator plays, exactly one
 * terminal event per generation, completion, no request after the watch ended, and a bounded number of
 * requests. No unhandled rejection anywhere. One exception, counted apart ("ended early"): a generation
 * the `missingGeneration` fault leaves out of two replies in a row, the others all finished with a
 * failure, is what a task the service ended looks like, and the watch fails it as such (docs/protocol.md).
 *
 * What one watch does when a fault is permanent, or when it is unsubscribed, is shown in virtual time
 * (spec/watchTask.spec.ts: the typed error after retries + 1 requests, nothing sent after an unsubscribe
 * at each moment of its life) and per fault kind over loopback (spec/simulator/faults.spec.ts: the typed
 * error each kind becomes), not again here in real time.
 *
 * Size: FAULT_WATCHES watches per fault kind (default 100). `FAULT_WATCHES=1000 npx mocha --no-config
 * --node-option import=tsx --timeout 10000 spec/faults/faultMatrix.spec.ts` runs a thousand: a throughput
 * run, kept out of `npm test` because a thousand real-time watches miss their deadlines on a loaded
 * 2-core machine (a few hundred requests a second, shared).
 */
import { expect } from 'chai';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { FAULT_SPEC_TIMEOUT, faultScenarios, HANG_WATCH, KINDS, nameOf, profileFor, requestBound } from './harness.js';

const PER_KIND = Number(process.env['FAULT_WATCHES'] ?? 100);

describe('fault matrix (simulator over loopback)', function () {
  this.timeout(FAULT_SPEC_TIMEOUT);
  const scenario = faultScenarios();

  describe('each fault alone, at 20 % of replies', () => {
    for (const [position, spec] of KINDS.entries()) {
      const name = nameOf(spec);
      it(`${name}: nothing lost, nothing duplicated, requests bounded`, async () => {
        // Only a hang is meant to meet the request timeout: for every other kind the profile's is a generous bound,
        // so a loaded machine whose loopback answers late is not taken for a hang (and the test for a slow one).
        const profile = profileFor(PER_KIND);
        const patient = name === 'hang' ? { ...profile, watch: { ...profile.watch, ...HANG_WATCH } } : profile;
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
});
