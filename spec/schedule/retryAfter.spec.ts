import { expect } from 'chai';
import { parseRetryAfter } from '../../src/schedule/retryAfter.js';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['0', 0],
    ['5', 5000],
    [' 120 ', 120_000],
    ['Sun, 29 Nov 2026 12:00:30 GMT', 30_000],
    ['Sun, 29 Nov 2026 11:59:00 GMT', 0],
    ['-3', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} -> ${String(expected)}`, () => {
      expect(parseRetryAfter(header, now)).to.equal(expected);
    });
  }
});
