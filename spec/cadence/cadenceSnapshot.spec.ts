import { expect } from 'chai';
import { CadenceSnapshot, readCadenceSnapshot } from '../../src/cadence/cadenceSnapshot.js';
import { HISTOGRAM_BINS } from '../../src/cadence/durationHistogram.js';

const mass = (bin: number): number[] => Array.from({ length: HISTOGRAM_BINS }, (_, k) => (k === bin ? 1.5 : 0));
const valid = { version: 1, firstEdgeMs: 250, binsPerDoubling: 20, bins: HISTOGRAM_BINS, keys: { 'videoInference|m': { observations: 3, mass: mass(150) } } };

describe('cadenceSnapshot', () => {
  it('reads a valid snapshot as it is, extra fields tolerated', () => {
    expect(readCadenceSnapshot(valid)).to.deep.equal(valid);
    expect(CadenceSnapshot.is({ ...valid, savedBy: 'a service' })).to.equal(true);
    expect(readCadenceSnapshot({ ...valid, keys: {} }).keys).to.deep.equal({});
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an object', 'cadence', 'expected'],
    ['another layout', { ...valid, bins: 100 }, `bins: expected ${HISTOGRAM_BINS}, got 100`],
    ['keys not a record', { ...valid, keys: [] }, 'keys'],
    ['a mass of all zeros', { ...valid, keys: { k: { observations: 1, mass: mass(-1) } } }, 'keys.k.mass: expected array of'],
    ['a non-finite mass', { ...valid, keys: { k: { observations: 1, mass: mass(3).map((each, k) => (k === 4 ? Number.POSITIVE_INFINITY : each)) } } }, 'keys.k.mass'],
    ['fractional observations', { ...valid, keys: { k: { observations: 1.5, mass: mass(3) } } }, 'keys.k.observations: expected whole number of at least 1, got 1.5'],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name} with a TypeError naming where`, () => {
      expect(() => readCadenceSnapshot(value)).to.throw(TypeError, message);
    });
  }
});
