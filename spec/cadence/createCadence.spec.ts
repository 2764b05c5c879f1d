import { expect } from 'chai';
import { createCadence } from '../../src/cadence/createCadence.js';
import { HISTOGRAM_BINS, massOf, quantileOf } from '../../src/cadence/durationHistogram.js';
import { DEFAULT_CADENCE_TUNING } from '../../src/cadence/planNextPoll.js';

describe('createCadence', () => {
  it('knows nothing about a key before its first observation', () => {
    expect(createCadence().summary('videoInference|m')).to.equal(undefined);
  });

  it('learns per key: one key’s observations leave the others alone', () => {
    const cadence = createCadence();
    cadence.observe('a', 40_000, 42_000);
    cadence.observe('a', 41_000, 43_000);
    cadence.observe('b', 90_000, 95_000);
    expect(cadence.summary('a')?.observations).to.equal(2);
    expect(cadence.summary('b')?.observations).to.equal(1);
  });

  it('decays by halfLife: an observation halfLife generations old weighs half', () => {
    const cadence = createCadence({ halfLife: 2 });
    cadence.observe('k', 10_000, 10_100);
    cadence.observe('k', 90_000, 90_100);
    cadence.observe('k', 90_000, 90_100);
    const mass = massOf(cadence.summary('k') ?? expect.fail('no summary'));
    const early = mass.slice(0, 150).reduce((sum, each) => sum + each, 0);
    expect(early).to.be.closeTo(0.5, 1e-12);
    expect(cadence.summary('k')?.weight).to.be.closeTo(0.5 + 2 ** -0.5 + 1, 1e-12);
  });

  it('decays by tasks started later: the finishes of a batch started together weigh alike, in whatever order they come', () => {
    const cadence = createCadence({ halfLife: 1 });
    // A batch started at 0 finishes in the order of its durations: none makes the others weigh less.
    for (const finish of [40_000, 200_000, 100_000]) cadence.observe('k', finish, finish + 100, 0);
    expect(cadence.summary('k')?.weight).to.equal(3);
    // A task started later halves them (halfLife 1); one started before it, finishing later, does not.
    cadence.observe('k', 50_000, 50_100, 5000);
    cadence.observe('k', 60_000, 60_100, 2000);
    expect(cadence.summary('k')?.weight).to.equal(3 / 2 + 1 + 1);
    // Without a start, every observation is the latest.
    cadence.observe('k', 70_000, 70_100);
    expect(cadence.summary('k')?.weight).to.equal((3 / 2 + 2) / 2 + 1);
  });

  describe('a change of speed', () => {
    /** A store that learned twelve tasks of 44 to 46 s, each started after the one before. */
    function steady(): ReturnType<typeof createCadence> {
      const cadence = createCadence();
      for (let i = 0; i < 12; i += 1) cadence.observe('k', 44_000, 46_000, i);
      return cadence;
    }

    it('holds a surprising generation back, then learns it over what came before, which weighs 1/16, at the fourth', () => {
      const cadence = steady();
      const before = cadence.summary('k') ?? expect.fail('no summary');
      for (let i = 0; i < 3; i += 1) cadence.observe('k', 19_000, 21_000, 100 + i);
      expect(cadence.summary('k')).to.equal(before);
      cadence.observe('k', 19_000, 21_000, 103);
      const after = cadence.summary('k') ?? expect.fail('no summary');
      expect(after.shifts).to.equal(1);
      expect(after.weight).to.be.closeTo(before.weight / 16 + 4, 1e-9);
      expect(quantileOf(after, 0.5)).to.be.below(21_000);
    });

    it('notices a model that got slower by its tasks still running past the learned durations, before they finish: it stretches what it learned', () => {
      const cadence = steady();
      const before = cadence.summary('k') ?? expect.fail('no summary');
      for (let i = 0; i < 3; i += 1) cadence.overdue('k', 50_000, 100 + i);
      expect(cadence.summary('k')).to.equal(before);
      cadence.overdue('k', 50_000, 103);
      const after = cadence.summary('k') ?? expect.fail('no summary');
      expect(after.shifts).to.equal(1);
      expect(after.weight).to.be.closeTo(before.weight / 4, 1e-9);
      expect(quantileOf(after, 0.01)).to.be.above(49_000);
      // A fifth overdue task starts a new count.
      cadence.overdue('k', 60_000, 104);
      expect(cadence.summary('k')).to.equal(after);
    });

    it('counts the late finishes with the overdue tasks, each task once: its finish settles its overdue entry, and is learned over the stretch', () => {
      const cadence = steady();
      const before = cadence.summary('k') ?? expect.fail('no summary');
      cadence.overdue('k', 50_000, 100);
      cadence.observe('k', 52_000, 60_000, 100);
      cadence.overdue('k', 50_000, 101);
      expect(cadence.summary('k')?.shifts, 'one late finish and one overdue task').to.equal(0);
      cadence.overdue('k', 50_000, 102);
      cadence.overdue('k', 50_000, 103);
      const after = cadence.summary('k') ?? expect.fail('no summary');
      expect(after.shifts).to.equal(1);
      // The late finish, held until then, is learned over the stretched shape at full weight.
      expect(after.weight).to.be.closeTo(before.weight / 4 + 1, 1e-9);
      expect(after.observations).to.equal(13);
    });

    it('ignores an overdue task of the first cohort (a batch) and one of an unknown key', () => {
      const cadence = createCadence();
      for (let i = 0; i < 12; i += 1) cadence.observe('k', 44_000 + 1000 * i, 45_000 + 1000 * i, 0);
      for (let i = 0; i < 4; i += 1) cadence.overdue('k', 70_000, 0);
      cadence.overdue('other', 70_000, 5);
      expect(cadence.summary('k')?.shifts).to.equal(0);
      expect(cadence.summary('other')).to.equal(undefined);
    });

    it('learns a lone tail late, as a tail: no change declared', () => {
      const cadence = steady();
      cadence.observe('k', 90_000, 91_000, 100);
      for (let i = 1; i <= 8; i += 1) cadence.observe('k', 44_000, 46_000, 100 + i);
      const summary = cadence.summary('k') ?? expect.fail('no summary');
      expect(summary.shifts).to.equal(0);
      expect(summary.observations).to.equal(12 + 9);
    });

    it('sees none in a batch started together: its long tasks finish after its short ones', () => {
      const cadence = createCadence();
      for (let finish = 30_000; finish <= 240_000; finish += 10_000) cadence.observe('k', finish - 1000, finish, 0);
      expect(cadence.summary('k')?.shifts).to.equal(0);
      expect(cadence.summary('k')?.observations).to.equal(22);
    });
  });

  it('hands out immutable summaries: one taken before an observation does not change', () => {
    const cadence = createCadence();
    cadence.observe('k', 40_000, 42_000);
    const before = cadence.summary('k');
    cadence.observe('k', 80_000, 82_000);
    expect(before?.observations).to.equal(1);
    expect(cadence.summary('k')).to.not.equal(before);
  });

  it('forgets the key observed least recently past maxKeys', () => {
    const cadence = createCadence({ maxKeys: 2 });
    cadence.observe('a', 1000, 2000);
    cadence.observe('b', 1000, 2000);
    cadence.observe('a', 1000, 2000); // a is now the most recent
    cadence.observe('c', 1000, 2000);
    expect(['a', 'b', 'c'].map((key) => cadence.summary(key) !== undefined)).to.deep.equal([true, false, true]);
  });

  it('refuses a non-finite interval with a RangeError and learns nothing from it', () => {
    const cadence = createCadence();
    expect(() => cadence.observe('k', Number.NaN, 1000)).to.throw(RangeError, 'finite');
    expect(() => cadence.observe('k', 0, Number.POSITIVE_INFINITY)).to.throw(RangeError, 'finite');
    expect(cadence.summary('k')).to.equal(undefined);
  });

  describe('snapshots', () => {
    it('round-trips through JSON: the restored store holds the same histograms', () => {
      const cadence = createCadence();
      cadence.observe('videoInference|a|5s', 41_000, 47_000);
      cadence.observe('videoInference|a|5s', 44_000, 45_000);
      cadence.observe('videoInference|b', 170_000, 185_000);
      const snapshot = cadence.snapshot();
      const restored = createCadence({ from: JSON.parse(JSON.stringify(snapshot)) });
      expect(restored.snapshot()).to.deep.equal(snapshot);
      for (const key of ['videoInference|a|5s', 'videoInference|b']) {
        const original = cadence.summary(key);
        const back = restored.summary(key);
        expect(back?.observations).to.equal(original?.observations);
        original?.cdf.forEach((value, k) => expect(back?.cdf[k]).to.be.closeTo(value, 1e-12));
      }
    });

    it('is plain JSON: version, layout, and per key the observations and mass of every bin', () => {
      const cadence = createCadence();
      cadence.observe('k', 40_000, 41_000);
      const snapshot = cadence.snapshot();
      expect(Object.keys(snapshot)).to.deep.equal(['version', 'firstEdgeMs', 'binsPerDoubling', 'bins', 'keys']);
      expect(snapshot).to.include({ version: 1, firstEdgeMs: 250, binsPerDoubling: 20, bins: HISTOGRAM_BINS });
      expect(snapshot.keys['k']?.mass).to.have.length(HISTOGRAM_BINS);
      expect(JSON.parse(JSON.stringify(snapshot))).to.deep.equal(snapshot);
    });

    it('keeps a key named __proto__ as a key', () => {
      const cadence = createCadence();
      cadence.observe('__proto__', 40_000, 41_000);
      const restored = createCadence({ from: JSON.parse(JSON.stringify(cadence.snapshot())) });
      expect(restored.summary('__proto__')?.observations).to.equal(1);
    });

    it('refuses a bad snapshot with a TypeError that says what is wrong', () => {
      const good = (() => {
        const cadence = createCadence();
        cadence.observe('k', 40_000, 41_000);
        return JSON.parse(JSON.stringify(cadence.snapshot())) as { keys: { k: { mass: number[] } } };
      })();
      expect(() => createCadence({ from: null })).to.throw(TypeError, 'createCadence: option from is not a cadence snapshot');
      expect(() => createCadence({ from: { ...good, version: 2 } })).to.throw(TypeError, 'version: expected 1, got 2');
      expect(() => createCadence({ from: { ...good, binsPerDoubling: 16 } })).to.throw(TypeError, 'binsPerDoubling');
      expect(() => createCadence({ from: { ...good, keys: { k: { observations: 1, mass: [1, 2] } } } })).to.throw(TypeError, `keys.k.mass: expected array of ${HISTOGRAM_BINS} bin masses`);
      const negative = good.keys.k.mass.map((mass, bin) => (bin === 3 ? -1 : mass));
      expect(() => createCadence({ from: { ...good, keys: { k: { observations: 1, mass: negative } } } })).to.throw(TypeError, 'keys.k.mass');
      expect(() => createCadence({ from: { ...good, keys: { k: { observations: 0, mass: good.keys.k.mass } } } })).to.throw(TypeError, 'keys.k.observations');
    });
  });

  describe('options', () => {
    const bad: Array<[string, Record<string, unknown>]> = [
      ['halfLife 0', { halfLife: 0 }],
      ['halfLife Infinity', { halfLife: Number.POSITIVE_INFINITY }],
      ['halfLife "20"', { halfLife: '20' }],
      ['maxKeys 0', { maxKeys: 0 }],
      ['maxKeys 1.5', { maxKeys: 1.5 }],
    ];
    for (const [name, options] of bad) {
      it(`refuses ${name} with a RangeError naming the option`, () => {
        expect(() => createCadence(options)).to.throw(RangeError, `option ${Object.keys(options)[0] as string}`);
      });
    }
  });

  it("carries the schedule's tuning for the watches using it: defaults filled in, a bad value refused", () => {
    expect(createCadence().tuning).to.deep.equal(DEFAULT_CADENCE_TUNING);
    expect(createCadence({ pollPrice: 90, maxIntervalFactor: 3 }).tuning).to.deep.equal({ pollPrice: 90, priorShare: 0.02, maxIntervalFactor: 3, maxLag: 12_000, maxLagShare: 0.25 });
    expect(() => createCadence({ pollPrice: 0 })).to.throw(RangeError, /pollPrice/);
    expect(() => createCadence({ priorShare: 1.5 })).to.throw(RangeError, /priorShare/);
  });
});
