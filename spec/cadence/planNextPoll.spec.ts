import { expect } from 'chai';
import { EDGES, observeDuration, type DurationHistogram } from '../../src/cadence/durationHistogram.js';
import { DEFAULT_CADENCE_TUNING, planNextPoll, resolveCadenceTuning, type CadenceSettings } from '../../src/cadence/planNextPoll.js';
import { DEFAULT_WATCH_SETTINGS } from '../../src/watch/settings.js';
import { backoffDelay } from '../../src/schedule/backoff.js';
import { mulberry32 } from '../../src/simulator/random.js';

const edge = (k: number): number => EDGES[k] as number;
/** Uniform durations from edge 147 (about 39.4 s) to edge 159 (about 59.1 s): a CDF the bins hold exactly. */
const A = edge(147);
const B = edge(159);
const PRICE = 180;

/** Settings without jitter or prior, so delays have a closed form. */
const exact: CadenceSettings = { interval: 1000, multiplier: 1.5, maxInterval: 10_000, jitter: 0, random: () => 0.5, timeout: 1_200_000, pollPrice: PRICE, priorShare: 0, maxIntervalFactor: 6 };

function learned(from: number, to: number, times = 1): DurationHistogram {
  let histogram: DurationHistogram | undefined;
  for (let n = 0; n < times; n += 1) histogram = observeDuration(histogram, from, to, 0.97);
  return histogram as DurationHistogram;
}

describe('planNextPoll', () => {
  describe('without history', () => {
    it('is exactly backoffDelay, drawing the same randomness, for every attempt', () => {
      const settings: CadenceSettings = { ...DEFAULT_WATCH_SETTINGS, ...DEFAULT_CADENCE_TUNING, random: mulberry32(5) };
      const theirs = mulberry32(5);
      for (let attempt = 1; attempt <= 25; attempt += 1) {
        const plan = planNextPoll(undefined, attempt * 3000, 1, attempt, settings);
        expect(plan, `attempt ${attempt}`).to.deep.equal({ delay: backoffDelay(attempt, settings, theirs), reason: 'backoff', chance: undefined });
      }
    });

    it('is the backoff when nothing is pending', () => {
      expect(planNextPoll(learned(A, B), 1000, 0, 3, exact)).to.deep.equal({ delay: 2250, reason: 'backoff', chance: undefined });
    });

    it('is the backoff once the task is past everything learned and the prior share is 0', () => {
      expect(planNextPoll(learned(A, B), B + 5000, 1, 7, exact)).to.deep.equal({ delay: 10_000, reason: 'backoff', chance: undefined });
    });
  });

  describe('a seeded store (uniform durations from A to B, no prior, no jitter)', () => {
    it('from before A: polls where the lag accrued reaches the price, x = A + sqrt(2 price (B - A))', () => {
      const plan = planNextPoll(learned(A, B, 10), 1000, 1, 1, exact);
      const at = A + Math.sqrt(2 * PRICE * (B - A));
      expect(plan.reason).to.equal('learned');
      expect(plan.delay).to.be.closeTo(at - 1000, 1e-6);
      expect(plan.chance).to.be.closeTo((at - A) / (B - A), 1e-9);
    });

    it('inside [A, B]: the next gap is sqrt(2 price (B - t) / pending)', () => {
      const t = A + 2000;
      expect(planNextPoll(learned(A, B), t, 1, 4, exact).delay).to.be.closeTo(Math.sqrt(2 * PRICE * (B - t)), 1e-6);
    });

    it('places the exact poll times of a whole task, from the first poll to past B', () => {
      const durations = learned(A, B, 3);
      const polls = [1000];
      while ((polls.at(-1) as number) < B - 3000) {
        const t = polls.at(-1) as number;
        polls.push(t + planNextPoll(durations, t, 1, polls.length, exact).delay);
      }
      // The same times from the closed form: the first jump into [A, B], then gaps of sqrt(2 price (B - t)).
      const expected = [1000, A + Math.sqrt(2 * PRICE * (B - A))];
      while ((expected.at(-1) as number) < B - 3000) {
        const t = expected.at(-1) as number;
        expected.push(t + Math.max(1000, Math.sqrt(2 * PRICE * (B - t))));
      }
      expect(polls.length).to.equal(expected.length);
      polls.forEach((time, index) => expect(time, `poll ${index + 1}`).to.be.closeTo(expected[index] as number, 1e-6));
      // Denser as the finish gets likelier: every gap shorter than the one before.
      const gaps = polls.slice(2).map((time, index) => time - (polls[index + 1] as number));
      gaps.slice(1).forEach((gap, index) => expect(gap).to.be.below(gaps[index] as number));
    });
  });

  describe('a multi-generation task', () => {
    it('polls twice as often with four generations pending as with one (the price is shared)', () => {
      const t = A + 2000;
      const one = planNextPoll(learned(A, B), t, 1, 4, exact).delay;
      const four = planNextPoll(learned(A, B), t, 4, 4, exact).delay;
      expect(four).to.be.closeTo(Math.sqrt((2 * PRICE * (B - t)) / 4), 1e-6);
      expect(one / four).to.be.closeTo(2, 1e-9);
    });

    it('gives the chance that at least one of the pending generations finishes by the next poll', () => {
      const t = A + 2000;
      const plan = planNextPoll(learned(A, B), t, 4, 4, exact);
      const stillPending = (B - t - plan.delay) / (B - t);
      expect(plan.chance).to.be.closeTo(1 - stillPending ** 4, 1e-9);
    });
  });

  describe('bounds', () => {
    it('never waits longer than maxInterval x maxIntervalFactor', () => {
      expect(planNextPoll(learned(200_000, 210_000), 1000, 1, 1, exact)).to.include({ delay: 60_000, reason: 'cap' });
      expect(planNextPoll(learned(200_000, 210_000), 1000, 1, 1, { ...exact, maxIntervalFactor: 2 })).to.include({ delay: 20_000, reason: 'cap' });
    });

    it('never waits less than interval', () => {
      expect(planNextPoll(learned(A, B), A + 2000, 4, 4, { ...exact, interval: 2000 })).to.include({ delay: 2000, reason: 'floor' });
    });

    it('never plans past the deadline', () => {
      expect(planNextPoll(learned(A, B), 1000, 1, 1, { ...exact, timeout: 30_000 })).to.include({ delay: 29_000, reason: 'deadline' });
      expect(planNextPoll(learned(A, B), 31_000, 1, 1, { ...exact, timeout: 30_000 })).to.include({ delay: 0, reason: 'deadline' });
    });

    it('jitters only earlier: d x (1 - jitter x random())', () => {
      const plain = planNextPoll(learned(A, B), 1000, 1, 1, exact).delay;
      expect(planNextPoll(learned(A, B), 1000, 1, 1, { ...exact, jitter: 0.1, random: () => 0 }).delay).to.equal(plain);
      expect(planNextPoll(learned(A, B), 1000, 1, 1, { ...exact, jitter: 0.1, random: () => 0.5 }).delay).to.be.closeTo(plain * 0.95, 1e-6);
      expect(planNextPoll(learned(200_000, 210_000), 1000, 1, 1, { ...exact, jitter: 0.2, random: () => 0.5 }).delay).to.equal(54_000);
    });
  });

  describe('drift', () => {
    const settings: CadenceSettings = { ...exact, priorShare: DEFAULT_CADENCE_TUNING.priorShare };

    it('slower: past everything learned, the prior spaces the polls out like a backoff, no burst', () => {
      const durations = learned(40_000, 50_000, 30);
      const polls = [50_500];
      while ((polls.at(-1) as number) < 150_000) {
        const t = polls.at(-1) as number;
        polls.push(t + planNextPoll(durations, t, 1, polls.length, settings).delay);
      }
      const gaps = polls.slice(1).map((time, index) => time - (polls[index] as number));
      expect(Math.min(...gaps)).to.be.above(4000);
      gaps.slice(1).forEach((gap, index) => expect(gap).to.be.at.least(gaps[index] as number));
      expect(polls.length).to.be.below(16);
    });

    it('faster: the prior share keeps one look before the learned durations, and a few earlier finishes move the poll onto them', () => {
      const before = learned(40_000, 50_000, 30);
      expect(planNextPoll(before, 1000, 1, 1, { ...settings, priorShare: 0 }).delay).to.be.above(39_000);
      expect(1000 + planNextPoll(before, 1000, 1, 1, settings).delay).to.be.within(30_000, 38_000);
      let after = before;
      for (let n = 0; n < 5; n += 1) after = observeDuration(after, 26_000, 30_000, 2 ** (-1 / 20));
      const plan = planNextPoll(after, 1000, 1, 1, settings);
      expect(plan.reason).to.equal('learned');
      expect(1000 + plan.delay).to.be.within(26_000, 30_000);
    });

    it('faster, with nothing learned there yet: a model now finishing long before its history is seen within the cap', () => {
      const durations = learned(170_000, 190_000, 30);
      const polls = [1000];
      while ((polls.at(-1) as number) < 126_000) polls.push((polls.at(-1) as number) + planNextPoll(durations, polls.at(-1) as number, 1, polls.length, settings).delay);
      polls.slice(1).forEach((time, index) => expect(time - (polls[index] as number)).to.be.at.most(60_000 + 1e-6));
    });
  });
});

describe('resolveCadenceTuning', () => {
  it('fills the defaults in', () => {
    expect(resolveCadenceTuning({})).to.deep.equal({ pollPrice: 190, priorShare: 0.02, maxIntervalFactor: 6 });
  });

  const bad: Array<[string, Record<string, number>]> = [
    ['pollPrice 0', { pollPrice: 0 }],
    ['pollPrice Infinity', { pollPrice: Number.POSITIVE_INFINITY }],
    ['priorShare -0.1', { priorShare: -0.1 }],
    ['priorShare 1.5', { priorShare: 1.5 }],
    ['maxIntervalFactor 0.5', { maxIntervalFactor: 0.5 }],
    ['maxIntervalFactor NaN', { maxIntervalFactor: Number.NaN }],
  ];
  for (const [name, options] of bad) {
    it(`refuses ${name} with a RangeError naming the option`, () => {
      expect(() => resolveCadenceTuning(options)).to.throw(RangeError, `option ${Object.keys(options)[0] as string}`);
    });
  }
});
