import { expect } from 'chai';
import { parseRetryAfter } from '../../src/schedule/retryAfter.js';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['0', 0],
    ['5', 5000],
    [' 120 ', 120_000],
    // IMF-fixdate, and the two obsolete formats RFC 9110 still asks readers to accept
    ['Sun, 29 Nov 2026 12:00:30 GMT', 30_000],
    ['Sun, 29 Nov 2026 11:59:00 GMT', 0],
    ['Sunday, 29-Nov-26 12:01:00 GMT', 60_000],
    ['Sun Nov 29 12:00:45 2026', 45_000],
    ['Sun Nov  1 12:00:00 2026', 0],
    ['Monday, 29-Nov-77 12:00:00 GMT', 0], // 2077 is more than 50 years ahead: 1977
    // garbage Date.parse would read as a date
    ['Sun 2099', undefined],
    ['2099', 2_099_000], // delta-seconds, not a year
    ['2099-01-01', undefined],
    ['2099-01-01T00:00:00Z', undefined],
    ['Thu, 01 Jan 2099', undefined],
    ['Sun, 29 Nov 2026 12:00:30 UTC', undefined],
    ['Sun, 31 Feb 2026 12:00:30 GMT', undefined],
    ['Sun, 29 Nov 2026 25:00:30 GMT', undefined],
    ['sun, 29 nov 2026 12:00:30 gmt', undefined],
    ['Nov 29 2099', undefined],
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
