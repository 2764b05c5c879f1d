import { expect } from 'chai';
import { redactKey } from '../../src/transport/redactKey.js';

describe('redactKey', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['Bearer rw-0123456789 rejected; rw-0123456789 again', 'rw-0123456789', 'Bearer [redacted] rejected; [redacted] again'],
    ['nothing to hide', 'rw-0123456789', 'nothing to hide'],
    ['no key given', undefined, 'no key given'],
    ['a short test key abc is left alone', 'abc', 'a short test key abc is left alone'],
  ];
  for (const [text, key, expected] of cases) {
    it(`${JSON.stringify(text)} with key ${JSON.stringify(key)}`, () => {
      expect(redactKey(text, key)).to.equal(expected);
    });
  }
});
