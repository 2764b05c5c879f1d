import { expect } from 'chai';
import { randomTaskUUID } from '../../src/client/randomTaskUUID.js';

describe('randomTaskUUID', () => {
  it('draws distinct UUID v4s', () => {
    const drawn = new Set(Array.from({ length: 1000 }, () => randomTaskUUID()));
    expect(drawn.size).to.equal(1000);
    for (const uuid of drawn) expect(uuid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('builds a v4 from getRandomValues where randomUUID is missing', () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    const real = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => real.getRandomValues(bytes) }, configurable: true });
    try {
      expect(randomTaskUUID()).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      if (original) Object.defineProperty(globalThis, 'crypto', original);
    }
  });
});
