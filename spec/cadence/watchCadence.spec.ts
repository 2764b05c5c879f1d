import { expect } from 'chai';
import { concat, defer, of, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createCadence, RunwareHttpError, watchTask, type Cadence, type CadenceOptions, type GenerationEvent, type ScheduledPoll, type Transport, type WatchOptions } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { checkCadenceOption } from '../../src/cadence/watchCadence.js';
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
 * A store that saw twelve videos of key `k` finish between 44 and 46 s (no longer a young key),
 * recording what it is taught. Its `pollPrice` is fixed at 180 ms and its lag bound is off
 * (`maxLag: Infinity`), the tuning the frames below were worked out at: they test the watch's wiring,
 * not the default tuning (planNextPoll.spec.ts and docs/performance.md cover that); `boundedStore`
 * has the default lag bound.
 */
function seededStore(tuning: CadenceOptions = { maxLag: Number.POSITIVE_INFINITY }): Cadence & { observed: Array<[number, number]> } {
  const teacher = createCadence();
  for (let i = 0; i < 12; i += 1) teacher.observe('k', 44_000, 46_000);
  return recording(createCadence({ from: teacher.snapshot(), pollPrice: 180, ...tuning }));
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

  it('with a seeded store polls where the learned durations say, the first poll too, and sees the video 621 ms after it finished', () => {
    const store = seededStore();
    const scheduled: ScheduledPoll[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: PROCESSING }), cold('(r|)', { r: SUCCESS })];
      const watch = watchTask(TASK, { ...DEFAULTS, scheduler, transport: scripted(polls), cadence: { store, key: 'k' }, onSchedule: (next) => scheduled.push(next) });
      expectObservable(watch).toBe('24338ms a 21282ms (b|)', { a: processingEvent(), b: successEvent(A) });
      for (const [index, frame] of ['24338ms (^!)', '44621ms (^!)', '45621ms (^!)'].entries()) expectSubscriptions(polls[index]?.subscriptions ?? []).toBe(frame);
    });
    // The first poll is the look on the way (a model may have got faster), not initialDelay's 1 s; then
    // just before 44 s, then every second inside the learned range.
    expect(scheduled.map(({ attempt, delay, reason }) => [attempt, delay, reason])).to.deep.equal([
      [1, 24_338, 'learned'],
      [2, 20_283, 'learned'],
      [3, 1000, 'learned'],
    ]);
    expect(store.observed).to.deep.equal([[44_621, 45_621]]);
  });

  it('notices a model that got faster: the look on the way sees it, and the next tasks are looked at well before the learned 44 s', () => {
    const store = seededStore();
    scheduler.run(({ expectObservable }) => {
      // Three tasks one after another, each finishing 20 s after its start: 24 338, 27 614 and 23 673 ms to be seen.
      const task = (): Observable<GenerationEvent> =>
        defer(() => {
          const start = scheduler.now();
          const transport: Transport = () => defer(() => of({ data: [scheduler.now() - start >= 20_000 ? success({ videoUUID: A }) : processing()] }));
          return watchTask(TASK, { ...DEFAULTS, numberResults: 1, scheduler, transport, cadence: { store, key: 'k' } });
        });
      expectObservable(concat(task(), task(), task())).toBe('24338ms b 8464ms a 19148ms b 8788ms a 14883ms (b|)', { a: processingEvent(), b: successEvent(A) });
    });
    expect(store.observed).to.deep.equal([
      [0, 24_338],
      [17_804, 27_614],
      [18_502, 23_673],
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
      expectObservable(watch).toBe('24338ms a 97853ms (b|)', { a: processingEvent(), b: successEvent(A) });
    });
    expect(sentAt).to.deep.equal([24_338, 44_621, 45_621, 46_621, 47_621, 56_621, 66_214, 76_381, 87_085, 98_305, 110_012, 122_192]);
    const gaps = sentAt.slice(6).map((at, index) => at - (sentAt[index + 5] as number));
    for (const [index, gap] of gaps.entries()) expect(gap).to.be.at.least(index === 0 ? 9000 : (gaps[index - 1] as number));
  });

  it('a tail poll: where nothing was learned, the lag bound looks every 12 s, so an early finish is seen 6 s late, not 55 s', () => {
    // Videos of this key took 170 to 190 s; this one fails after 30 s (errors come early).
    const slowStore = (tuning: CadenceOptions): Cadence => {
      const teacher = createCadence();
      for (let i = 0; i < 12; i += 1) teacher.observe('k', 170_000, 190_000);
      return createCadence({ from: teacher.snapshot(), ...tuning });
    };
    for (const [tuning, marbles, sent] of [
      [{}, '12000ms a 23999ms (b|)', [12_000, 24_000, 36_000]],
      [{ maxLag: Number.POSITIVE_INFINITY }, '25393ms a 59999ms (b|)', [25_393, 85_393]],
    ] as const) {
      const sentAt: number[] = [];
      scheduler = createTestScheduler();
      scheduler.run(({ expectObservable }) => {
        const watch = watchTask(TASK, { ...DEFAULTS, numberResults: 1, scheduler, transport: finishingAt(scheduler, [30_000]), cadence: { store: slowStore(tuning), key: 'k' }, onAttempt: () => sentAt.push(scheduler.now()) });
        expectObservable(watch).toBe(marbles, { a: processingEvent(), b: successEvent(A) });
      });
      expect(sentAt).to.deep.equal(sent);
    }
  });

  it('a detected speed change: once the store sees the model finish far earlier, a watch already running reads it again', () => {
    // A store that learned twelve videos of 44 to 46 s, each task started after the one before.
    const store = (): Cadence => {
      const learned = createCadence();
      for (let i = 0; i < 12; i += 1) learned.observe('k', 44_000, 46_000, i);
      return learned;
    };
    for (const [shifted, marbles, sent] of [
      [false, '12000ms a 11999ms (b|)', [12_000, 24_000]],
      [true, '12000ms a 9922ms (b|)', [12_000, 19_923, 20_923, 21_923]],
    ] as const) {
      const cadence = store();
      const sentAt: number[] = [];
      scheduler = createTestScheduler();
      scheduler.run(({ expectObservable }) => {
        const watch = watchTask(TASK, { ...DEFAULTS, numberResults: 1, scheduler, transport: finishingAt(scheduler, [21_000]), cadence: { store: cadence, key: 'k' }, onAttempt: () => sentAt.push(scheduler.now()) });
        // Meanwhile four later tasks of the key finish between 19 and 21 s: a change of speed.
        if (shifted) scheduler.schedule(() => [0, 1, 2, 3].forEach((i) => cadence.observe('k', 19_000, 21_000, 100 + i)), 5000);
        expectObservable(watch).toBe(marbles, { a: processingEvent(), b: successEvent(A) });
      });
      expect(cadence.summary('k')?.shifts).to.equal(shifted ? 1 : 0);
      // Without the change it waits for the bound's 24 s; with it, it closes in on the new 19 to 21 s.
      expect(sentAt).to.deep.equal(sent);
    }
  });

  it('a model seen slower: once four later tasks are overdue, a watch already running reads the stretched durations and skips the old finishes', () => {
    for (const [slower, marbles, sent] of [
      [false, '12000ms a 54819ms (b|)', [12_000, 24_000, 36_000, 44_679, 45_679, 46_679, 47_679, 56_937, 66_820]],
      [true, '12000ms a 48894ms (b|)', [12_000, 24_000, 36_000, 48_000, 55_775, 60_895]],
    ] as const) {
      // Twelve videos of 44 to 46 s, each started after the one before; this one takes 60 s.
      const cadence = createCadence();
      for (let i = 0; i < 12; i += 1) cadence.observe('k', 44_000, 46_000, i * 1000 - 200_000);
      const sentAt: number[] = [];
      scheduler = createTestScheduler();
      scheduler.run(({ expectObservable }) => {
        const watch = watchTask(TASK, { ...DEFAULTS, numberResults: 1, scheduler, transport: finishingAt(scheduler, [60_000]), cadence: { store: cadence, key: 'k' }, onAttempt: () => sentAt.push(scheduler.now()) });
        // At 30 s the watches of four tasks started 20 s earlier find them still running at 50 s, past the learned 46 s.
        if (slower) scheduler.schedule(() => [1, 2, 3, 4].forEach((i) => cadence.overdue('k', 50_000, i - 20_000)), 30_000);
        expectObservable(watch).toBe(marbles, { a: processingEvent(), b: successEvent(A) });
      });
      expect(cadence.summary('k')?.shifts).to.equal(slower ? 1 : 0);
      // Without it, four polls a second apart where the model used to finish; with it, the lag bound's
      // look at 48 s, then closer as the stretched durations thicken: seen 0.9 s after the finish, not 6.8 s.
      expect(sentAt).to.deep.equal(sent);
    }
  });

  it('says once, after a poll, that its task runs past the learned durations, and plans from what that made the store notice', () => {
    const settings = { ...DEFAULTS, interval: 1000, multiplier: 1.5, maxInterval: 10_000, jitter: 0, random: () => 0.5, pushPollFloor: 1000, pushPollInterval: 60_000 } as const;
    for (const [othersOverdue, delayAt48s, shifts] of [
      [0, 9214, 0],
      [3, 8668, 1],
    ] as const) {
      const cadence = createCadence();
      for (let i = 0; i < 12; i += 1) cadence.observe('k', 44_000, 46_000, i * 1000 - 200_000);
      const said: Array<[number, number]> = [];
      const store: Cadence = { ...cadence, overdue: (key, age, startedAt) => (said.push([age, startedAt]), cadence.overdue(key, age, startedAt)) };
      // Tasks started before this one, already overdue.
      for (let i = 1; i <= othersOverdue; i += 1) cadence.overdue('k', 50_000, i - 20_000);
      const planner = store.plannerFor('k', 1000, 600_000, settings);
      // The first poll's plan is made before anything was seen, however late: nothing said.
      planner.first(1, 60_000, 1000);
      expect(planner.plan(1, 1, 40_000).delay).to.equal(5682);
      expect(said).to.deep.equal([]);
      // Past the learned 99 % quantile (46.8 s of age), said once; with three others it makes the fourth,
      // the store notices the model got slower, and this very plan reads the stretched durations.
      expect(planner.plan(2, 1, 48_000).delay).to.equal(delayAt48s);
      expect(said).to.deep.equal([[47_000, 1000]]);
      expect(cadence.summary('k')?.shifts).to.equal(shifts);
      planner.plan(3, 1, 50_000);
      expect(said).to.have.length(1);
    }
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
      // Two pending generations: the first look comes sooner than for one (14 264 ms, not 24 338 ms).
      expectObservable(watch).toBe('14264ms (ab) 30935ms c 1999ms (d|)', { a: processingEvent(0), b: processingEvent(1), c: successEvent(A, 0), d: successEvent(B, 1) });
    });
    expect(store.observed).to.deep.equal([
      [44_203, 45_203],
      [46_203, 47_203],
    ]);
  });

  it('waits for a Retry-After longer than the learned gap, and keeps the learned gap over a shorter one', () => {
    for (const [retryAfter, third, reason] of [
      ['20', 64_621, 'retry-after'],
      ['1', 45_621, 'retry'],
    ] as const) {
      const store = seededStore();
      const scheduled: ScheduledPoll[] = [];
      scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const polls = [cold('(r|)', { r: PROCESSING }), cold('#', undefined, new RunwareHttpError({ failure: 'status', status: 429, retryAfter })), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...DEFAULTS, scheduler, transport: scripted(polls), cadence: { store, key: 'k' }, onSchedule: (next) => scheduled.push(next) });
        expectObservable(watch).toBe(`24338ms a ${third - 24_339}ms (b|)`, { a: processingEvent(), b: successEvent(A) });
        for (const [index, frame] of ['24338ms (^!)', '44621ms (^!)', `${third}ms (^!)`].entries()) expectSubscriptions(polls[index]?.subscriptions ?? []).toBe(frame);
      });
      expect(scheduled.map((next) => next.reason)).to.deep.equal(['learned', 'learned', reason]);
      // The failed poll saw nothing: the generation finished after the last answered one.
      expect(store.observed).to.deep.equal([[24_338, third]]);
    }
  });

  it("plans with the store's tuning: a lower pollPrice looks sooner", () => {
    const teacher = createCadence();
    for (let i = 0; i < 12; i += 1) teacher.observe('k', 44_000, 46_000);
    const firstPoll = (pollPrice: number): number => {
      const scheduled: ScheduledPoll[] = [];
      const store = createCadence({ from: teacher.snapshot(), pollPrice, maxLag: Number.POSITIVE_INFINITY });
      const local = createTestScheduler();
      local.run(() => {
        const subscription = watchTask(TASK, { ...DEFAULTS, scheduler: local, transport: scripted([of(PROCESSING)]), cadence: { store, key: 'k' }, onSchedule: (next) => scheduled.push(next) }).subscribe();
        local.schedule(() => subscription.unsubscribe(), 1);
      });
      return scheduled[0]?.delay ?? Number.NaN;
    };
    expect(firstPoll(180)).to.equal(24_338);
    expect(firstPoll(20)).to.be.below(24_338);
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

  it('checks the key and the start through the store the option comes with (checkOption, at call), and refuses a store without it', () => {
    expect(() => checkCadenceOption({ key: 3 })).to.throw(TypeError, 'watchTask: option cadence.key must be a string');
    expect(() => checkCadenceOption({ key: 'k', startedAt: Number.POSITIVE_INFINITY })).to.throw(RangeError, "watchTask: option cadence.startedAt must be a finite number (the scheduler's clock), got Infinity");
    expect(() => checkCadenceOption({ key: 'k', startedAt: 5 })).not.to.throw();
    const store = createCadence();
    const checked: unknown[] = [];
    const watching: Cadence = { ...store, checkOption: (option) => (checked.push(option), store.checkOption(option)) };
    const option = { store: watching, key: 'k' };
    watchTask(TASK, { apiKey: 'k', cadence: option });
    expect(checked).to.deep.equal([option]);
    expect(() => watchTask(TASK, { apiKey: 'k', cadence: { store: watching, key: 'k', startedAt: Number.NaN } })).to.throw(RangeError, /cadence.startedAt/);
    const { checkOption: _checks, ...unchecking } = store;
    expect(() => watchTask(TASK, { apiKey: 'k', cadence: { store: unchecking as Cadence, key: 'k' } })).to.throw(TypeError, /cadence must be \{ store, key/);
  });
});
