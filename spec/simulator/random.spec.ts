import { expect } from 'chai';
import { mulberry32, randomInt, randomUUID } from '../../src/simulator/random.js';

describe('simulator random', () => {
  it('mulberry32 gives the same sequence for the same seed, in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).to.deep.equal(values);
    expect(values.every((value) => value >= 0 && value < 1)).to.equal(true);
    expect(new Set(values).size).to.be.greaterThan(990);
    expect(mulberry32(124)()).to.not.equal(values[0]);
  });

  it('randomInt stays within both bounds and reaches them', () => {
    const random = mulberry32(5);
    const drawn = new Set(Array.from({ length: 500 }, () => randomInt(random, 3, 6)));
    expect([...drawn].sort()).to.deep.equal([3, 4, 5, 6]);
  });

  it('randomUUID makes UUIDv4-shaped ids, reproducibly', () => {
    const id = randomUUID(mulberry32(1));
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomUUID(mulberry32(1))).to.equal(id);
  });
});
