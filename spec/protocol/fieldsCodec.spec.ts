import { expect } from 'chai';
import * as t from 'io-ts';
import { describeIssues } from '../../src/protocol/describeIssues.js';
import { fieldsCodec } from '../../src/protocol/fieldsCodec.js';

/** The failure lines of `value` under `codec`, or `[]` when it decodes. */
function issuesOf(codec: t.Decoder<unknown, unknown>, value: unknown, root = 'item'): string[] {
  const result = codec.decode(value);
  return result._tag === 'Left' ? describeIssues(result.left, root) : [];
}

describe('fieldsCodec', () => {
  const Part = t.partial({ uuid: t.string }, 'Part');
  const Item = fieldsCodec('Item', { taskUUID: t.string }, { status: t.string, cost: t.number, done: t.boolean, part: Part, list: t.array(t.string) });
  /** What the codec replaces: the same fields as an intersection of `t.type` and `t.partial`. */
  const Intersection = t.intersection([t.type(Item.required), t.partial(Item.optional)], 'Item');

  describe('accepts', () => {
    const accepted: Array<[string, Record<string, unknown>]> = [
      ['the required field alone', { taskUUID: 'u' }],
      ['every field', { taskUUID: 'u', status: 'success', cost: 0.1, done: true, part: { uuid: 'p' }, list: ['a'] }],
      ['unknown fields, kept as sent', { taskUUID: 'u', queuePosition: 4, extra: { nested: [null, 1] } }],
      ['an optional field set to undefined', { taskUUID: 'u', status: undefined }],
    ];
    for (const [name, value] of accepted) {
      it(`${name}: the decoded item is the same object, no key added`, () => {
        const keys = Object.keys(value);
        const decoded = Item.decode(value);
        expect(decoded._tag).to.equal('Right');
        expect(decoded._tag === 'Right' ? decoded.right : undefined).to.equal(value);
        expect(Object.keys(value)).to.deep.equal(keys);
        expect(Item.is(value)).to.equal(true);
      });
    }
  });

  describe('refuses, with the exact failure lines', () => {
    const refused: Array<[string, unknown, string[]]> = [
      ['a missing required field', { status: 'processing' }, ['taskUUID: expected string, got undefined']],
      ['a required field set to undefined', { taskUUID: undefined }, ['taskUUID: expected string, got undefined']],
      ['a required field of the wrong type', { taskUUID: 42 }, ['taskUUID: expected string, got 42']],
      ['an optional field of the wrong type', { taskUUID: 'u', cost: '0.1' }, ['cost: expected number, got "0.1"']],
      ['a nested field of the wrong type', { taskUUID: 'u', part: { uuid: 7 } }, ['part.uuid: expected string, got 7']],
      ['a list entry of the wrong type', { taskUUID: 'u', list: ['a', 3] }, ['list.1: expected string, got 3']],
      ['a null optional field (null is not absent here)', { taskUUID: 'u', done: null }, ['done: expected boolean, got null']],
      ['required first, then optional, in the order given', { list: 5, status: 3, taskUUID: 1 }, ['taskUUID: expected string, got 1', 'status: expected string, got 3', 'list: expected Array<string>, got 5']],
      ['a missing required field before the wrong optional ones', { cost: 'x', status: 3 }, ['taskUUID: expected string, got undefined', 'status: expected string, got 3', 'cost: expected number, got "x"']],
    ];
    for (const [name, value, lines] of refused) {
      it(name, () => {
        expect(issuesOf(Item, value)).to.deep.equal(lines);
        expect(Item.is(value)).to.equal(false);
      });
      it(`${name}: as t.intersection([t.type, t.partial]) reports it`, () => {
        expect(issuesOf(Item, value)).to.deep.equal(issuesOf(Intersection, value));
        expect(Item.is(value)).to.equal(Intersection.is(value));
      });
    }

    for (const value of [5, null, 'item', [{ taskUUID: 'u' }]]) {
      it(`a value that is not an object (${JSON.stringify(value)}), once, as the codec`, () => {
        expect(issuesOf(Item, value)).to.deep.equal([`item: expected Item, got ${JSON.stringify(value)}`]);
        expect(Item.is(value)).to.equal(false);
      });
    }
  });

  it('gives its fields, as given, to code that derives from it', () => {
    expect(Item.required).to.deep.equal({ taskUUID: t.string });
    expect(Object.keys(Item.optional)).to.deep.equal(['status', 'cost', 'done', 'part', 'list']);
    expect(Item.name).to.equal('Item');
  });

  it('encodes a value as it is when its fields do', () => {
    const value = { taskUUID: 'u', status: 'processing' };
    expect(Item.encode(value)).to.equal(value);
  });
});
