import { expect } from 'chai';
import type { GenerationEvent } from '../../src/events/events.js';
import { readTaskReply, type GenerationItem } from '../../src/protocol/taskReply.js';
import { failure, FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { newItems, type GenerationSlot } from '../../src/watch/newItems.js';

const items = (data: ReadonlyArray<Record<string, unknown>>): ReadonlyArray<GenerationItem> => readTaskReply({ data } as never, TASK).generations;

/** A known finished generation, as reconcile keeps it, from the item a reply gave for it. */
function slotOf(item: GenerationItem, index: number): GenerationSlot {
  if (item.kind === 'processing') throw new Error('a finished item');
  const event = (item.kind === 'success'
    ? { status: 'success', taskUUID: TASK, taskType: 'videoInference', index, result: item.result }
    : { status: 'error', taskUUID: TASK, index, error: item.failure }) as GenerationEvent;
  const anonymous = item.identity === undefined;
  return { event, identity: item.identity, fingerprint: anonymous ? item.fingerprint() : undefined, resemblance: anonymous ? item.resemblance() : undefined };
}

describe('newItems', () => {
  it('leaves out a finished generation known by its identity, and keeps every processing item', () => {
    const [known] = items([success({ videoUUID: 'a' })]);
    const reply = items([success({ videoUUID: 'a' }), processing(), success({ videoUUID: 'b' })]);
    const news = newItems([slotOf(known!, 0)], reply, true);
    expect(news.map((item) => (item.kind === 'success' ? item.result['videoUUID'] : item.kind))).to.deep.equal(['processing', 'b']);
  });

  it('counts anonymous failures: only those beyond the known ones are new, whatever their words now', () => {
    const [known] = items([failure('timeoutProvider')]);
    const reply = items([failure('timeoutProvider', { message: 'reworded' }), failure('invalidPrompt')]);
    const news = newItems([slotOf(known!, 0)], reply, true);
    expect(news.map((item) => (item.kind === 'failure' ? item.failure.code : item.kind))).to.deep.equal(['invalidPrompt']);
  });

  it('in a non-cumulative body (a webhook), knows an anonymous item again only by equal content', () => {
    const [known] = items([failure('timeoutProvider')]);
    expect(newItems([slotOf(known!, 0)], items([failure('timeoutProvider')]), false)).to.have.length(0);
    expect(newItems([slotOf(known!, 0)], items([failure('invalidPrompt')]), false)).to.have.length(1);
  });
});
