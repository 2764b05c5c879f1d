import { expect } from 'chai';
import { RunwareDecodeError } from '../../src/errors/RunwareDecodeError.js';
import { MAX_JSON_DEPTH, nestingDepthOver, parseReply } from '../../src/transport/parseReply.js';
import { keyRedactor } from '../../src/transport/redactKey.js';

const KEY = 'HARDkey0123456789';
const redact = keyRedactor(KEY);

function failureOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('parseReply', () => {
  it('parses JSON', () => {
    expect(parseReply('{"data":[{"a":1}]}', redact)).to.deep.equal({ data: [{ a: 1 }] });
  });

  it('redacts the key in every decoded string, a JSON-escaped echo included, and in property names', () => {
    const escaped = '{"data":[{"message":"\\u0048ARDkey0123456789","list":["x \\u0048\\u0041RDkey0123456789"],"HARDkey0123456789":true}]}';
    expect(parseReply(escaped, redact)).to.deep.equal({ data: [{ message: '[redacted]', list: ['x [redacted]'], '[redacted]': true }] });
  });

  it('redacts a percent-encoded key, in the text it is given redacted as text', () => {
    const percent = [...KEY].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');
    expect(parseReply(redact(`{"u":"https://x.test/?k=${percent}"}`), redact)).to.deep.equal({ u: 'https://x.test/?k=[redacted]' });
  });

  it('keeps a parsed "__proto__" an own property and leaves the prototype alone', () => {
    const parsed = parseReply('{"__proto__":{"polluted":"\\u0048ARDkey0123456789"}}', redact) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).to.deep.equal({ polluted: '[redacted]' });
  });

  it('redacts a percent-encoded key whose percent signs were JSON-escaped', () => {
    const percent = [...KEY].map((char) => `\\u0025${char.charCodeAt(0).toString(16)}`).join('');
    expect(parseReply(redact(`{"u":"?k=${percent}"}`), redact)).to.deep.equal({ u: '?k=[redacted]' });
  });

  it(`accepts nesting of exactly ${MAX_JSON_DEPTH} levels`, () => {
    const text = `${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(() => parseReply(text, redact)).not.to.throw();
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels before parsing, naming the limit, as not retryable`, () => {
    const text = `{"data":${'[{"a":'.repeat(40)}1${'}]'.repeat(40)}}`;
    const error = failureOf(() => parseReply(text, redact));
    expect(error).to.be.instanceOf(RunwareDecodeError);
    expect(error).to.include({ retryable: false, body: undefined });
    expect((error as RunwareDecodeError).issues[0]).to.match(/nested deeper than 64 levels .*MAX_JSON_DEPTH/);
  });

  it('refuses megabytes of nesting without a stack overflow', () => {
    const depth = 1_000_000;
    const error = failureOf(() => parseReply(`${'['.repeat(depth)}${']'.repeat(depth)}`, redact));
    expect(error).to.be.instanceOf(RunwareDecodeError);
  });

  it('keeps a non-JSON body as a retryable decode error, and an empty one', () => {
    expect(failureOf(() => parseReply('<html>', redact))).to.include({ retryable: true, body: '<html>' });
    expect((failureOf(() => parseReply(' ', redact)) as RunwareDecodeError).issues).to.deep.equal(['body: expected JSON, got an empty body']);
  });
});

describe('nestingDepthOver', () => {
  const cases: Array<[string, number, number | undefined]> = [
    ['[[1]]', 2, undefined],
    ['[[1]]', 1, 1],
    ['{"a":{"b":[]}}', 2, 10],
    ['["[[[[", "\\"[[["]', 1, undefined], // brackets inside strings, an escaped quote
    ['[][][]', 1, undefined],
  ];
  for (const [text, limit, expected] of cases) {
    it(`${text} with limit ${limit} -> ${String(expected)}`, () => {
      expect(nestingDepthOver(text, limit)).to.equal(expected);
    });
  }
});
