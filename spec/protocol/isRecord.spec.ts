import { expect } from 'chai';
import { isRecord } from '../../src/protocol/isRecord.js';

describe('isRecord', () => {
  it('is true for objects, parsed or not, and false for arrays, null and every other value', () => {
    expect([{}, JSON.parse('{"a":1}'), Object.create(null), new Date(0)].every(isRecord)).to.equal(true);
    expect([[], null, undefined, 'x', 1, true].some(isRecord)).to.equal(false);
  });
});
