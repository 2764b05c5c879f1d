import { expect } from 'chai';
import { map, NEVER, Observable, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createCadence, createPushSource, watchTask, type AttemptReport, type Cadence, type GenerationEvent, type PushOption, type PushSource, type ScheduledPoll, type Transport, type WatchOptions } from '../../src/index.js';
import { foldPushed } from '../../src/watch/foldReply.js';
import { safetyNetGap } from '../../src/watch/plan.js';
import { resolveWatchSettings } from '../../src/watch/settings.js';
import { initialWatchState } from '../../src/watch/reconcile.js';
import { failure, FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const B = 'c1d2e3f4-0000-4000-8000-000000000002';

const successEvent = (videoUUID: string, index = 0): GenerationEvent => ({ status: 'success', taskUUID: TASK, taskType: 'videoInference', index, result: success({ videoUUID }) as never });
const processingEvent = (index = 0): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index });

/** Polls answered in turn by `replies` (the last one repeated), counted. */
function polls(replies: ReadonlyArray<Observable<unknown>>): Transport & { readonly sent: () => number } {
  let sent = 0;
  const transport = (): Observable<unknown> => replies[Math.min(sent++, replies.length - 1)] ?? NEVER;
  return Object.assign(transport, { sent: () => sent });
}

/** A push source whose only task's bodies are `pushed`. */
function sourceOf(pushed: Observable<unknown>): PushSource {
  return createPushSource({ urlFor: (taskUUID) => `http://127.0.0.1:1/webhook?task=${taskUUID}`, watch: () => pushed });
}

// Safety net: first poll at 30, then every 100 (without push the first poll would go out at 0, then every 10).
const NET = { pollDelay: 30, pollInterval: 100 };
const PUSHED: WatchOptions = { initialDelay: 0, interval: 10, multiplier: 1, maxInterval: 10, jitter: 0 };

/** The `push` option: the source of `pushed`, with the safety net `net`. */
function pushOf(pushed: Observable<unknown>, net: Omit<PushOption, 'source'> = NET): PushOption {
  return { source: sourceOf(pushed), ...net };
}

describe('pushSteps: push merged into the watch schedule', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('takes a push that lands before the first poll: the watch completes, the poll timer and the push subscription end with it', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const pushed = cold('5ms a', { a: success({ videoUUID: A }) });
      const transport = polls([of({ data: [success({ videoUUID: A })] })]);
      expectObservable(watchTask(TASK, { ...PUSHED, push: pushOf(pushed), transport, scheduler })).toBe('5ms (s|)', { s: successEvent(A) });
      expectSubscriptions(pushed.subscriptions).toBe('^ 4ms !');
      flush();
      expect(transport.sent()).to.equal(0);
    });
  });

  it('reads two identical text webhooks as one delivery retried, and the next safety-net poll counts both generations', () => {
    // A webhook body is one flat generation (Runware's skills: integrate-with-runware); a text result has no
    // id, so a retry and a second identical generation look alike: only the cumulative poll tells them apart.
    scheduler.run(({ cold, expectObservable, flush }) => {
      const text = { taskType: 'promptEnhance', taskUUID: TASK, status: 'success', text: 'a fox in snow' };
      const pushed = cold('5ms a 4ms a', { a: text });
      const transport = polls([of({ data: [text, text] })]);
      const event = (index: number): GenerationEvent => ({ status: 'success', taskUUID: TASK, taskType: 'promptEnhance', index, result: text as never });
      expectObservable(watchTask(TASK, { ...PUSHED, numberResults: 2, push: pushOf(pushed), transport, scheduler })).toBe('5ms a 24ms (b|)', { a: event(0), b: event(1) });
      flush();
      expect(transport.sent()).to.equal(1);
    });
  });

  it('takes a body the push source replays at subscription (a webhook that came before the watch)', () => {
    scheduler.run(({ cold, expectObservable, flush }) => {
      const transport = polls([of({ data: [success({ videoUUID: A })] })]);
      expectObservable(watchTask(TASK, { ...PUSHED, push: pushOf(cold('a', { a: success({ videoUUID: A }) })), transport, scheduler })).toBe('(s|)', { s: successEvent(A) });
      flush();
      expect(transport.sent()).to.equal(0);
    });
  });

  it('polls sparsely while no push comes: pushPollDelay, then pushPollInterval; a lost push costs lag, not the result', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const pushed = cold('-');
      const reasons: string[] = [];
      const onAttempt = (attempt: AttemptReport): void => void reasons.push(`${attempt.reason} ${attempt.delay}`);
      const transport = polls([of({ data: [processing()] }), of({ data: [success({ videoUUID: A })] })]);
      expectObservable(watchTask(TASK, { ...PUSHED, onAttempt, push: pushOf(pushed), transport, scheduler })).toBe('30ms a 99ms (s|)', { a: processingEvent(), s: successEvent(A) });
      expectSubscriptions(pushed.subscriptions).toBe('^ 129ms !');
      flush();
      expect(reasons).to.deep.equal(['initial 30', 'safety-net 100']);
    });
  });

  it('completes on the push that finishes the last generation and cancels the pending safety-net poll', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const pushed = cold('50ms a 19ms b', { a: success({ videoUUID: A }), b: success({ videoUUID: B }) });
      const transport = polls([of({ data: [processing(), processing()] }), of({ data: [success({ videoUUID: A }), success({ videoUUID: B })] })]);
      const watch = watchTask(TASK, { ...PUSHED, numberResults: 2, push: pushOf(pushed), transport, scheduler });
      expectObservable(watch).toBe('30ms (ab) 16ms c 19ms (d|)', { a: processingEvent(0), b: processingEvent(1), c: successEvent(A, 0), d: successEvent(B, 1) });
      expectSubscriptions(pushed.subscriptions).toBe('^ 69ms !');
      flush();
      expect(transport.sent()).to.equal(1);
    });
  });

  it('folds a push that lands while a poll is in flight first, and the poll reply into the state after it: no duplicate event', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pushed = cold('40ms a', { a: success({ videoUUID: A }) });
      const first = cold('20ms (r|)', { r: { data: [success({ videoUUID: A }), processing()] } });
      const transport = polls([first, of({ data: [success({ videoUUID: A }), success({ videoUUID: B })] })]);
      const watch = watchTask(TASK, { ...PUSHED, numberResults: 2, push: pushOf(pushed), transport, scheduler });
      // 40: the push (A); 50: the reply adds only the processing generation; 150: the safety-net poll, B.
      expectObservable(watch).toBe('40ms a 9ms b 99ms (c|)', { a: successEvent(A, 0), b: processingEvent(1), c: successEvent(B, 1) });
      expectSubscriptions(first.subscriptions).toBe('30ms ^ 19ms !');
    });
  });

  it('cancels the poll in flight when a push settles the task', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pushed = cold('40ms a', { a: success({ videoUUID: A }) });
      const first = cold('20ms (r|)', { r: { data: [success({ videoUUID: A })] } });
      expectObservable(watchTask(TASK, { ...PUSHED, push: pushOf(pushed), transport: polls([first]), scheduler })).toBe('40ms (s|)', { s: successEvent(A) });
      expectSubscriptions(first.subscriptions).toBe('30ms ^ 9ms !');
      expectSubscriptions(pushed.subscriptions).toBe('^ 39ms !');
    });
  });

  it('makes no event of a duplicate push, and none of a poll that lists what pushes already said', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pushed = cold('10ms a 4ms a', { a: success({ videoUUID: A }) });
      const transport = polls([of({ data: [success({ videoUUID: A }), processing()] }), of({ data: [success({ videoUUID: A }), success({ videoUUID: B })] })]);
      const watch = watchTask(TASK, { ...PUSHED, numberResults: 2, push: pushOf(pushed), transport, scheduler });
      expectObservable(watch).toBe('10ms a 19ms b 99ms (c|)', { a: successEvent(A, 0), b: processingEvent(1), c: successEvent(B, 1) });
    });
  });

  it('takes reordered pushes in arrival order, each generation once', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pushed = cold('10ms b 4ms a 4ms b', { a: success({ videoUUID: A }), b: success({ videoUUID: B }) });
      const watch = watchTask(TASK, { ...PUSHED, numberResults: 2, push: pushOf(pushed), transport: polls([NEVER]), scheduler });
      expectObservable(watch).toBe('10ms b 4ms (a|)', { a: successEvent(A, 1), b: successEvent(B, 0) });
    });
  });

  it('tells two different anonymous failures apart when pushed one by one (a push is one generation, not the full list)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const first = failure('providerError');
      const second = failure('timeout');
      const pushed = cold('10ms a 4ms a 4ms b', { a: first, b: second });
      const watch = watchTask(TASK, { ...PUSHED, numberResults: 2, push: pushOf(pushed), transport: polls([NEVER]), scheduler });
      const codes = watch.pipe(map((event) => `${event.index} ${event.status === 'error' ? event.error.code : event.status}`));
      expectObservable(codes).toBe('10ms a 9ms (b|)', { a: '0 providerError', b: '1 timeout' });
    });
  });

  it('ignores a pushed body that does not decode and goes on (no event, no error)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pushed = cold('10ms x 4ms y 4ms a', { x: { status: 3 }, y: 'not a task', a: success({ videoUUID: A }) });
      expectObservable(watchTask(TASK, { ...PUSHED, push: pushOf(pushed), transport: polls([NEVER]), scheduler })).toBe('20ms (s|)', { s: successEvent(A) });
    });
  });

  it('goes on polling when the push source errors', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const transport = polls([of({ data: [success({ videoUUID: A })] })]);
      expectObservable(watchTask(TASK, { ...PUSHED, push: pushOf(cold('10ms #')), transport, scheduler })).toBe('30ms (s|)', { s: successEvent(A) });
    });
  });

  it('unsubscribing cancels both the poll in flight and the push subscription', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pushed = cold('-');
      const first = cold('100ms (r|)', { r: { data: [success({ videoUUID: A })] } });
      expectObservable(watchTask(TASK, { ...PUSHED, push: pushOf(pushed), transport: polls([first]), scheduler }), '^ 44ms !').toBe('');
      expectSubscriptions(pushed.subscriptions).toBe('^ 44ms !');
      expectSubscriptions(first.subscriptions).toBe('30ms ^ 14ms !');
    });
  });

  it('rejects a push option that is not a push source, at call', () => {
    expect(() => watchTask(TASK, { push: { watch: () => NEVER } as unknown as PushSource })).to.throw(TypeError, /option push/);
  });

  it('takes a source of your own through createPushSource, which carries the part: a bare { urlFor, watch } is refused by name, the original left as it is, a spread copy still carries it', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const own = { urlFor: (taskUUID: string) => `https://app.example.com/hook?task=${taskUUID}`, watch: () => cold('5ms a', { a: success({ videoUUID: A }) }) };
      expect(() => watchTask(TASK, { push: own as unknown as PushSource })).to.throw(TypeError, /createPushSource\(\{ urlFor, watch \}\)/);
      const push = createPushSource(own);
      expect(() => createPushSource({ watch: own.watch } as unknown as PushSource)).to.throw(TypeError, 'createPushSource: urlFor, watch must be functions');
      expect(Object.getOwnPropertySymbols(own)).to.deep.equal([]);
      expect(push.urlFor(TASK)).to.equal(own.urlFor(TASK));
      const transport = polls([NEVER]);
      expectObservable(watchTask(TASK, { ...PUSHED, push: { ...push, urlFor: () => 'https://app.example.com/other' }, transport, scheduler })).toBe('5ms (s|)', { s: successEvent(A) });
    });
  });

  it('safetyNetGap jitters pushPollInterval like every gap; pushPollFloor defaults to 10 s or pushPollInterval; foldPushed leaves out a body it cannot read', () => {
    const source = sourceOf(NEVER);
    const settings = resolveWatchSettings({ push: { source, pollInterval: 1000 }, jitter: 0.5, random: () => 0 });
    expect(safetyNetGap(settings)).to.equal(500);
    // pushPollFloor: 10 s, or pushPollInterval when shorter; a negative one is refused at call.
    expect([resolveWatchSettings({}).pushPollFloor, settings.pushPollFloor, resolveWatchSettings({ push: { source, pollInterval: 1000, pollFloor: 5000 } }).pushPollFloor]).to.deep.equal([10_000, 1000, 5000]);
    expect(() => watchTask(TASK, { push: { source, pollFloor: -1 } })).to.throw(RangeError, /push.pollFloor/);
    // A push source alone takes the defaults.
    expect(resolveWatchSettings({ push: source })).to.include({ push: source, pushPollDelay: 60_000, pushPollInterval: 120_000, pushPollFloor: 10_000 });
    expect(foldPushed(initialWatchState(TASK), { errors: 'no' }, 1)).to.equal(undefined);
    expect(foldPushed(initialWatchState(TASK), success({ videoUUID: A }), 1)?.events).to.deep.equal([successEvent(A)]);
  });

  describe('the safety net placed by a learned cadence', () => {
    // The library's safety net (first poll at 60 s, then every 120 s) with a 1 s floor, no jitter.
    const LEARNED: WatchOptions = { jitter: 0, timeout: 600_000 };
    const LEARNED_NET = { pollDelay: 60_000, pollInterval: 120_000, pollFloor: 1000 };

    /** A store that saw ten videos of key `k` finish between 44 and 46 s (its 3.5 % bins: 90 % by 46.42 s, 99 % by 46.81 s), recording what it is taught. */
    function seededStore(): Cadence & { readonly observed: Array<[number, number]> } {
      const teacher = createCadence();
      for (let video = 0; video < 10; video += 1) teacher.observe('k', 44_000, 46_000);
      const store = createCadence({ from: teacher.snapshot() });
      const observed: Array<[number, number]> = [];
      return { ...store, observed, observe: (key, from, to) => (observed.push([from, to]), store.observe(key, from, to)) };
    }

    const schedule = (scheduled: ReadonlyArray<ScheduledPoll>): Array<[number, number, string]> => scheduled.map(({ attempt, delay, reason }) => [attempt, delay, reason]);

    it('with push and a learned cadence: the first poll waits for the learned 90 % (not pushPollDelay); the webhook comes first, no poll, and the store learns its finish', () => {
      const store = seededStore();
      const scheduled: ScheduledPoll[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
        const pushed = cold('45s a', { a: success({ videoUUID: A }) });
        const transport = polls([of({ data: [success({ videoUUID: A })] })]);
        const watch = watchTask(TASK, { ...LEARNED, cadence: { store, key: 'k' }, push: pushOf(pushed, LEARNED_NET), transport, scheduler, onSchedule: (next) => scheduled.push(next) });
        expectObservable(watch).toBe('45s (s|)', { s: successEvent(A) });
        expectSubscriptions(pushed.subscriptions).toBe('^ 44999ms !');
        flush();
        expect(transport.sent()).to.equal(0);
      });
      expect(schedule(scheduled)).to.deep.equal([[1, 46_423, 'safety-net-learned']]);
      expect(store.observed).to.deep.equal([[45_000, 45_000]]);
    });

    it('finds the result of a lost webhook with the poll at the learned 90 % (46.4 s), not at pushPollDelay (60 s)', () => {
      const scheduled: ScheduledPoll[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const pushed = cold('-');
        const poll = cold('(r|)', { r: { data: [success({ videoUUID: A })] } });
        const watch = watchTask(TASK, { ...LEARNED, cadence: { store: seededStore(), key: 'k' }, push: pushOf(pushed, LEARNED_NET), transport: polls([poll]), scheduler, onSchedule: (next) => scheduled.push(next) });
        expectObservable(watch).toBe('46423ms (s|)', { s: successEvent(A) });
        expectSubscriptions(poll.subscriptions).toBe('46423ms (^!)');
        expectSubscriptions(pushed.subscriptions).toBe('^ 46422ms !');
      });
      expect(schedule(scheduled)).to.deep.equal([[1, 46_423, 'safety-net-learned']]);
    });

    /**
     * A watch whose webhook is lost, of a task seen processing twice and then finished: its events, the
     * frames of its three polls, and the schedule reported, checked against `expected`.
     */
    function lostWebhook(cadence: Cadence, expected: { readonly events: string; readonly polls: ReadonlyArray<string> }): Array<[number, number, string]> {
      const scheduled: ScheduledPoll[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const replies = [cold('(r|)', { r: { data: [processing()] } }), cold('(r|)', { r: { data: [processing()] } }), cold('(r|)', { r: { data: [success({ videoUUID: A })] } })];
        const watch = watchTask(TASK, { ...LEARNED, cadence: { store: cadence, key: 'k' }, push: pushOf(cold('-'), LEARNED_NET), transport: polls(replies), scheduler, onSchedule: (next) => scheduled.push(next) });
        expectObservable(watch).toBe(expected.events, { a: processingEvent(), s: successEvent(A) });
        for (const [index, frame] of expected.polls.entries()) expectSubscriptions(replies[index]?.subscriptions ?? []).toBe(frame);
      });
      return schedule(scheduled);
    }

    it('past the 90 % (the 99 % is left out: less than pushPollFloor after it), falls back to pushPollInterval', () => {
      expect(lostWebhook(seededStore(), { events: '46423ms a 239999ms (s|)', polls: ['46423ms (^!)', '166423ms (^!)', '286423ms (^!)'] })).to.deep.equal([
        [1, 46_423, 'safety-net-learned'],
        [2, 120_000, 'safety-net'],
        [3, 120_000, 'safety-net'],
      ]);
    });

    it('with durations spread wider: the 90 %, then the 99 %, then pushPollInterval', () => {
      // Ten videos between 30 and 90 s: 90 % by 84 s, 99 % by 89.8 s, more than pushPollFloor apart.
      const teacher = createCadence();
      for (let video = 0; video < 10; video += 1) teacher.observe('k', 30_000, 90_000);
      expect(lostWebhook(createCadence({ from: teacher.snapshot() }), { events: '84s a 125790ms (s|)', polls: ['84s (^!)', '89791ms (^!)', '209791ms (^!)'] })).to.deep.equal([
        [1, 84_000, 'safety-net-learned'],
        [2, 5791, 'safety-net-learned'],
        [3, 120_000, 'safety-net'],
      ]);
    });

    it('keeps the rungs it read at its start: what the store learns meanwhile (a batch still running) is not chased poll after poll', () => {
      const store = seededStore();
      const scheduled: ScheduledPoll[] = [];
      scheduler.run(({ cold, expectObservable }) => {
        // At 40 s the store learns of twenty videos that took 100 to 110 s: read again, it would say to poll at 109 s.
        scheduler.schedule(() => {
          for (let video = 0; video < 20; video += 1) store.observe('k', 100_000, 110_000);
        }, 40_000);
        const replies = [cold('(r|)', { r: { data: [processing()] } }), cold('(r|)', { r: { data: [success({ videoUUID: A })] } })];
        const watch = watchTask(TASK, { ...LEARNED, cadence: { store, key: 'k' }, push: pushOf(cold('-'), LEARNED_NET), transport: polls(replies), scheduler, onSchedule: (next) => scheduled.push(next) });
        expectObservable(watch).toBe('46423ms a 119999ms (s|)', { a: processingEvent(), s: successEvent(A) });
      });
      expect(schedule(scheduled)).to.deep.equal([
        [1, 46_423, 'safety-net-learned'],
        [2, 120_000, 'safety-net'],
      ]);
    });

    it('with push but nothing learned for the key: exactly pushPollDelay and pushPollInterval; the pushes teach the store, and the next watch of the key polls at its learned 90 %', () => {
      const store = createCadence();
      const first: ScheduledPoll[] = [];
      const second: ScheduledPoll[] = [];
      scheduler.run(({ cold, expectObservable }) => {
        const replies = [cold('(r|)', { r: { data: [processing(), processing()] } })];
        const pushed = cold('60500ms a 999ms b', { a: success({ videoUUID: A }), b: success({ videoUUID: B }) });
        const watch = watchTask(TASK, { ...LEARNED, numberResults: 2, cadence: { store, key: 'k' }, push: pushOf(pushed, LEARNED_NET), transport: polls(replies), scheduler, onSchedule: (next) => first.push(next) });
        expectObservable(watch).toBe('60s (ab) 496ms c 999ms (d|)', { a: processingEvent(0), b: processingEvent(1), c: successEvent(A, 0), d: successEvent(B, 1) });
      });
      expect(schedule(first)).to.deep.equal([
        [1, 60_000, 'initial'],
        [2, 120_000, 'safety-net'],
      ]);
      expect(store.summary('k')?.observations).to.equal(2);
      scheduler.run(({ cold, expectObservable }) => {
        const watch = watchTask(TASK, { ...LEARNED, cadence: { store, key: 'k' }, push: pushOf(cold('-'), LEARNED_NET), transport: polls([NEVER]), scheduler, onSchedule: (next) => second.push(next) });
        expectObservable(watch, '^ 70s !').toBe('');
      });
      // Two finishes learned, at 60.5 and 61.5 s: the next watch's first poll goes at their 90 % as the bins hold it.
      expect(schedule(second)).to.deep.equal([[1, 61_610, 'safety-net-learned']]);
    });
  });
});
