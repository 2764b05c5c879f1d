import { expect } from 'chai';
import { noteSurprise, SHIFT_MIN_OBSERVATIONS, SHIFT_SURPRISES, SHIFT_WINDOW, surpriseOf, type Noted } from '../../src/cadence/detectSpeedShift.js';
import { observeDuration, type DurationHistogram } from '../../src/cadence/durationHistogram.js';

function learned(from: number, to: number, times: number): DurationHistogram {
  let histogram: DurationHistogram | undefined;
  for (let n = 0; n < times; n += 1) histogram = observeDuration(histogram, from, to, 1);
  return histogram as DurationHistogram;
}

describe('detectSpeedShift', () => {
  describe('surpriseOf', () => {
    const durations = learned(40_000, 50_000, SHIFT_MIN_OBSERVATIONS);

    it('is -1 for a generation seen finished before the learned 1 % quantile, 1 for one still running past the 99 %, 0 otherwise', () => {
      expect(surpriseOf(durations, { from: 20_000, to: 38_000 })).to.equal(-1);
      expect(surpriseOf(durations, { from: 20_000, to: 42_000 })).to.equal(0);
      expect(surpriseOf(durations, { from: 48_000, to: 60_000 })).to.equal(0);
      expect(surpriseOf(durations, { from: 52_000, to: 60_000 })).to.equal(1);
    });

    it(`is 0 for a key with fewer than ${SHIFT_MIN_OBSERVATIONS} generations, or none`, () => {
      expect(surpriseOf(learned(40_000, 50_000, SHIFT_MIN_OBSERVATIONS - 1), { from: 1000, to: 2000 })).to.equal(0);
      expect(surpriseOf(undefined, { from: 1000, to: 2000 })).to.equal(0);
    });
  });

  describe('noteSurprise', () => {
    const observed = { from: 1000, to: 2000 };
    const run = (surprises: ReadonlyArray<-1 | 0 | 1>) => {
      let window: ReadonlyArray<Noted> = [];
      return surprises.map((surprise) => {
        const noted = noteSurprise(window, observed, surprise);
        window = noted.window;
        return noted;
      });
    };

    it('learns an unsurprising observation at once and holds a surprising one', () => {
      expect(run([0, -1]).map((noted) => noted.learn)).to.deep.equal([true, false]);
    });

    it(`declares a change of speed at ${SHIFT_SURPRISES} surprises in one direction among the last ${SHIFT_WINDOW}, handing them over and emptying the window`, () => {
      const noted = run([-1, 0, 1, -1, 0, -1, -1]);
      expect(noted.map((each) => each.shift?.length)).to.deep.equal([undefined, undefined, undefined, undefined, undefined, undefined, SHIFT_SURPRISES]);
      // The late one held among them is released, to be learned as a tail.
      expect(noted.at(-1)?.released).to.deep.equal([observed]);
      expect(noted.at(-1)?.window).to.deep.equal([]);
    });

    it('releases a held observation that leaves the window with no change declared: a tail, learned late', () => {
      const noted = run([-1, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(noted.map((each) => each.released.length)).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0, 1]);
      expect(noted.every((each) => each.shift === undefined)).to.equal(true);
    });

    it('needs the surprises in one direction: as many early as late never declare one', () => {
      expect(run([-1, 1, -1, 1, -1, 1]).every((each) => each.shift === undefined)).to.equal(true);
    });
  });
});
