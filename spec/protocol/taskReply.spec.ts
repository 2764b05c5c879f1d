import { expect } from 'chai';
import { decodeReply } from '../../src/protocol/decodeReply.js';
import { fingerprint, readTaskReply } from '../../src/protocol/taskReply.js';
import { embeddedFailure, failure, FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';

const OTHER_TASK = '019c42a0-c3ff-7138-be83-ee257abc5331';

describe('readTaskReply', () => {
  const read = (reply: Record<string, unknown>) => readTaskReply(reply as never, TASK);

  it('lists generations in reply order, data[] before errors[]', () => {
    const reply = read({ data: [processing(), success({ videoUUID: 'v1' })], errors: [failure('timeoutProvider')] });
    expect(reply.generations.map((g) => g.kind)).to.deep.equal(['processing', 'success', 'failure']);
    expect(reply.requestErrors).to.deep.equal([]);
  });

  it('names a success by its media UUID and keeps the whole wire item', () => {
    const [generation] = read({ data: [success({ videoUUID: 'v1', seed: 7, NSFWContent: false })] }).generations;
    expect(generation).to.include({ kind: 'success', identity: 'videoUUID:v1' });
    expect(generation?.kind === 'success' && generation.result).to.deep.equal(success({ videoUUID: 'v1', seed: 7, NSFWContent: false }));
  });

  it('flattens the embedded failure shape', () => {
    const [generation] = read({ data: [embeddedFailure('safety')] }).generations;
    expect(generation?.kind).to.equal('failure');
    expect(generation?.kind === 'failure' && generation.failure).to.include({ code: 'safety', message: 'Simulated failure: safety.', taskUUID: TASK });
  });

  it('ignores items and errors of other tasks', () => {
    const reply = read({ data: [processing({ taskUUID: OTHER_TASK })], errors: [failure('timeoutProvider', { taskUUID: OTHER_TASK })] });
    expect(reply).to.deep.equal({ generations: [], requestErrors: [] });
  });

  it('drops a duplicate of the same success within one reply', () => {
    expect(read({ data: [success({ videoUUID: 'v1' }), success({ videoUUID: 'v1' })] }).generations).to.have.length(1);
  });

  it('counts any status other than success and error as still processing', () => {
    const statuses = ['processing', 'pending', 'queued', 'somethingNew'];
    const reply = read({ data: statuses.map((status) => processing({ status })) });
    expect(reply.generations.map((g) => g.kind)).to.deep.equal(['processing', 'processing', 'processing', 'processing']);
  });

  it('reads an item without status as a success when it carries an output, else (an id and progress) as processing', () => {
    const reply = read(
      { data: [
        { taskUUID: TASK, taskType: 'imageInference', imageUUID: 'i1', imageURL: 'u' },
        { taskUUID: TASK, taskType: 'imageInference' },
        { taskUUID: TASK, imageUUID: 'i2', progress: 40 },
      ] },
    );
    expect(reply.generations.map((g) => g.kind)).to.deep.equal(['success', 'processing', 'processing']);
  });

  describe('tells request-level errors from failed generations', () => {
    const cases: Array<[string, Record<string, unknown>, 'request' | 'generation']> = [
      ['no taskUUID (invalidApiKey)', { code: 'invalidApiKey', message: 'Invalid API key', taskType: 'authentication' }, 'request'],
      ['a validation error about the poll itself (parameter taskUUID)', { code: 'invalidTaskUUID', message: 'x', parameter: 'taskUUID', taskUUID: TASK }, 'request'],
      ['a server-side code without taskUUID', { code: 'serverError', message: 'x' }, 'request'],
      ['a failure naming a parameter of the task, on a poll', { code: 'invalidWidth', message: 'x', parameter: ['width', 'height'], taskUUID: TASK }, 'generation'],
      ['a failure without code', { message: 'x', taskUUID: TASK, status: 'error' }, 'generation'],
      ['taskNotFound for this task', { code: 'taskNotFound', message: 'x', taskUUID: TASK }, 'request'],
      ['a getResponse-tagged failure (the response taskType echoes the request)', { code: 'anything', message: 'x', taskUUID: TASK, taskType: 'getResponse' }, 'generation'],
      ['status "error" (documented generation failure)', failure('timeoutProvider'), 'generation'],
      ['a failure without status (SDK mock F8)', { code: 'timeoutProvider', message: 'Provider timed out', taskUUID: TASK }, 'generation'],
    ];
    for (const [name, item, expected] of cases) {
      it(name, () => {
        const reply = read(decodeReply({ data: [], errors: [item] }) as never);
        expect(reply.requestErrors.length === 1 ? 'request' : 'generation').to.equal(expected);
        expect(reply.generations.length + reply.requestErrors.length).to.equal(1);
      });
    }
  });
});

describe('fingerprint', () => {
  it('is the same for the same content whatever the key order, at every depth', () => {
    const a = { code: 'timeoutProvider', message: 'late', nested: { z: 1, a: [2, { y: 'b', x: null }] }, ok: true };
    const b = { ok: true, nested: { a: [2, { x: null, y: 'b' }], z: 1 }, message: 'late', code: 'timeoutProvider' };
    expect(fingerprint(a)).to.equal(fingerprint(b));
    expect(fingerprint(a, true)).to.equal(fingerprint(b, true));
  });

  it('tells apart every difference of content, and what merely looks alike', () => {
    const base = { code: 'x', n: 1, list: ['a', 'b'] };
    const others: unknown[] = [
      { code: 'y', n: 1, list: ['a', 'b'] },
      { code: 'x', n: 2, list: ['a', 'b'] },
      { code: 'x', n: '1', list: ['a', 'b'] },
      { code: 'x', n: 1, list: ['b', 'a'] },
      { code: 'x', n: 1, list: ['a,b'] },
      { code: 'x', n: 1, list: ['a', 'b'], extra: null },
      { 'code":"x","n':1, list: ['a', 'b'] },
      { code: 'x', n: 1, list: ['a', 'b'], 'list1:': 'x' },
      { code: 'x', n: 1, list: [['a', 'b']] },
      { code: 'x', n: 1, list: ['a', 'b', ''] },
    ];
    for (const other of others) expect(fingerprint(other), JSON.stringify(other)).not.to.equal(fingerprint(base));
  });

  it('leaves out a key whose value is undefined, as JSON does, and keeps null apart from absent', () => {
    expect(fingerprint({ a: 1, b: undefined })).to.equal(fingerprint({ a: 1 }));
    expect(fingerprint({ a: 1, b: null })).not.to.equal(fingerprint({ a: 1 }));
    expect(fingerprint([1, undefined])).to.equal(fingerprint([1, null]));
    expect(fingerprint({ a: '1' })).not.to.equal(fingerprint({ a: 1 }));
    expect(fingerprint({ a: 'true' })).not.to.equal(fingerprint({ a: true }));
    expect(fingerprint({ a: 's1:x' })).not.to.equal(fingerprint({ a: 'x' }));
  });

  it('loose: leaves out messages and URL query strings (re-signed or reworded items), nothing else', () => {
    const first = { code: 'x', message: 'first wording', url: 'https://cdn.test/v.mp4?sig=1', list: ['http://a.test/x?y=1'] };
    const later = { code: 'x', message: 'second wording', url: 'https://cdn.test/v.mp4?sig=2', list: ['http://a.test/x?y=2'] };
    expect(fingerprint(first, true)).to.equal(fingerprint(later, true));
    expect(fingerprint(first)).not.to.equal(fingerprint(later));
    expect(fingerprint({ ...first, code: 'y' }, true)).not.to.equal(fingerprint(first, true));
    expect(fingerprint({ ...first, url: 'https://cdn.test/w.mp4?sig=1' }, true)).not.to.equal(fingerprint(first, true));
  });
});
