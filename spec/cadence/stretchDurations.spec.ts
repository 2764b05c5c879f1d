import { expect } from 'chai';
import { observeDuration, quantileOf, type DurationHistogram } from '../../src/cadence/durationHistogram.js';
import { MAX_STRETCH, stretchedDurations } from '../../src/cadence/stretchDurations.js';

/** Twelve generations of 44 to 46 s. */
function learned(): DurationHistogram {
  let histogram: DurationHistogram | undefined;
  for (let n = 0; n < 12; n += 1) histogram = observeDuration(histogram, 44_000, 46_000, 1);
  return histogram as DurationHistogram;
}

describe('stretchDurations', () => {
  const durations = learned();

  it('keeps the learned mass times keep, its observations, and takes the count of speed changes given', () => {
    const stretched = stretchedDurations(durations, [50_000], 1 / 4, 3);
    expect(stretched.weight).to.be.closeTo(durations.weight / 4, 1e-9);
    expect(stretched.observations).to.equal(durations.observations);
    expect(stretched.shifts).to.equal(3);
  });

  it('puts no mass where an overdue task was still running: only stretches that outlast it are kept', () => {
    const stretched = stretchedDurations(durations, [50_000, 55_000], 1, 1);
    // 44-46 s stretched to outlast 55 s: x1.2 at least.
    expect(quantileOf(stretched, 0.001)).to.be.above(52_000);
    expect(quantileOf(stretched, 0.01)).to.be.above(54_000);
  });

  it(`spreads the shape over every stretch still possible, up to ${MAX_STRETCH}x: the overdue tasks do not say how much slower`, () => {
    const stretched = stretchedDurations(durations, [50_000], 1, 1);
    const median = quantileOf(stretched, 0.5);
    expect(median).to.be.within(80_000, 120_000);
    expect(quantileOf(stretched, 0.99)).to.be.within(160_000, 46_000 * MAX_STRETCH * 1.04);
    expect(quantileOf(stretched, 1)).to.be.at.most(46_000 * MAX_STRETCH * 1.04);
  });

  it('weighs a stretch by the chance it gives every overdue task: later ones leave only the longer stretches', () => {
    const once = stretchedDurations(durations, [50_000], 1, 1);
    const later = stretchedDurations(durations, [50_000, 90_000], 1, 1);
    expect(quantileOf(later, 0.01)).to.be.above(88_000);
    expect(quantileOf(later, 0.5)).to.be.above(quantileOf(once, 0.5));
  });
});
