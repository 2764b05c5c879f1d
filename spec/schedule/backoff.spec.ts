import { expect } from 'chai';
import { backoffDelay, type BackoffSchedule } from '../../src/schedule/backoff.js';

describe('backoffDelay', () => {
  const steady = (): number => 0.5;
  const cases: Array<[string, number, BackoffSchedule, () => number, number]> = [
    ['first gap is the interval', 1, { interval: 1000, multiplier: 1.5, maxInterval: 10_000, jitter: 0 }, steady, 1000],
    ['grows by the multiplier', 2, { interval: 1000, multiplier: 1.5, maxInterval: 10_000, jitter: 0 }, steady, 1500],
    ['compounds', 4, { interval: 1000, multiplier: 2, maxInterval: 10_000, jitter: 0 }, steady, 8000],
    ['is capped at maxInterval', 9, { interval: 1000, multiplier: 2, maxInterval: 10_000, jitter: 0 }, steady, 10_000],
    ['stays constant with multiplier 1', 50, { interval: 700, multiplier: 1, maxInterval: 10_000, jitter: 0 }, steady, 700],
    ['random 0.5 leaves the gap as is', 1, { interval: 1000, multiplier: 2, maxInterval: 10_000, jitter: 0.4 }, steady, 1000],
    ['random 0 shortens by jitter', 1, { interval: 1000, multiplier: 2, maxInterval: 10_000, jitter: 0.4 }, () => 0, 600],
    ['random near 1 lengthens by jitter', 1, { interval: 1000, multiplier: 2, maxInterval: 10_000, jitter: 0.4 }, () => 0.999, 1399.2],
    ['jitter applies after the cap', 20, { interval: 1000, multiplier: 2, maxInterval: 4000, jitter: 1 }, () => 0.25, 2000],
    ['full jitter with random 0 gives 0', 3, { interval: 1000, multiplier: 2, maxInterval: 4000, jitter: 1 }, () => 0, 0],
  ];
  for (const [name, attempt, schedule, random, expected] of cases) {
    it(`${name}: attempt ${attempt} -> ${expected} ms`, () => {
      expect(backoffDelay(attempt, schedule, random)).to.be.closeTo(expected, 1e-9);
    });
  }

  it('does not draw randomness when jitter is 0', () => {
    let draws = 0;
    backoffDelay(3, { interval: 10, multiplier: 2, maxInterval: 100, jitter: 0 }, () => (draws += 1));
    expect(draws).to.equal(0);
  });
});
