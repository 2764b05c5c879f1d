import { expect } from 'chai';
import { keyRedactor, redactKey } from '../../src/transport/redactKey.js';

describe('redactKey', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['Bearer rw-0123456789 rejected; rw-0123456789 again', 'rw-0123456789', 'Bearer [redacted] rejected; [redacted] again'],
    ['nothing to hide', 'rw-0123456789', 'nothing to hide'],
    ['no key given', undefined, 'no key given'],
    ['a short test key abc is left alone', 'abc', 'a short test key abc is left alone'],
    // the forms a server, a proxy or an encoder may give the key in
    ['json \\u0072\\u0077-0123456789 escaped', 'rw-0123456789', 'json [redacted] escaped'],
    ['json \\u0072w\\u002D0123456789 partly escaped', 'rw-0123456789', 'json [redacted] partly escaped'],
    ['url ?k=%72%77%2d%30%31%32%33%34%35%36%37%38%39', 'rw-0123456789', 'url ?k=[redacted]'],
    ['url ?k=rw%2D0123456789&x=1', 'rw-0123456789', 'url ?k=[redacted]&x=1'],
    ['slash ab\\/cdefgh escaped by JSON.stringify in some encoders', 'ab/cdefgh', 'slash [redacted] escaped by JSON.stringify in some encoders'],
    ['regex characters a+b.c*d(e)', 'a+b.c*d(e)', 'regex characters [redacted]'],
    // compared trimmed, as it is sent
    ['Bearer rw-0123456789', ' rw-0123456789\n', 'Bearer [redacted]'],
    // the key is case-sensitive; only hex digits of its escapes are not
    ['RW-0123456789 is another key', 'rw-0123456789', 'RW-0123456789 is another key'],
  ];
  for (const [text, key, expected] of cases) {
    it(`${JSON.stringify(text)} with key ${JSON.stringify(key)}`, () => {
      expect(redactKey(text, key)).to.equal(expected);
    });
  }

  it('keyRedactor builds one function per key that redacts every text it is given', () => {
    const redact = keyRedactor('rw-0123456789');
    expect(['a rw-0123456789', 'b %72w-0123456789', 'c'].map(redact)).to.deep.equal(['a [redacted]', 'b [redacted]', 'c']);
  });
});

describe('redactKey, other encodings', () => {
  const key = 'rw-base64-key-0123456789abcdef';
  const forms = (prefix: string): string[] => {
    const bytes = Buffer.concat([Buffer.from(prefix), Buffer.from(key), Buffer.from('!?')]);
    return [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  };
  for (const prefix of ['', 'a', 'ab']) {
    it(`catches base64, base64url and hex at a byte offset of ${prefix.length}, keeping no more than two key bytes at either end`, () => {
      for (const form of forms(prefix)) {
        const redacted = redactKey(`value=${form};`, key);
        expect(redacted, form).to.include('[redacted]');
        const kept = redacted.replace(/^value=/, '').replace(/;$/, '').split('[redacted]').join('');
        expect(kept.length, form).to.be.at.most(/^[0-9a-f]+$/i.test(form) ? 2 * (prefix.length + 2) : 8 + 4);
      }
    });
  }

  it('catches a base64 slash that JSON wrote as \\/', () => {
    const slashy = 'rw-???>>>-key-0123456789';
    const base64 = Buffer.from(slashy).toString('base64');
    expect(base64).to.include('/');
    expect(redactKey(JSON.stringify(base64).replace(/\//g, '\\/'), slashy)).to.equal('"[redacted]"');
  });

  it('catches HTML numeric entities, decimal and hex, with or without the semicolon, mixed with plain characters', () => {
    const decimal = [...key].map((char) => `&#${char.charCodeAt(0)};`).join('');
    const hex = [...key].map((char) => `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`).join('');
    const mixed = [...key].map((char, index) => (index % 2 === 0 ? `&#0${char.charCodeAt(0)}` : char)).join('');
    expect([decimal, hex, mixed].map((text) => redactKey(`<p>${text}</p>`, key))).to.deep.equal(['<p>[redacted]</p>', '<p>[redacted]</p>', '<p>[redacted]</p>']);
  });
});

describe('redactKey, JSON short escapes', () => {
  it('catches a key with a quote or a backslash as JSON writes it', () => {
    expect(redactKey(JSON.stringify({ k: 'ab"cd\\efgh' }), 'ab"cd\\efgh')).to.equal('{"k":"[redacted]"}');
  });
});
