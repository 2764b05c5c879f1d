import { expect } from 'chai';
import * as t from 'io-ts';
import { DataItem, Envelope, ErrorItem, ErrorParameter, NestedError } from '../../src/protocol/codecs.js';
import { describeIssues } from '../../src/protocol/describeIssues.js';

/** The failure lines of `value` under `codec`, or `[]` when it decodes. */
function issuesOf(codec: t.Decoder<unknown, unknown>, value: unknown): string[] {
  const result = codec.decode(value);
  return result._tag === 'Left' ? describeIssues(result.left, 'item') : [];
}

/** The reply codecs as they were written before (`t.union`, `t.intersection`): what the codecs must keep accepting, refusing and saying. */
const Before = (() => {
  const parameter = t.union([t.string, t.array(t.string)], 'ErrorParameter');
  const nestedError = t.intersection([t.type(NestedError.required), t.partial({ ...NestedError.optional, parameter })], 'NestedError');
  const errorItem = t.intersection([t.type(ErrorItem.required), t.partial({ ...ErrorItem.optional, parameter })], 'ErrorItem');
  const dataItem = t.intersection([t.type(DataItem.required), t.partial({ ...DataItem.optional, error: nestedError })], 'DataItem');
  const envelope = t.partial({ data: t.array(dataItem), errors: t.array(errorItem) }, 'Envelope');
  return { parameter, errorItem, dataItem, envelope };
})();

describe('codecs', () => {
  describe('ErrorParameter: one field or several, as the union of the two did', () => {
    const values: unknown[] = ['width', ['width', 'height'], [], 5, ['width', 5], null, undefined, {}, [null]];
    for (const value of values) {
      it(`${JSON.stringify(value) ?? 'undefined'}`, () => {
        expect(ErrorParameter.is(value)).to.equal(Before.parameter.is(value));
        expect(issuesOf(ErrorParameter, value)).to.deep.equal(issuesOf(Before.parameter, value));
        const decoded = ErrorParameter.decode(value);
        if (decoded._tag === 'Right') expect(decoded.right).to.equal(value);
      });
    }
  });

  // Items as decodeReply gives them to the codecs: objects, nulls already dropped, a nested error made an error item.
  const dataItems: Array<[string, Record<string, unknown>]> = [
    ['a processing generation', { taskUUID: 'u', taskType: 'videoInference', status: 'processing', progress: 40 }],
    ['a finished one, with unknown fields', { taskUUID: 'u', status: 'success', videoURL: 'https://v', cost: 0.1, seed: 3, NSFWContent: false, queue: { at: 1 } }],
    ['an embedded failure', { taskUUID: 'u', status: 'error', error: { code: 'x', message: 'm', parameter: ['a', 'b'] } }],
    ['outputs and detections', { taskUUID: 'u', outputs: { files: [{ uuid: 'f', url: 'https://f' }] }, detections: [{ box: [1] }], usage: {} }],
    ['a taskUUID of the wrong type', { taskUUID: 42 }],
    ['a numeric status and a string cost', { taskUUID: 'u', status: 3, cost: '0.1' }],
    ['a wrong media field and a wrong file', { taskUUID: 'u', imageURL: 1, outputs: { files: [{ url: 2 }] } }],
    ['a wrong nested error', { taskUUID: 'u', error: { code: 5, parameter: [1], documentation: 2 } }],
    ['wrong lists', { taskUUID: 7, detections: [1], outputs: { files: 'f' }, structuredData: [] }],
    ['six wrong fields (five lines at most)', { taskUUID: 1, taskType: 2, status: 3, progress: 'a', resultIndex: 'b', text: 6 }],
  ];
  const errorItems: Array<[string, Record<string, unknown>]> = [
    ['a request error', { code: 'invalidWidth', message: 'm', parameter: 'width', min: 256 }],
    ['a failed generation moved out of data', { code: 'x', taskUUID: 'u', status: 'error', resultIndex: 1 }],
    ['no code', { message: 'm' }],
    ['wrong fields', { code: 1, parameter: ['a', 2], resultIndex: '0', documentation: false }],
  ];

  describe('DataItem and ErrorItem: what they accept and refuse, and the lines, as before', () => {
    for (const [codec, before, items] of [
      [DataItem, Before.dataItem, dataItems],
      [ErrorItem, Before.errorItem, errorItems],
    ] as const) {
      for (const [name, item] of items) {
        it(`${codec.name}: ${name}`, () => {
          expect(codec.is(item)).to.equal(before.is(item));
          expect(issuesOf(codec, item)).to.deep.equal(issuesOf(before, item));
          const decoded = codec.decode(item);
          if (decoded._tag === 'Right') expect(decoded.right).to.equal(item);
        });
      }
    }
  });

  it('Envelope: the same lines as before for a reply with wrong items in both lists', () => {
    const body = { data: dataItems.map(([, item]) => item), errors: errorItems.map(([, item]) => item) };
    const lines = issuesOf(Envelope, body);
    expect(lines).to.have.length(5);
    expect(lines).to.deep.equal(issuesOf(Before.envelope, body));
  });

  it('Envelope: a valid reply decodes to itself, no copy', () => {
    const body = { data: dataItems.slice(0, 4).map(([, item]) => item), errors: errorItems.slice(0, 2).map(([, item]) => item) };
    const decoded = Envelope.decode(body);
    expect(decoded._tag === 'Right' ? decoded.right : undefined).to.equal(body);
    expect(decoded._tag === 'Right' ? decoded.right.data?.[2] : undefined).to.equal(body.data[2]);
  });
});
