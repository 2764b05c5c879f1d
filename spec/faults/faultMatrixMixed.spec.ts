/**
 * The fault matrix's mixed run: every fault kind at once, at 20 % of getResponse replies, across many
 * concurrent watches against the simulator over loopback HTTP, with the checks of faultMatrix.spec.ts.
 *
 * Size: FAULT_MIXED_WATCHES watches (default 200). `FAULT_MIXED_WATCHES=1000 npx mocha --no-config
 * --node-option import=tsx --timeout 10000 spec/faults/faultMatrixMixed.spec.ts` runs a thousand: a
 * throughput run, kept out of `npm test` because a thousand real-time watches miss their deadlines on a
 * loaded 2-core machine.
 */
import { expect } from 'chai';
import { RunwareApiError } from '../../src/index.js';
import { faultScenarios, KINDS, nameOf, profileFor, requestBound } from './harness.js';

const MIXED = Number(process.env['FAULT_MIXED_WATCHES'] ?? 200);

describe('fault matrix, all kinds mixed (simulator over loopback)', function () {
  this.timeout(120_000);
  const scenario = faultScenarios();

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
