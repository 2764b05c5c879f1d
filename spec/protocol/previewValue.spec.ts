import { expect } from 'chai';
import { previewValue } from '../../src/protocol/previewValue.js';

describe('previewValue', () => {
  it('quotes a value as JSON, undefined by name', () => {
    expect([previewValue('5'), previewValue(5), previewValue(null), previewValue(undefined), previewValue({ a: [1] })]).to.deep.equal(['"5"', '5', 'null', 'undefined', '{"a":[1]}']);
  });

  it('cuts a long value to 60 characters ending in ...', () => {
    const shown = previewValue('x'.repeat(100));
    expect(shown).to.have.length(60);
    expect(shown).to.equal(`"${'x'.repeat(56)}...`);
    expect(previewValue('x'.repeat(58))).to.equal(`"${'x'.repeat(58)}"`);
  });
});
