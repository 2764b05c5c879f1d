import { expect } from 'chai';
import { observeDuration, quantileOf } from '../../src/cadence/durationHistogram.js';
import { planSafetyNet, SAFETY_NET_QUANTILES, type SafetyNetSettings } from '../../src/cadence/planSafetyNet.js';

/** Ten videos that finished between 44 and 46 s. */
function tenVideos(): ReturnType<typeof observeDuration> {
  let durations = observeDuration(undefined, 44_000, 46_000, 1);
  for (let video = 1; video < 10; video += 1) durations = observeDuration(durations, 44_000, 46_000, 1);
  return durations;
}

const SETTINGS: SafetyNetSettings = { floor: 1000, cap: 120_000, jitter: 0, random: () => 0.5 };

describe('planSafetyNet', () => {
  it('places the polls at the learned 90 % and then 99 %, rounded up so each lands on or past its quantile', () => {
    const durations = tenVideos();
    const [p90, p99] = SAFETY_NET_QUANTILES.map((quantile) => quantileOf(durations, quantile)) as [number, number];
    expect(planSafetyNet(durations, 0, 1, SETTINGS)).to.equal(Math.ceil(p90));
    expect(planSafetyNet(durations, 10_000, 1, SETTINGS)).to.equal(Math.ceil(p90 - 10_000));
    // Just past the 90 %: the 99 % is 385 ms on, the floor makes it 1 s; with no floor, the 99 % itself.
    expect(planSafetyNet(durations, Math.ceil(p90), 1, SETTINGS)).to.equal(1000);
    expect(planSafetyNet(durations, Math.ceil(p90), 1, { ...SETTINGS, floor: 0 })).to.equal(Math.ceil(p99 - Math.ceil(p90)));
    // A quantile less than a millisecond ahead counts as reached.
    expect(planSafetyNet(durations, p99 - 0.5, 1, SETTINGS)).to.equal(undefined);
  });

  it('falls back (undefined) without durations, with nothing pending, or once both quantiles are behind', () => {
    expect(planSafetyNet(undefined, 0, 1, SETTINGS)).to.equal(undefined);
    expect(planSafetyNet(tenVideos(), 0, 0, SETTINGS)).to.equal(undefined);
    expect(planSafetyNet(tenVideos(), 50_000, 1, SETTINGS)).to.equal(undefined);
  });

  it('waits for the last of several pending generations: the quantile q^(1/n) of one', () => {
    const durations = tenVideos();
    expect(planSafetyNet(durations, 0, 3, SETTINGS)).to.equal(Math.ceil(quantileOf(durations, 0.9 ** (1 / 3))));
    expect(planSafetyNet(durations, 0, 3, SETTINGS)).to.be.above(planSafetyNet(durations, 0, 1, SETTINGS) ?? Infinity);
  });

  it('jitters later only, then caps at `cap` and floors at `floor` (the floor wins when they cross)', () => {
    const durations = tenVideos();
    const plain = planSafetyNet(durations, 0, 1, SETTINGS) ?? 0;
    expect(planSafetyNet(durations, 0, 1, { ...SETTINGS, jitter: 0.1, random: () => 0 })).to.equal(plain);
    expect(planSafetyNet(durations, 0, 1, { ...SETTINGS, jitter: 0.1, random: () => 0.5 })).to.be.within(plain * 1.05 - 1, plain * 1.05 + 1);
    expect(planSafetyNet(durations, 0, 1, { ...SETTINGS, cap: 30_000 })).to.equal(30_000);
    expect(planSafetyNet(durations, 0, 1, { ...SETTINGS, cap: 30_000, floor: 50_000 })).to.equal(50_000);
  });
});
