import { expect } from 'chai';
import { concat, defer, of, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createCadence, RunwareHttpError, watchTask, type Cadence, type GenerationEvent, type ScheduledPoll, type Transport, type WatchOptions } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const B = 'b7db282d-2943-4f12-992f-77df3ad3ec72';
const PROCESSING = { data: [processing()] };
const SUCCESS = { data: [success({ videoUUID: A })] };

const processingEvent = (index = 0): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index });
const successEvent = (videoUUID: string, index = 0): GenerationEvent => ({ status: 'success', taskUUID: TASK, taskType: 'videoInference', index, result: success({ videoUUID }) as never });

/** The core defaults without jitter, and a deadline long enough for slow videos. */
const DEFAULTS: WatchOptions = { initialDelay: 1000, interval: 1000, multiplier: 1.5, maxInterval: 10_000, jitter: 0, timeout: 600_000 };

/**
 * A store that saw ten videos of key `k` finish between 44 and 46 s, recording what it is taught. Its
 * `pollPrice` is fixed at 180 ms, the price the frames below were worked out at: they test the watch's
 * wiring, not the default tuning (planNextPoll.spec.ts and docs/performance.md cover that).
 */
function seededStore(): Cadence & { observed: Array<[number, number]> } {
  const teacher = createCadence();
  for (let i = 0; i < 10; i += 1) teacher.observe('k', 44_000, 46_000);
  return recording(createCadence({ from: teacher.snapshot(), pollPrice: 180 }));
}

function recording(store: Cadence): Cadence & { observed: Array<[number, number]> } {
  const observed: Array<[number, number]> = [];
  return { ...store, observed, observe: (key, from, to, startedAt) => (observed.push([from, to]), store.observe(key, from, to, startedAt)) };
}

/** A transport answering the n-th request with the n-th observable (the last one again after). */
function scripted(replies: ReadonlyArray<Observable<unknown>>): Transport {
  let call = 0;
  return () => replies[Math.min(call++, replies.length - 1)] as Observable<unknown>;
}

/** A task whose generation i finishes `finishes[i]` ms into the virtual clock. */
function finishingAt(scheduler: TestScheduler, finishes: ReadonlyArray<number>): Transport {
  return () => defer(() => of({ data: finishes.map((finish, index) => (scheduler.now() >= finish ? success({ videoUUID: index === 0 ? A : B }) : processing())) }));
}

describe('watchCadence (the learned schedule in watchTask)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('without history polls exactly on the backoff, and learns the generation between the two last polls', () => {
    const store = recording(createCadence());
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: SUCCESS })];
      const options: WatchOptions = { initialDelay: 0, interval: 10, multiplier: 2, maxInterval: 40, jitter: 0, scheduler, transport: scripted(polls) };
      expectObservable(watchTask(TASK, { ...options, cadence: { store, key: 'k' } })).toBe('a 29ms (b|)', { a: processingEvent(), b: successEvent(A) });
      for (const [index, frame] of ['(^!)', '10ms (^!)', '30ms (^!)'].entries()) expectSubscriptions(polls[index]?.subscriptions ?? []).toBe(frame);
    });
    expect(store.observed).to.deep.equal([[10, 30]]);
  });

  it('with a seeded store polls where the learned durations say, and sees the video 650 ms after it finished', () => {
    const store = seededStore();
    const scheduled: ScheduledPoll[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: SUCCESS })];
      const watch = watchTask(TASK, { ...DEFAULTS, scheduler, transport: scripted(polls), cadence: { store, key: 'k' }, onSchedule: (next) => scheduled.push(next) });
      expectObservable(watch).toBe('1s a 44649ms (b|)', { a: processingEvent(), b: successEvent(A) });
      for (const [index, frame] of ['1s (^!)', '34055ms (^!)', '44650ms (^!)', '45650ms (^!)'].entries()) expectSubscriptions(polls[index]?.subscriptions ?? []).toBe(frame);
    });
    // One look on the way (a model may have got faster), then just before 44 s, then every second inside the learned range.
    expect(scheduled.map(({ attempt, delay, reason }) => [attempt, delay, reason])).to.deep.equal([
      [1, 1000, 'initial'],
      [2, 33_055, 'learned'],
      [3, 10_595, 'learned'],
      [4, 1000, 'learned'],
    ]);
    expect(store.observed).to.deep.equal([[44_650, 45_650]]);
  });

  it('notices a model that got faster: the look on the way sees it, and the next tasks are seen well before the learned 44 s', () => {
    const store = seededStore();
    scheduler.run(({ expectObservable }) => {
      // Three tasks one after another, each finishing 20 s after its start: 34 055, 20 810 and 21 346 ms to be seen.
      const task = (): Observable<GenerationEvent> =>
        defer(() => {
          const start = scheduler.now();
          const transport: Transport = () => defer(() => of({ data: [scheduler.now() - start >= 20_000 ? success({ videoUUID: A }) : processing()] }));
          return watchTask(TASK, { ...DEFAULTS, numberResults: 1, scheduler, transport, cadence: { store, key: 'k' } });
        });
      expectObservable(concat(task(), task(), task())).toBe('1s a 33054ms b 999ms a 19809ms b 999ms a 20345ms (b|)', { a: processingEvent(), b: successEvent(A) });
    });
    expect(store.observed).to.deep.equal([
      [1000, 34_055],
      [10_625, 20_810],
      [16_266, 21_346],
    ]);
  });

  it('does not burst when a model got slower: past the learned durations the gaps grow again like a backoff', () => {
    const store = seededStore();
    const sentAt: number[] = [];
    scheduler.run(({ expectObservable }) => {
      const watch = watchTask(TASK, {
        ...DEFAULTS,
        numberResults: 1,
        scheduler,
        transport: finishingAt(scheduler, [120_000]),
        cadence: { store, key: 'k' },
        onAttempt: () => sentAt.push(scheduler.now()),
      });
      expectObservable(watch).toBe('1s a 121231ms (b|)', { a: processingEvent(), b: successEvent(A) });
    });
    expect(sentAt).to.deep.equal([1000, 34_055, 44_650, 45_650, 46_650, 47_650, 56_652, 66_246, 76_415, 87_121, 98_343, 110_051, 122_232]);
    const gaps = sentAt.slice(7).map((at, index) => at - (sentAt[index + 6] as number));
    for (const [index, gap] of gaps.entries()) expect(gap).to.be.at.least(index === 0 ? 9000 : (gaps[index - 1] as number));
  });

  it('reads the store once, when it starts: a batch submitted with it, teaching the store meanwhile, is not chased', () => {
    const store = createCadence();
    const sentAt: number[] = [];
    const scheduled: ScheduledPoll[] = [];
    scheduler.run(({ expectObservable }) => {
      const options: WatchOptions = { ...DEFAULTS, multiplier: 2, maxInterval: 8000, numberResults: 1, scheduler, cadence: { store, key: 'k' } };
      const watch = watchTask(TASK, { ...options, transport: finishingAt(scheduler, [20_000]), onAttempt: () => sentAt.push(scheduler.now()), onSchedule: (next) => scheduled.push(next) });
      // Ten tasks submitted with it finish between its polls at 2 and 4 s: the store learns them as it runs.
      scheduler.schedule(() => {
        for (let sibling = 0; sibling < 10; sibling += 1) store.observe('k', 2000, 4000, 0);
      }, 3999);
      expectObservable(watch).toBe('1s a 22999ms (b|)', { a: processingEvent(), b: successEvent(A) });
    });
    // Nothing was learned when it started: exactly the backoff, not a poll at the floor after each of
    // the store's newest finishes (which it would outlive, and then chase, poll after poll).
    expect(sentAt).to.deep.equal([1000, 2000, 4000, 8000, 16_000, 24_000]);
    expect(scheduled.map((next) => next.reason)).to.deep.equal(['initial', 'backoff', 'backoff', 'backoff', 'backoff', 'backoff']);
    // It teaches its own finish as one more of the same batch (started at 0): no sibling weighs less for it.
    expect(store.summary('k')?.weight).to.equal(11);
  });

  it('plans a multi-generation task by its pending generations and learns each one', () => {
    const store = seededStore();
    scheduler.run(({ expectObservable }) => {
      const watch = watchTask(TASK, { ...DEFAULTS, numberResults: 2, scheduler, transport: finishingAt(scheduler, [45_000, 47_000]), cadence: { store, key: 'k' } });
      // Two pending generations: the first look comes sooner than for one (20 872 ms, not 34 055 ms).
      expectObservable(watch).toBe('1s (ab) 44296ms c 1999ms (d|)', { a: processingEvent(0), b: processingEvent(1), c: successEvent(A, 0), d: successEvent(B, 1) });
    });
    expect(store.observed).to.deep.equal([
      [44_300, 45_300],
      [46_300, 47_300],
    ]);
  });

  it('waits for a Retry-After longer than the learned gap, and keeps the learned gap over a shorter one', () => {
    for (const [retryAfter, third, reason] of [
      ['20', 54_055, 'retry-after'],
      ['1', 44_650, 'retry'],
    ] as const) {
      const store = seededStore();
      const scheduled: ScheduledPoll[] = [];
      scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const polls = [cold('(r|)', { r: PROCESSING }), cold('#', undefined, new RunwareHttpError({ failure: 'status', status: 429, retryAfter })), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...DEFAULTS, scheduler, transport: scripted(polls), cadence: { store, key: 'k' }, onSchedule: (next) => scheduled.push(next) });
        expectObservable(watch).toBe(`1s a ${third - 1001}ms (b|)`, { a: processingEvent(), b: successEvent(A) });
        for (const [index, frame] of ['1s (^!)', '34055ms (^!)', `${third}ms (^!)`].entries()) expectSubscriptions(polls[index]?.subscriptions ?? []).toBe(frame);
      });
      expect(scheduled.map((next) => next.reason)).to.deep.equal(['initial', 'learned', reason]);
      // The failed poll saw nothing: the generation finished after the last answered one.
      expect(store.observed).to.deep.equal([[1000, third]]);
    }
  });

  it("plans with the store's tuning: a lower pollPrice looks sooner", () => {
    const teacher = createCadence();
    for (let i = 0; i < 10; i += 1) teacher.observe('k', 44_000, 46_000);
    const secondPoll = (pollPrice: number): number => {
      const scheduled: ScheduledPoll[] = [];
      const store = createCadence({ from: teacher.snapshot(), pollPrice });
      const local = createTestScheduler();
      local.run(() => {
        const subscription = watchTask(TASK, { ...DEFAULTS, scheduler: local, transport: scripted([of(PROCESSING)]), cadence: { store, key: 'k' }, onSchedule: (next) => scheduled.push(next) }).subscribe();
        local.schedule(() => subscription.unsubscribe(), 1001);
      });
      return scheduled[1]?.delay ?? Number.NaN;
    };
    expect(secondPoll(180)).to.equal(33_055);
    expect(secondPoll(20)).to.be.below(33_055);
  });

  it('counts the task age from startedAt, so an older task is planned and learned on its own clock', () => {
    const store = recording(createCadence());
    scheduler.run(({ cold, expectObservable }) => {
      const polls = [cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: SUCCESS })];
      const watch = watchTask(TASK, { ...DEFAULTS, scheduler, transport: scripted(polls), cadence: { store, key: 'k', startedAt: -30_000 } });
      expectObservable(watch).toBe('1s a 999ms (b|)', { a: processingEvent(), b: successEvent(A) });
    });
    expect(store.observed).to.deep.equal([[31_000, 32_000]]);
  });

  it('neither plans nor learns without a key, or with cadence: false', () => {
    for (const keyless of [true, false]) {
      const store = seededStore();
      const cadence = keyless ? { store } : (false as const);
      scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const polls = [cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...DEFAULTS, scheduler, transport: scripted(polls), cadence });
        expectObservable(watch).toBe('1s a 999ms (b|)', { a: processingEvent(), b: successEvent(A) });
      });
      expect(store.observed).to.deep.equal([]);
    }
  });

  it('rejects a cadence that is not a store, a key that is not a string and a startedAt that is not finite', () => {
    expect(() => watchTask(TASK, { apiKey: 'k', cadence: {} as never })).to.throw(TypeError, /cadence/);
    expect(() => watchTask(TASK, { apiKey: 'k', cadence: createCadence() as never })).to.throw(TypeError, /cadence must be \{ store, key/);
    expect(() => watchTask(TASK, { apiKey: 'k', cadence: { store: createCadence(), key: 3 as never } })).to.throw(TypeError, /cadence.key/);
    expect(() => watchTask(TASK, { apiKey: 'k', cadence: { store: createCadence(), key: 'k', startedAt: Number.NaN } })).to.throw(RangeError, /cadence.startedAt/);
  });
});
