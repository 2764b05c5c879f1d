import { expect } from 'chai';
import { binOf, EDGES, fromMass, HISTOGRAM_BINS, HISTOGRAM_EDGES, integrate, LAST_EDGE_MS, massOf, observeDuration, PRIOR, quantileOf } from '../../src/cadence/durationHistogram.js';

const edge = (k: number): number => EDGES[k] as number;

describe('durationHistogram', () => {
  describe('layout', () => {
    it('starts at 0, then 250 ms, and doubles every 20 edges up to 4 096 s', () => {
      expect([edge(0), edge(1), edge(21), edge(41)]).to.deep.equal([0, 250, 500, 1000]);
      expect(LAST_EDGE_MS).to.equal(4_096_000);
      expect(EDGES.length).to.equal(HISTOGRAM_EDGES);
      expect(HISTOGRAM_EDGES).to.equal(HISTOGRAM_BINS + 1);
    });

    it('binOf finds the bin whose edges hold the time, edges included on the left', () => {
      for (const k of [1, 2, 21, 100, 200, HISTOGRAM_BINS - 1]) {
        expect(binOf(edge(k)), `edge ${k}`).to.equal(k);
        expect(binOf((edge(k) + edge(k + 1)) / 2), `inside bin ${k}`).to.equal(k);
        expect(binOf(edge(k + 1) - 1e-6), `end of bin ${k}`).to.equal(k);
      }
    });

    it('binOf clamps: before 250 ms is bin 0, past the last edge the last bin, NaN bin 0', () => {
      expect([binOf(-5), binOf(0), binOf(249.9), binOf(LAST_EDGE_MS), binOf(1e12), binOf(Number.NaN)]).to.deep.equal([0, 0, 0, HISTOGRAM_BINS - 1, HISTOGRAM_BINS - 1, 0]);
    });
  });

  describe('observeDuration', () => {
    it('spreads one unit of mass uniformly over the interval, in linear time', () => {
      const histogram = observeDuration(undefined, edge(100), edge(110), 0.5);
      expect(histogram.weight).to.equal(1);
      expect(histogram.observations).to.equal(1);
      expect(histogram.cdf[100]).to.equal(0);
      expect(histogram.cdf[105]).to.be.closeTo((edge(105) - edge(100)) / (edge(110) - edge(100)), 1e-12);
      expect(histogram.cdf[110]).to.equal(1);
      expect(histogram.cdf[HISTOGRAM_BINS]).to.equal(1);
    });

    it('decays what was learned before: older generations weigh less', () => {
      const first = observeDuration(undefined, edge(100), edge(101), 0.5);
      const second = observeDuration(first, edge(200), edge(201), 0.5);
      const mass = massOf(second);
      expect(second.weight).to.equal(1.5);
      expect(second.observations).to.equal(2);
      expect(mass[100]).to.be.closeTo(0.5, 1e-12);
      expect(mass[200]).to.be.closeTo(1, 1e-12);
    });

    it('returns a new histogram and leaves the previous one as it was', () => {
      const first = observeDuration(undefined, 40_000, 50_000, 0.9);
      const copy = Float64Array.from(first.cdf);
      const second = observeDuration(first, 10_000, 11_000, 0.9);
      expect(second).to.not.equal(first);
      expect(first.cdf).to.deep.equal(copy);
    });

    it('takes the interval either way round, and a zero-width interval as a step inside its bin', () => {
      expect(observeDuration(undefined, 50_000, 40_000, 1).cdf).to.deep.equal(observeDuration(undefined, 40_000, 50_000, 1).cdf);
      const step = observeDuration(undefined, 45_000, 45_000, 1);
      const bin = binOf(45_000);
      expect(step.cdf[bin]).to.equal(0);
      expect(step.cdf[bin + 1]).to.equal(1);
    });

    it('counts durations past 68 minutes in the last bin', () => {
      const late = massOf(observeDuration(undefined, 5_000_000, 6_000_000, 1));
      expect(late[HISTOGRAM_BINS - 1]).to.equal(1);
      expect(late.reduce((sum, mass) => sum + mass, 0)).to.equal(1);
    });
  });

  describe('integral and round trip', () => {
    it('integrates the CDF by trapezoids: a CDF of 1 from edge k integrates to the time since it', () => {
      const cdf = Float64Array.from({ length: HISTOGRAM_EDGES }, (_, k) => (k >= 50 ? 1 : 0));
      const integral = integrate(cdf);
      expect(integral[49]).to.equal(0);
      // The bin before edge 50 ramps from 0 to 1: half its width.
      expect(integral[50]).to.be.closeTo((edge(50) - edge(49)) / 2, 1e-9);
      expect(integral[80]).to.be.closeTo((edge(50) - edge(49)) / 2 + edge(80) - edge(50), 1e-6);
    });

    it('fromMass inverts massOf', () => {
      let histogram = observeDuration(undefined, 1_000, 3_000, 0.8);
      histogram = observeDuration(histogram, 44_000, 46_500, 0.8);
      const back = fromMass(massOf(histogram), histogram.observations);
      expect(back.observations).to.equal(2);
      for (let k = 0; k < HISTOGRAM_EDGES; k += 1) {
        expect(back.cdf[k]).to.be.closeTo(histogram.cdf[k] as number, 1e-12);
        expect(back.cdfIntegral[k]).to.be.closeTo(histogram.cdfIntegral[k] as number, 1e-6);
      }
    });
  });

  describe('PRIOR', () => {
    it('is one unit of mass, log-uniform: the same in every bin from 250 ms, none before', () => {
      const mass = massOf(PRIOR);
      expect(PRIOR.weight).to.be.closeTo(1, 1e-12);
      expect(mass[0]).to.equal(0);
      expect(mass[1]).to.be.closeTo(1 / (HISTOGRAM_BINS - 1), 1e-12);
      expect(mass[HISTOGRAM_BINS - 1]).to.be.closeTo(1 / (HISTOGRAM_BINS - 1), 1e-12);
    });
  });

  describe('quantileOf', () => {
    it('inverts the CDF, linear inside a bin: the inverse of the CDF at every edge and in between', () => {
      const histogram = observeDuration(observeDuration(undefined, edge(100), edge(110), 1), edge(105), edge(120), 1);
      for (const k of [101, 104, 105, 108, 110, 115, 119]) {
        const share = (histogram.cdf[k] as number) / histogram.weight;
        expect(quantileOf(histogram, share), `edge ${k}`).to.be.closeTo(edge(k), 1e-6 * edge(k));
      }
      const middle = ((histogram.cdf[107] as number) + (histogram.cdf[108] as number)) / 2 / histogram.weight;
      expect(quantileOf(histogram, middle)).to.be.closeTo((edge(107) + edge(108)) / 2, 1e-6 * edge(108));
    });

    it('reads shares of the total weight (decayed histograms too), from 0 to 1, and is 0 for an empty histogram', () => {
      const decayed = observeDuration(observeDuration(undefined, edge(100), edge(101), 0.5), edge(200), edge(201), 0.5);
      // The older generation weighs 0.5 of 1.5: a third of the mass lies in bin 100.
      expect(quantileOf(decayed, 1 / 3)).to.be.closeTo(edge(101), 1e-6 * edge(101));
      expect(quantileOf(decayed, 1)).to.be.closeTo(edge(201), 1e-6 * edge(201));
      expect(quantileOf(decayed, 0)).to.equal(0);
      expect(quantileOf(fromMass(new Array<number>(HISTOGRAM_BINS).fill(0), 0), 0.5)).to.equal(0);
    });
  });
});
