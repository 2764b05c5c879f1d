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
import { RunwareApiError, RunwareDecodeError, RunwareError, RunwareHttpError } from '../../src/index.js';
import { failedByFaults, FAULT_SPEC_TIMEOUT, faultScenarios, KINDS, nameOf, profileFor, requestBound } from './harness.js';

const MIXED = Number(process.env['FAULT_MIXED_WATCHES'] ?? 200);

describe('fault matrix, all kinds mixed (simulator over loopback)', function () {
  this.timeout(FAULT_SPEC_TIMEOUT);
  const scenario = faultScenarios();

  it(`all faults mixed at 20 % of replies across ${MIXED} concurrent watches`, async () => {
    // Tasks of up to 3 s, so that every watch may poll many times. A hang is in the mix (about 1 % of polls):
    // each costs one request timeout, long enough that a loaded machine's late replies are seldom taken for one.
    const base = profileFor(Math.max(MIXED, 500));
    const profile = { ...base, watch: { ...base.watch, requestTimeout: 5000 } };
    // Every kind once among the first polls (one in five, as the rate would), so each is surely played however few polls there are.
    const script = KINDS.flatMap((spec) => [spec, null, null, null, null]);
    const { records, result, simulator } = await scenario('mixed', { rate: 0.2, kinds: KINDS, script }, MIXED, 7, profile);
    expect(result.lost, 'generations lost').to.equal(0);
    expect(result.requests).to.be.at.most(requestBound(MIXED, 0.2, profile));
    const played = simulator.stats().faults;
    for (const spec of KINDS) expect(played[nameOf(spec) as keyof typeof played] ?? 0, `${nameOf(spec)} played`).to.be.above(0);
    // A poll after every failed one: each completed watch had a reply beside its failed polls. (How many polls a
    // watch makes before its task ends depends on the machine's speed, so that is not asserted.)
    expect(result.requests, 'a poll after every failed one').to.be.at.least(result.completed + failedByFaults(played));
    const retries = profile.watch.retries ?? 0;
    for (const record of records.filter((r) => r.error !== undefined)) {
      // Every fault is transient: a watch fails only when its retries are spent, on a typed transient error (a
      // request-level server error in a 200; or, where a loaded machine answers later than the request timeout
      // that rides out the hangs, a run of timeouts).
      const { error } = record;
      if (error instanceof RunwareApiError) expect(error).to.include({ code: 'internalServerError', retryable: true });
      else expect(error).to.be.an.instanceOf(RunwareError).and.satisfy((e: RunwareError) => (e instanceof RunwareHttpError || e instanceof RunwareDecodeError) && e.retryable && e.attempts === retries + 1, String(error));
    }
    expect(result.completed + result.errored).to.equal(MIXED);
  });
});
