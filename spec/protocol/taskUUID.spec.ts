import { expect } from 'chai';
import { assertTaskUUID, isTaskUUID, randomTaskUUID, uuidV4From } from '../../src/protocol/taskUUID.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('taskUUID', () => {
  it('accepts a canonical UUID of any version and case, nothing else', () => {
    expect(['24cd5dff-cb81-4db5-8506-b72a9425f9d1', '019C42A0-C3FF-7138-BE83-EE257ABC5331'].map(isTaskUUID)).to.deep.equal([true, true]);
    const refused = ['', 'abc', ' 24cd5dff-cb81-4db5-8506-b72a9425f9d1', '24cd5dffcb814db58506b72a9425f9d1', 42, null, undefined];
    expect(refused.map(isTaskUUID)).to.deep.equal(refused.map(() => false));
  });

  it('assertTaskUUID names its caller, and echoes only what looks like a mistyped UUID', () => {
    expect(() => assertTaskUUID('24cd5dff-cb81', 'watchTask')).to.throw(TypeError, 'watchTask: taskUUID must be a UUID like 24cd5dff-cb81-4db5-8506-b72a9425f9d1, got "24cd5dff-cb81"');
    expect(() => assertTaskUUID('sk-secret-key', 'watchTask')).to.throw(TypeError, /got a string of 13 characters that is not a UUID$/);
    expect(() => assertTaskUUID(null, 'client.getResponse')).to.throw(TypeError, /^client\.getResponse: .* got null$/);
  });

  it('uuidV4From stamps version 4 and the RFC 9562 variant on 16 bytes, keeping the other bits', () => {
    expect(uuidV4From(new Uint8Array(16).fill(0xff))).to.equal('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidV4From(new Uint8Array(16))).to.equal('00000000-0000-4000-8000-000000000000');
    expect(uuidV4From([...Array(16).keys()])).to.equal('00010203-0405-4607-8809-0a0b0c0d0e0f');
  });

  describe('randomTaskUUID', () => {
    it('draws distinct UUID v4s', () => {
      const drawn = new Set(Array.from({ length: 1000 }, () => randomTaskUUID()));
      expect(drawn.size).to.equal(1000);
      for (const uuid of drawn) expect(uuid).to.match(UUID_V4);
    });

    it('builds a v4 from getRandomValues where randomUUID is missing', () => {
      const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
      const real = globalThis.crypto;
      Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => real.getRandomValues(bytes) }, configurable: true });
      try {
        expect(randomTaskUUID()).to.match(UUID_V4);
      } finally {
        if (original) Object.defineProperty(globalThis, 'crypto', original);
      }
    });
  });
});
