import { expect } from 'chai';
import { observeDuration, quantileOf } from '../../src/cadence/durationHistogram.js';
import { nextSafetyNetGap, safetyNetRungs, type SafetyNetJitter } from '../../src/cadence/planSafetyNet.js';

/** Ten videos that finished between `from` and `to` ms. */
function tenVideos(from: number, to: number): ReturnType<typeof observeDuration> {
  let durations = observeDuration(undefined, from, to, 1);
  for (let video = 1; video < 10; video += 1) durations = observeDuration(durations, from, to, 1);
  return durations;
}

const NONE: SafetyNetJitter = { jitter: 0, random: () => 0.5 };

describe('planSafetyNet', () => {
  describe('safetyNetRungs', () => {
    it('are the learned 90 % and 99 % of the finish', () => {
      const durations = tenVideos(30_000, 90_000);
      expect(safetyNetRungs(durations, 1, 1000)).to.deep.equal([quantileOf(durations, 0.9), quantileOf(durations, 0.99)]);
    });

    it('leave out a rung less than the floor after the one before', () => {
      // 44 to 46 s, as the 3.5 % bins hold them: 90 % by 46.42 s, 99 % by 46.81 s.
      const narrow = tenVideos(44_000, 46_000);
      expect(safetyNetRungs(narrow, 1, 1000)).to.deep.equal([quantileOf(narrow, 0.9)]);
      expect(safetyNetRungs(narrow, 1, 0)).to.have.length(2);
    });

    it('wait for the last of several pending generations: the quantile q^(1/n) of one', () => {
      const durations = tenVideos(30_000, 90_000);
      const [three] = safetyNetRungs(durations, 3, 1000);
      expect(three).to.equal(quantileOf(durations, 0.9 ** (1 / 3)));
      expect(three).to.be.above(quantileOf(durations, 0.9));
    });

    it('are none without durations or with nothing pending', () => {
      expect(safetyNetRungs(undefined, 1, 1000)).to.deep.equal([]);
      expect(safetyNetRungs(tenVideos(30_000, 90_000), 0, 1000)).to.deep.equal([]);
    });
  });

  describe('nextSafetyNetGap', () => {
    const rungs = [84_000.4, 89_791.4];

    it('aims at the first rung ahead, rounded up so that the poll lands on or past it; none once past them all', () => {
      expect(nextSafetyNetGap(rungs, 0, 1000, 120_000, NONE)).to.equal(84_001);
      expect(nextSafetyNetGap(rungs, 10_000, 1000, 120_000, NONE)).to.equal(74_001);
      expect(nextSafetyNetGap(rungs, 84_001, 1000, 120_000, NONE)).to.equal(5791);
      // A rung less than a millisecond ahead counts as reached.
      expect(nextSafetyNetGap(rungs, 89_791, 1000, 120_000, NONE)).to.equal(undefined);
      expect(nextSafetyNetGap([], 0, 1000, 120_000, NONE)).to.equal(undefined);
    });

    it('jitters later only, then caps at `cap` and floors at `floor` (the floor wins when they cross)', () => {
      expect(nextSafetyNetGap(rungs, 0, 1000, 120_000, { jitter: 0.1, random: () => 0 })).to.equal(84_001);
      expect(nextSafetyNetGap(rungs, 0, 1000, 120_000, { jitter: 0.1, random: () => 0.5 })).to.equal(Math.ceil(84_000.4 * 1.05));
      expect(nextSafetyNetGap(rungs, 89_000, 1000, 120_000, NONE)).to.equal(1000);
      expect(nextSafetyNetGap(rungs, 0, 1000, 30_000, NONE)).to.equal(30_000);
      expect(nextSafetyNetGap(rungs, 0, 50_000, 30_000, NONE)).to.equal(50_000);
    });
  });
});
