import { expect } from 'chai';
import { readTaskReply, type GenerationItem } from '../../src/protocol/taskReply.js';
import { failure, FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { withoutSurplus } from '../../src/watch/withoutSurplus.js';

const items = (data: ReadonlyArray<Record<string, unknown>>): ReadonlyArray<GenerationItem> => readTaskReply({ data } as never, TASK).generations;
const kinds = (list: ReadonlyArray<GenerationItem>): string[] => list.map((item) => item.kind);

describe('withoutSurplus', () => {
  it('leaves a reply alone when numberResults is unknown or not exceeded', () => {
    const reply = items([processing(), processing(), failure('timeoutProvider')]);
    expect(withoutSurplus(reply, undefined)).to.equal(reply);
    expect(withoutSurplus(reply, 3)).to.equal(reply);
  });

  it('reads a list doubled as a whole once: two identical failures of two generations stay two', () => {
    const reply = items([failure('timeoutProvider'), failure('timeoutProvider'), failure('timeoutProvider'), failure('timeoutProvider')]);
    expect(kinds(withoutSurplus(reply, 2))).to.deep.equal(['failure', 'failure']);
  });

  it('drops a repeated finished item before a processing one, so a copy is not taken for a generation that finished', () => {
    const reply = items([success({ videoUUID: 'a' }), processing(), failure('timeoutProvider'), failure('timeoutProvider')]);
    expect(kinds(withoutSurplus(reply, 3))).to.deep.equal(['success', 'processing', 'failure']);
  });

  it('drops processing items last, when no finished item repeats', () => {
    const reply = items([processing(), processing(), processing(), success({ videoUUID: 'a' })]);
    expect(kinds(withoutSurplus(reply, 3))).to.deep.equal(['processing', 'processing', 'success']);
  });
});
