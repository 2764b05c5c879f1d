import { expect } from 'chai';
import { sameJson } from '../../src/protocol/sameJson.js';

describe('sameJson', () => {
  it('is true for the same JSON value parsed twice, key order aside', () => {
    const text = '{"data":[{"taskUUID":"t","status":"processing","progress":40,"n":null,"ok":true}],"errors":[]}';
    expect(sameJson(JSON.parse(text), JSON.parse(text))).to.equal(true);
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).to.equal(true);
    expect(sameJson('x', 'x')).to.equal(true);
  });

  it('is false at any difference: a value, a type, a key, a length, list order', () => {
    const cases: Array<[unknown, unknown]> = [
      [{ a: 1 }, { a: 2 }],
      [{ a: 1 }, { a: '1' }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { a: 1 }],
      [{ a: 1 }, { b: 1 }],
      [[1, 2], [2, 1]],
      [[1], [1, 1]],
      [[], {}],
      [{}, []],
      [{ a: null }, { a: {} }],
      [{ a: undefined }, {}],
      [null, {}],
      [{ data: [{ progress: 40 }] }, { data: [{ progress: 41 }] }],
    ];
    for (const [a, b] of cases) {
      expect(sameJson(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).to.equal(false);
      expect(sameJson(b, a), `${JSON.stringify(b)} vs ${JSON.stringify(a)}`).to.equal(false);
    }
  });
});
