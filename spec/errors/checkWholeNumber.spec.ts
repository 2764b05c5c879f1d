import { expect } from 'chai';
import { checkWholeNumber } from '../../src/errors/checkWholeNumber.js';

describe('checkWholeNumber', () => {
  it('accepts a safe integer of at least the minimum', () => {
    expect(() => checkWholeNumber('watchTask', 'retries', 0, 0)).to.not.throw();
    expect(() => checkWholeNumber('watchTask', 'retries', Number.MAX_SAFE_INTEGER, 0)).to.not.throw();
  });

  for (const value of [-1, 0.5, Number.NaN, Infinity, 2 ** 53, '3', undefined, null]) {
    it(`refuses ${String(value)} (${typeof value}) with a RangeError naming the caller, the option and the value`, () => {
      expect(() => checkWholeNumber('runware-rx', 'maxResponseBytes', value, 0)).to.throw(
        RangeError,
        `runware-rx: option maxResponseBytes must be a whole number of at least 0, got ${String(value)}`,
      );
    });
  }
});
