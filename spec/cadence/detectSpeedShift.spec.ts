import { expect } from 'chai';
import { afterFinish, noteSurprise, overdueAfter, SHIFT_MIN_OBSERVATIONS, SHIFT_SURPRISES, SHIFT_WINDOW, slowerShift, surpriseOf, type Noted, type Overdue } from '../../src/cadence/detectSpeedShift.js';
import { observeDuration, quantileOf, type DurationHistogram } from '../../src/cadence/durationHistogram.js';

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

  describe('overdueAfter', () => {
    it('is the learned 99 % quantile, where a generation finishing later is a late surprise', () => {
      const durations = learned(40_000, 50_000, SHIFT_MIN_OBSERVATIONS);
      const at = overdueAfter(durations) ?? expect.fail('no age');
      expect(at).to.equal(quantileOf(durations, 0.99));
      expect(surpriseOf(durations, { from: at + 1, to: at + 2 })).to.equal(1);
      expect(surpriseOf(durations, { from: at - 1, to: at + 2 })).to.equal(0);
    });

    it(`is undefined for a key with fewer than ${SHIFT_MIN_OBSERVATIONS} generations, or none: nothing is overdue there`, () => {
      expect(overdueAfter(learned(40_000, 50_000, SHIFT_MIN_OBSERVATIONS - 1))).to.equal(undefined);
      expect(overdueAfter(undefined)).to.equal(undefined);
    });
  });

  describe('the overdue tasks', () => {
    const overdue = (startedAt: number, finishesSince = 0): Overdue => ({ startedAt, age: 50_000, finishesSince });
    const late: Noted = { from: 52_000, to: 60_000, surprise: 1 };
    const early: Noted = { from: 20_000, to: 30_000, surprise: -1 };

    it('a finish settles the entry of its own task (one, when two started together) and ages the others', () => {
      expect(afterFinish([overdue(1), overdue(2), overdue(2)], 2)).to.deep.equal([overdue(1, 1), overdue(2, 1)]);
      expect(afterFinish([overdue(1)], undefined)).to.deep.equal([overdue(1, 1)]);
    });

    it(`forget a task after ${SHIFT_WINDOW} later finishes: a watch that stopped never reports its own`, () => {
      let left: ReadonlyArray<Overdue> = [overdue(1)];
      for (let finish = 1; finish < SHIFT_WINDOW; finish += 1) left = afterFinish(left, 100 + finish);
      expect(left).to.deep.equal([overdue(1, SHIFT_WINDOW - 1)]);
      expect(afterFinish(left, 200)).to.deep.equal([]);
    });

    it(`declare a model slower at ${SHIFT_SURPRISES} with the late finishes of the window, one at least still running`, () => {
      expect(slowerShift([late, late, early], [overdue(1), overdue(2)])).to.equal(true);
      expect(slowerShift([late, early, early], [overdue(1), overdue(2)])).to.equal(false);
      expect(slowerShift([], [overdue(1), overdue(2), overdue(3), overdue(4)])).to.equal(true);
      // Four finished late ones are noteSurprise's to declare.
      expect(slowerShift([late, late, late, late], [])).to.equal(false);
    });
  });
});
