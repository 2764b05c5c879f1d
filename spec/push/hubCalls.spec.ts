import { expect } from 'chai';
import { hubCalls, type HubWork } from '../../src/push/hubCalls.js';

const TASK = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

/** A hub's work that records what reached it. */
function recording(closed = false): HubWork & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    name: 'specHub',
    isClosed: () => closed,
    publish: (key, _body, text) => (calls.push(`publish ${key} ${text}`), Promise.resolve()),
    watch: (key, subscriber) => {
      calls.push(`watch ${key}`);
      subscriber.next('kept');
      return () => calls.push(`unwatch ${key}`);
    },
  };
}

describe('hubCalls: the checks every hub shares', () => {
  it('folds task UUIDs to lower case for both calls, and passes the body with its JSON text', async () => {
    const work = recording();
    const hub = hubCalls(work);
    await hub.publish(TASK.toUpperCase(), { status: 'success' });
    const seen: unknown[] = [];
    hub.watch(TASK.toUpperCase()).subscribe((body) => seen.push(body)).unsubscribe();
    expect(work.calls).to.deep.equal([`publish ${TASK} {"status":"success"}`, `watch ${TASK}`, `unwatch ${TASK}`]);
    expect(seen).to.deep.equal(['kept']);
  });

  it('rejects (never throws) a publish of a non-UUID, of a body that is not JSON, or after close; nothing reaches the work', async () => {
    const work = recording();
    const hub = hubCalls(work);
    const refusals = await Promise.all([hub.publish('not-a-uuid', {}), hub.publish(TASK, undefined), hub.publish(TASK, () => 1)].map((published) => published.then(() => undefined, (error: unknown) => error)));
    for (const refusal of refusals) expect(refusal).to.be.instanceOf(TypeError);
    const closed = hubCalls(recording(true));
    const afterClose = await closed.publish(TASK, {}).then(() => undefined, (error: unknown) => error);
    expect(String(afterClose)).to.contain('specHub: publish after close');
    expect(work.calls).to.deep.equal([]);
  });

  it('throws a TypeError at watch for a non-UUID, and completes a watch of a closed hub at once without starting it', () => {
    expect(() => hubCalls(recording()).watch('nope')).to.throw(TypeError, 'PushHub.watch');
    const work = recording(true);
    let completed = false;
    hubCalls(work).watch(TASK).subscribe({ complete: () => (completed = true) });
    expect(completed).to.equal(true);
    expect(work.calls).to.deep.equal([]);
  });
});
