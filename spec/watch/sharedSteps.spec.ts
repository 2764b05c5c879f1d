import { expect } from 'chai';
import { catchError, NEVER, Observable, of, Subject } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createCadence, createPushSource, createRunwareClient, createSharedHub, watchTask, type Cadence, type AttemptReport, type GenerationEvent, RunwareTimeoutError, type PushSource, type ScheduledPoll, type SharedHub, type WatchOptions } from '../../src/index.js';
import { foldShared, publishPolled } from '../../src/watch/sharedSteps.js';
import { initialWatchState } from '../../src/watch/reconcile.js';
import { FIXTURE_TASK_UUID as TASK, processing, scriptedTransport as polls, success } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const OTHER = 'c1d2e3f4-0000-4000-8000-000000000002';

const successEvent = (index = 0): GenerationEvent => ({ status: 'success', taskUUID: TASK, taskType: 'videoInference', index, result: success({ videoUUID: A }) as never });
const processingEvent = (index = 0): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index });
/** What a watch publishes after a poll: the task's items of the reply. */
const shared = (...data: unknown[]): unknown => ({ sharedReply: { data, errors: [] } });

/** A scripted shared hub: its bodies, its lease, and the publications (frame and body) it received. */
function hubOf(scheduler: TestScheduler, bodies: Observable<unknown>, lease: Observable<boolean>, publish?: () => Promise<void>): SharedHub & { readonly published: Array<[number, unknown]> } {
  const published: Array<[number, unknown]> = [];
  return createSharedHub({
    published,
    watch: () => bodies,
    acquire: () => lease,
    publish: (_taskUUID: string, body: unknown) => {
      published.push([scheduler.now(), body]);
      return publish === undefined ? Promise.resolve() : publish();
    },
  });
}

// Own cadence: first poll at 10, then every 10. Safety net: first poll at 30, then every 100.
const SHARED: WatchOptions = { initialDelay: 10, interval: 10, multiplier: 1, maxInterval: 10, jitter: 0, push: { pollDelay: 30, pollInterval: 100 } };

describe('sharedSteps: a watch sharing its task with other instances through a hub and its polling lease', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('polls at its own cadence while it holds the lease (the first poll initialDelay from the start), publishes each reply that changed something, releases the lease when done', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const lease = cold('5ms a', { a: true });
      const bodies = cold('-');
      const hub = hubOf(scheduler, bodies, lease);
      const transport = polls([of({ data: [processing(), { ...processing(), taskUUID: OTHER }] }), of({ data: [success({ videoUUID: A })] })]);
      expectObservable(watchTask(TASK, { ...SHARED, sharedHub: hub, transport, scheduler })).toBe('10ms a 9ms (s|)', { a: processingEvent(), s: successEvent() });
      expectSubscriptions(lease.subscriptions).toBe('^ 19ms !');
      expectSubscriptions(bodies.subscriptions).toBe('^ 19ms !');
      flush();
      // only the task's own items go to the hub, with when their poll and the one answered before went out
      expect(hub.published).to.deep.equal([
        [10, { ...(shared(processing()) as object), polledAt: 10 }],
        [20, { ...(shared(success({ videoUUID: A })) as object), polledAt: 20, previousPollAt: 10 }],
      ]);
    });
  });

  it('does not poll at all while another instance holds the lease, and reaches the same events from its polled replies', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const schedule: string[] = [];
      const onSchedule = (next: ScheduledPoll): void => void schedule.push(`${next.reason} ${next.delay}`);
      const lease = cold('a', { a: false });
      // The holder's replies: two anonymous processing generations, then both finished, long after the
      // safety net would have polled (30, then every 100).
      const bodies = cold('15ms a 484ms b', { a: shared(processing(), processing()), b: shared(success({ videoUUID: A }), success({ videoUUID: OTHER })) });
      const transport = polls([NEVER]);
      const watch = watchTask(TASK, { ...SHARED, numberResults: 2, onSchedule, sharedHub: hubOf(scheduler, bodies, lease), transport, scheduler });
      const otherSuccess: GenerationEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 1, result: success({ videoUUID: OTHER }) as never };
      expectObservable(watch).toBe('15ms (ab) 481ms (cd|)', { a: processingEvent(0), b: processingEvent(1), c: successEvent(0), d: otherSuccess });
      expectSubscriptions(lease.subscriptions).toBe('^ 499ms !');
      flush();
      expect(transport.requests).to.have.length(0);
      // the first wait, before the lease answered, then no poll before the deadline (the default 20 min)
      expect(schedule).to.deep.equal(['initial 30', 'following 1200000']);
    });
  });

  it('a follower that gets the lease before its first poll polls at once when its initialDelay has passed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const reasons: string[] = [];
      const onAttempt = (attempt: AttemptReport): void => void reasons.push(`${attempt.reason} ${attempt.delay}`);
      const transport = polls([of({ data: [processing()] }), of({ data: [success({ videoUUID: A })] })]);
      const hub = hubOf(scheduler, cold('-'), cold('a 49ms b', { a: false, b: true }));
      expectObservable(watchTask(TASK, { ...SHARED, onAttempt, sharedHub: hub, transport, scheduler })).toBe('50ms a 9ms (s|)', { a: processingEvent(), s: successEvent() });
      scheduler.flush();
      expect(reasons).to.deep.equal(['initial 0', 'backoff 10']);
    });
  });

  it('a follower whose holder never finishes ends at its own deadline with a RunwareTimeoutError, having sent nothing', () => {
    scheduler.run(({ cold, expectObservable, flush }) => {
      const transport = polls([NEVER]);
      const watch = watchTask(TASK, { ...SHARED, timeout: 300, sharedHub: hubOf(scheduler, cold('-'), cold('a', { a: false })), transport, scheduler });
      expectObservable(watch.pipe(catchError((error: unknown) => of(error instanceof RunwareTimeoutError ? 'timeout' : error)))).toBe('300ms (t|)', { t: 'timeout' });
      flush();
      expect(transport.requests).to.have.length(0);
    });
  });

  it('polls as the safety net until the lease answers (push.pollDelay, then push.pollInterval), and takes webhooks from the hub', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const reasons: string[] = [];
      const onAttempt = (attempt: AttemptReport): void => void reasons.push(`${attempt.reason} ${attempt.delay}`);
      const transport = polls([of({ data: [processing(), processing()] }), of({ data: [processing(), processing()] })]);
      const webhook = success({ videoUUID: A }); // a flat webhook body: one generation
      const watch = watchTask(TASK, { ...SHARED, numberResults: 2, onAttempt, sharedHub: hubOf(scheduler, cold('140ms a', { a: webhook }), cold('-')), transport, scheduler });
      expectObservable(watch, '^ 144ms !').toBe('30ms (ab) 106ms c', { a: processingEvent(0), b: processingEvent(1), c: successEvent(0) });
      scheduler.flush();
      expect(reasons).to.deep.equal(['initial 30', 'safety-net 100']);
    });
  });

  it('takes over when the lease comes back to it: the follower\'s wait is replaced by a poll at once, then its own cadence', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const reasons: string[] = [];
      const onAttempt = (attempt: AttemptReport): void => void reasons.push(`${attempt.reason} ${attempt.delay}`);
      const lease = cold('a 14ms b 34ms c', { a: true, b: false, c: true });
      const transport = polls([of({ data: [processing()] }), of({ data: [processing()] }), of({ data: [success({ videoUUID: A })] })]);
      const hub = hubOf(scheduler, cold('-'), lease);
      expectObservable(watchTask(TASK, { ...SHARED, onAttempt, sharedHub: hub, transport, scheduler })).toBe('10ms a 49ms (s|)', { a: processingEvent(), s: successEvent() });
      expectSubscriptions(lease.subscriptions).toBe('^ 59ms !');
      flush();
      expect(reasons).to.deep.equal(['initial 10', 'takeover 0', 'backoff 10']);
      // the reply at 50 says nothing new (processing again): not published
      expect(hub.published.map(([frame]) => frame)).to.deep.equal([10, 60]);
    });
  });

  it('stops polling when the lease goes to another instance, and finishes from the hub', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const reasons: string[] = [];
      const onAttempt = (attempt: AttemptReport): void => void reasons.push(`${attempt.reason} ${attempt.delay}`);
      const transport = polls([of({ data: [processing()] }), of({ data: [success({ videoUUID: A })] })]);
      const hub = hubOf(scheduler, cold('200ms a', { a: shared(success({ videoUUID: A })) }), cold('a 14ms b', { a: true, b: false }));
      expectObservable(watchTask(TASK, { ...SHARED, onAttempt, sharedHub: hub, transport, scheduler })).toBe('10ms a 189ms (s|)', { a: processingEvent(), s: successEvent() });
      scheduler.flush();
      expect(reasons).to.deep.equal(['initial 10']);
      expect(transport.requests).to.have.length(1);
    });
  });

  it('lets a poll in flight finish when the lease changes, and waits after it by the new answer', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('20ms (r|)', { r: { data: [processing()] } });
      const transport = polls([first, of({ data: [success({ videoUUID: A })] })]);
      const hub = hubOf(scheduler, cold('130ms a', { a: success({ videoUUID: A }) }), cold('a 14ms b', { a: true, b: false }));
      expectObservable(watchTask(TASK, { ...SHARED, sharedHub: hub, transport, scheduler })).toBe('30ms a 99ms (s|)', { a: processingEvent(), s: successEvent() });
      expectSubscriptions(first.subscriptions).toBe('10ms ^ 19ms !');
      scheduler.flush();
      expect(transport.requests).to.have.length(1);
    });
  });

  it('polls on its own when the lease errors (the hub cannot be asked), and rides out a hub that refuses publications', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const transport = polls([of({ data: [success({ videoUUID: A })] })]);
      const hub = hubOf(scheduler, cold('-'), cold('5ms #'), () => Promise.reject(new Error('Redis is away')));
      expectObservable(watchTask(TASK, { ...SHARED, sharedHub: hub, transport, scheduler })).toBe('10ms (s|)', { s: successEvent() });
    });
  });

  it('unsubscribing releases the lease and ends the hub subscription and the poll in flight', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const lease = cold('a', { a: true });
      const bodies = cold('-');
      const first = cold('100ms (r|)', { r: { data: [success({ videoUUID: A })] } });
      expectObservable(watchTask(TASK, { ...SHARED, sharedHub: hubOf(scheduler, bodies, lease), transport: polls([first]), scheduler }), '^ 44ms !').toBe('');
      expectSubscriptions(lease.subscriptions).toBe('^ 44ms !');
      expectSubscriptions(bodies.subscriptions).toBe('^ 44ms !');
      expectSubscriptions(first.subscriptions).toBe('10ms ^ 34ms !');
    });
  });

  it('with push too, reads the hub (which carries the webhooks) and not the push source, and refuses a receiver of another hub', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pushed = cold('-');
      const push: PushSource = createPushSource({ urlFor: (taskUUID) => `https://app.example.com/hook?task=${taskUUID}`, watch: () => pushed });
      const hub = hubOf(scheduler, cold('5ms a', { a: success({ videoUUID: A }) }), cold('a', { a: true }));
      expectObservable(watchTask(TASK, { ...SHARED, push, sharedHub: hub, transport: polls([NEVER]), scheduler })).toBe('5ms (s|)', { s: successEvent() });
      expectSubscriptions(pushed.subscriptions).toBe([]);
      const receiverOfAnotherHub = Object.assign({}, push, { pushHub: { watch: () => NEVER } });
      expect(() => watchTask(TASK, { sharedHub: hub, push: receiverOfAnotherHub })).to.throw(TypeError, /another hub/);
      expect(() => watchTask(TASK, { sharedHub: { watch: () => NEVER } as unknown as SharedHub })).to.throw(TypeError, /option sharedHub/);
    });
  });

  it('takes a hub of your own through createSharedHub, which carries the part: a bare { watch, publish, acquire } is refused by name; the copy keeps its other members', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const own = { watch: () => cold('5ms a', { a: success({ videoUUID: A }) }), publish: () => Promise.resolve(), acquire: () => cold('a', { a: false }), close: () => Promise.resolve() };
      expect(() => watchTask(TASK, { sharedHub: own as unknown as SharedHub })).to.throw(TypeError, /createSharedHub\(\{ watch, publish, acquire \}\)/);
      const hub = createSharedHub(own);
      expect(() => createSharedHub({ ...own, acquire: undefined } as unknown as SharedHub)).to.throw(TypeError, 'createSharedHub: watch, publish, acquire must be functions');
      expect([Object.getOwnPropertySymbols(own), hub.close]).to.deep.equal([[], own.close]);
      expectObservable(watchTask(TASK, { ...SHARED, sharedHub: hub, transport: polls([NEVER]), scheduler })).toBe('5ms (s|)', { s: successEvent() });
    });
  });

  it('createRunwareClient({ sharedHub }) shares every watch of the client through the hub', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const asked: string[] = [];
      const hub = hubOf(scheduler, cold('-'), cold('a', { a: true }));
      const client = createRunwareClient({ ...SHARED, sharedHub: { ...hub, acquire: (taskUUID) => (asked.push(taskUUID), hub.acquire(taskUUID)) }, transport: polls([of({ data: [success({ videoUUID: A })] })]), scheduler });
      expectObservable(client.watchTask(TASK)).toBe('10ms (s|)', { s: successEvent() });
      scheduler.flush();
      expect(asked).to.deep.equal([TASK]);
      expect(hub.published).to.have.length(1);
    });
  });

  it('a follower learns a reply the holder polled and relayed as the holder does: between the holder\'s previous poll and this one', () => {
    const learned = (store: Cadence, taught: Array<[number, number]>): Cadence => ({ ...store, observe: (key, from, to, startedAt) => (taught.push([from, to]), store.observe(key, from, to, startedAt)) });
    const holderTaught: Array<[number, number]> = [];
    const followerTaught: Array<[number, number]> = [];
    scheduler.run(({ expectObservable }) => {
      // One hub for both instances: what one publishes, every watch of the task reads.
      const relayed = new Subject<unknown>();
      const hubFor = (holding: boolean): SharedHub => createSharedHub({ watch: () => relayed, publish: (_taskUUID, body) => (relayed.next(body), Promise.resolve()), acquire: () => of(holding) });
      const transport = polls([of({ data: [processing()] }), of({ data: [success({ videoUUID: A })] })]);
      const follower = watchTask(TASK, { ...SHARED, sharedHub: hubFor(false), transport: polls([NEVER]), scheduler, cadence: { store: learned(createCadence(), followerTaught), key: 'k' } });
      const holder = watchTask(TASK, { ...SHARED, sharedHub: hubFor(true), transport, scheduler, cadence: { store: learned(createCadence(), holderTaught), key: 'k' } });
      expectObservable(follower).toBe('10ms a 9ms (s|)', { a: processingEvent(), s: successEvent() });
      expectObservable(holder).toBe('10ms a 9ms (s|)', { a: processingEvent(), s: successEvent() });
    });
    // The holder polled at 10 (processing) and at 20 (finished): the video finished in between, for both.
    expect(holderTaught).to.deep.equal([[10, 20]]);
    expect(followerTaught).to.deep.equal([[10, 20]]);
  });

  it('foldShared folds another instance\'s polled reply as a poll and a webhook body as a push; publishPolled skips a reply with nothing of the task', () => {
    const state = initialWatchState(TASK);
    expect(foldShared(state, shared(processing(), processing()), undefined)?.events).to.deep.equal([processingEvent(0), processingEvent(1)]);
    expect(foldShared(state, success({ videoUUID: A }), 1)?.events).to.deep.equal([successEvent()]);
    expect(foldShared(state, { sharedReply: { data: 'no' } }, 1)).to.equal(undefined);
    const published: unknown[] = [];
    const hub: SharedHub = createSharedHub({ watch: () => NEVER, acquire: () => NEVER, publish: (_task, body) => (published.push(body), Promise.resolve()) });
    publishPolled(hub, TASK, { data: [{ ...processing(), taskUUID: OTHER }] });
    publishPolled({ ...hub, publish: () => { throw new Error('sync'); } }, TASK, { data: [processing()] });
    expect(published).to.deep.equal([]);
  });
});
