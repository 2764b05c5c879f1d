import { expect } from 'chai';
import { Observable, of, throwError } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  RunwareApiError,
  RunwareDecodeError,
  RunwareHttpError,
  RunwareTimeoutError,
  watchTask,
  type AttemptReport,
  type GenerationEvent,
  type WatchOptions,
} from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';
import { embeddedFailure, failure, FIXTURE_TASK_UUID as TASK, processing, replyScript, scriptedTransport, success } from '../../src/testing/index.js';

const OTHER_TASK = '019c42a0-c3ff-7138-be83-ee257abc5331';

const PROCESSING = { data: [processing()] };
const SUCCESS = { data: [success({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71' })] };
const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

const processingEvent = (index = 0, extra: object = {}): GenerationEvent => ({
  status: 'processing',
  taskUUID: TASK,
  taskType: 'videoInference',
  index,
  ...extra,
});
const successEvent = (videoUUID: string, index = 0): GenerationEvent => ({
  status: 'success',
  taskUUID: TASK,
  taskType: 'videoInference',
  index,
  result: success({ videoUUID }) as never,
});


const FAST: WatchOptions = { initialDelay: 0, interval: 10, multiplier: 2, maxInterval: 40, jitter: 0 };

describe('watchTask', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  describe('schedule', () => {
    it('emits processing once, then success, completing right after the reply that settles the task', () => {
      scheduler.run(({ expectObservable }) => {
        const transport = scriptedTransport([of(PROCESSING), of(PROCESSING), of(SUCCESS)]);
        const watch = watchTask(TASK, { ...FAST, transport, scheduler });
        expectObservable(watch).toBe('a 29ms (b|)', { a: processingEvent(), b: successEvent(A) });
      });
    });

    it('sends the first poll initialDelay after subscription, not before', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const reply = cold('(r|)', { r: SUCCESS });
        const watch = watchTask(TASK, { ...FAST, initialDelay: 25, transport: scriptedTransport([reply]), scheduler });
        expectObservable(watch).toBe('25ms (s|)', { s: successEvent(A) });
        expectSubscriptions(reply.subscriptions).toBe('25ms (^!)');
      });
    });

    it('grows each gap by the multiplier and caps it at maxInterval', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const polls = [0, 1, 2, 3, 4, 5].map((n) => cold('(r|)', { r: n === 5 ? SUCCESS : PROCESSING }));
        watchTask(TASK, { ...FAST, transport: scriptedTransport(polls), scheduler }).subscribe();
        // gaps: 10, 20, 40 (cap), 40, 40
        const frames = [0, 10, 30, 70, 110, 150];
        polls.forEach((poll, n) => expectSubscriptions(poll.subscriptions).toBe(`${frames[n]}ms (^!)`));
      });
    });

    it('counts each gap from the previous reply, so polls never overlap', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('---(r|)', { r: PROCESSING });
        const second = cold('-----(r|)', { r: SUCCESS });
        const watch = watchTask(TASK, { ...FAST, transport: scriptedTransport([first, second]), scheduler });
        expectObservable(watch).toBe('---a 14ms (b|)', { a: processingEvent(), b: successEvent(A) });
        expectSubscriptions(first.subscriptions).toBe('^--!');
        expectSubscriptions(second.subscriptions).toBe('13ms ^----!');
      });
    });

    it('jitters each gap with the injected random: d * (1 - jitter + 2 * jitter * random())', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const polls = [0, 1, 2].map((n) => cold('(r|)', { r: n === 2 ? SUCCESS : PROCESSING }));
        const draws = [0, 0.75];
        const random = (): number => draws.shift() ?? 0.5;
        watchTask(TASK, { ...FAST, interval: 100, maxInterval: 1000, jitter: 0.5, random, transport: scriptedTransport(polls), scheduler }).subscribe();
        // gap 1: 100 * (0.5 + 0) = 50; gap 2: 200 * (0.5 + 0.75) = 250
        expectSubscriptions(polls[1]!.subscriptions).toBe('50ms (^!)');
        expectSubscriptions(polls[2]!.subscriptions).toBe('300ms (^!)');
      });
    });

    it('keeps polling at the normal cadence while a status is unknown (no hot loop)', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const queued = cold('(r|)', { r: { data: [processing({ status: 'queued' })] } });
        const polls = [queued, cold('(r|)', { r: { data: [processing({ status: 'scheduled' })] } }), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, transport: scriptedTransport(polls), scheduler });
        expectObservable(watch).toBe('a 29ms (b|)', { a: processingEvent(), b: successEvent(A) });
        expectSubscriptions(polls[1]!.subscriptions).toBe('10ms (^!)');
      });
    });
  });

  describe('generations', () => {
    it('waits for numberResults generations before completing', () => {
      scheduler.run(({ expectObservable }) => {
        const B = 'c1d2e3f4-0000-4000-8000-000000000002';
        const transport = scriptedTransport([
          of({ data: [success({ videoUUID: A })] }),
          of({ data: [success({ videoUUID: A }), processing()] }),
          of({ data: [success({ videoUUID: A }), success({ videoUUID: B })] }),
        ]);
        const watch = watchTask(TASK, { ...FAST, numberResults: 2, transport, scheduler });
        expectObservable(watch).toBe('a 9ms b 19ms (c|)', { a: successEvent(A, 0), b: processingEvent(1), c: successEvent(B, 1) });
      });
    });

    it('reports failed generations in either wire shape as events and still completes', () => {
      scheduler.run(({ expectObservable }) => {
        const transport = scriptedTransport([
          of({ data: [processing(), processing()] }),
          of({ data: [processing()], errors: [failure('timeoutProvider')] }),
          of({ data: [embeddedFailure('safety')], errors: [failure('timeoutProvider')] }),
        ]);
        const watch = watchTask(TASK, { ...FAST, transport, scheduler });
        expectObservable(watch).toBe('(ab) 6ms c 19ms (d|)', {
          a: processingEvent(0),
          b: processingEvent(1),
          c: { status: 'error', taskUUID: TASK, taskType: 'videoInference', index: 0, error: failure('timeoutProvider') },
          d: {
            status: 'error',
            taskUUID: TASK,
            taskType: 'videoInference',
            index: 1,
            error: { taskType: 'videoInference', taskUUID: TASK, status: 'error', code: 'safety', message: 'Simulated failure: safety.' },
          },
        });
      });
    });

    it('emits nothing for a reply without an item of this task, and ignores other tasks', () => {
      scheduler.run(({ expectObservable }) => {
        const transport = scriptedTransport([of({ data: [] }), of({ data: [success({ videoUUID: 'd0000000-0000-4000-8000-000000000009', taskUUID: OTHER_TASK })] }), of(SUCCESS)]);
        const watch = watchTask(TASK, { ...FAST, transport, scheduler });
        expectObservable(watch).toBe('30ms (b|)', { b: successEvent(A) });
      });
    });
  });

  describe('failures', () => {
    const http503 = new RunwareHttpError({ failure: 'status', status: 503 });

    it('rides out up to `retries` consecutive transient failures, backing off between them', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const polls = [cold('#', {}, http503), cold('#', {}, http503), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, retries: 2, transport: scriptedTransport(polls), scheduler });
        expectObservable(watch).toBe('30ms (b|)', { b: successEvent(A) });
        expectSubscriptions(polls[1]!.subscriptions).toBe('10ms (^!)');
      });
    });

    it('raises the last transient failure, bound to the task, once the retry budget is spent', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const watch = watchTask(TASK, { ...FAST, retries: 2, transport: scriptedTransport([1, 2, 3].map(() => cold('#', {}, http503))), scheduler });
        expectObservable(watch).toBe('30ms #', {}, new RunwareHttpError({ failure: 'status', status: 503, attempts: 3, taskUUID: TASK }));
      });
    });

    it('resets the failure count after a good reply', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const fail = cold('#', {}, http503);
        const polls = [fail, cold('(r|)', { r: PROCESSING }), fail, cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, retries: 1, transport: scriptedTransport(polls), scheduler });
        expectObservable(watch).toBe('10ms a 59ms (b|)', { a: processingEvent(), b: successEvent(A) });
      });
    });

    it('honours Retry-After in seconds as a lower bound on the next gap', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const limited = new RunwareHttpError({ failure: 'status', status: 429, retryAfter: '1' });
        const polls = [cold('#', {}, limited), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, transport: scriptedTransport(polls), scheduler }).subscribe();
        expectSubscriptions(polls[1]!.subscriptions).toBe('1000ms (^!)');
      });
    });

    it('honours Retry-After as an HTTP date against the scheduler clock', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const limited = new RunwareHttpError({ failure: 'status', status: 503, retryAfter: 'Thu, 01 Jan 1970 00:00:02 GMT' });
        const polls = [cold('#', {}, limited), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, transport: scriptedTransport(polls), scheduler }).subscribe();
        expectSubscriptions(polls[1]!.subscriptions).toBe('2000ms (^!)');
      });
    });

    it('keeps the backoff gap when Retry-After asks for less', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const limited = new RunwareHttpError({ failure: 'status', status: 429, retryAfter: '0' });
        const polls = [cold('#', {}, limited), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, transport: scriptedTransport(polls), scheduler }).subscribe();
        expectSubscriptions(polls[1]!.subscriptions).toBe('10ms (^!)');
      });
    });

    it('aborts a request that outlives requestTimeout and counts it as a transient failure', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const hung = cold('-');
        const polls = [hung, cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, requestTimeout: 50, transport: scriptedTransport(polls), scheduler });
        expectObservable(watch).toBe('60ms (b|)', { b: successEvent(A) });
        expectSubscriptions(hung.subscriptions).toBe('^ 49ms !');
      });
    });

    it('raises a timed-out request as RunwareHttpError once the budget is spent', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const watch = watchTask(TASK, { ...FAST, retries: 0, requestTimeout: 50, transport: scriptedTransport([cold('-')]), scheduler });
        expectObservable(watch).toBe('50ms #', {}, new RunwareHttpError({ failure: 'timeout', attempts: 1, taskUUID: TASK }));
      });
    });

    it('never retries a refused request (RunwareApiError)', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const refused = new RunwareApiError({ code: 'invalidApiKey', status: 401, serverMessage: 'Invalid API key' });
        const transport = scriptedTransport([cold('#', {}, refused), of(SUCCESS)]);
        const watch = watchTask(TASK, { ...FAST, transport, scheduler });
        expectObservable(watch).toBe('#', {}, refused.forTask(TASK));
        scheduler.flush();
        expect(transport.requests).to.have.length(1);
      });
    });

    it('treats a request-level errors[] entry in a 200 reply as a refusal, emitting nothing from that reply', () => {
      scheduler.run(({ expectObservable }) => {
        const reply = { data: [processing()], errors: [{ code: 'taskNotFound', message: 'No task', taskUUID: TASK, taskType: 'getResponse' }] };
        const watch = watchTask(TASK, { ...FAST, transport: scriptedTransport([of(reply)]), scheduler });
        expectObservable(watch).toBe(
          '#',
          {},
          new RunwareApiError({ code: 'taskNotFound', serverMessage: 'No task', status: 200, taskUUID: TASK }),
        );
      });
    });

    it('treats a reply failing the codec as transient and emits nothing from it', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const drifted = { data: [{ taskUUID: 42, status: 'success' }] };
        const polls = [cold('(r|)', { r: drifted }), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, transport: scriptedTransport(polls), scheduler });
        expectObservable(watch).toBe('10ms (b|)', { b: successEvent(A) });
      });
    });

    it('raises RunwareDecodeError with the readable path of the failure once the budget is spent', () => {
      let caught: unknown;
      scheduler.run(() => {
        const drifted = { data: [{ taskUUID: 42, status: 'success' }] };
        watchTask(TASK, { ...FAST, retries: 0, transport: scriptedTransport([of(drifted)]), scheduler }).subscribe({ error: (error: unknown) => (caught = error) });
      });
      expect(caught).to.be.instanceOf(RunwareDecodeError);
      expect((caught as RunwareDecodeError).issues).to.deep.equal(['data.0.taskUUID: expected string, got 42']);
      expect((caught as RunwareDecodeError).message).to.include(TASK);
    });

    it('treats a transport that completes without a body as a decode failure', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const watch = watchTask(TASK, { ...FAST, retries: 0, transport: scriptedTransport([cold('|')]), scheduler });
        expectObservable(watch).toBe(
          '#',
          {},
          new RunwareDecodeError({ issues: ['body: the transport completed without a reply'], body: undefined, attempts: 1, taskUUID: TASK }),
        );
      });
    });

    // Each typed failure a fault of the simulator makes the fetch transport raise (spec/simulator/faults.spec.ts
    // shows which), or a server-side code in a 200: polled retries + 1 times, then raised with that count.
    const permanent: Array<[string, () => Observable<unknown>, (error: unknown) => void]> = [
      ['429', () => throwError(() => new RunwareHttpError({ failure: 'status', status: 429 })), (e) => expect(e).to.be.instanceOf(RunwareHttpError).and.include({ status: 429, attempts: 3 })],
      ['502', () => throwError(() => new RunwareHttpError({ failure: 'status', status: 502 })), (e) => expect(e).to.be.instanceOf(RunwareHttpError).and.include({ status: 502, attempts: 3 })],
      ['a reset connection', () => throwError(() => new RunwareHttpError({ failure: 'network' })), (e) => expect(e).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'network', attempts: 3 })],
      ['a hang', () => new Observable<never>(), (e) => expect(e).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'timeout', attempts: 3 })],
      ['a body that is not JSON', () => throwError(() => new RunwareDecodeError({ issues: ['body: not JSON'], body: '{"da' })), (e) => expect(e).to.be.instanceOf(RunwareDecodeError).and.include({ attempts: 3 })],
      ['a reply failing the codec', () => of({ data: [{ taskUUID: 42, status: 'success' }] }), (e) => expect(e).to.be.instanceOf(RunwareDecodeError).and.include({ attempts: 3 })],
      ['internalServerError in a 200', () => of({ errors: [{ code: 'internalServerError', message: 'm' }] }), (e) => expect(e).to.be.instanceOf(RunwareApiError).and.include({ code: 'internalServerError', retryable: true })],
    ];
    for (const [what, answer, check] of permanent) {
      it(`raises ${what} on every reply as its typed error after retries + 1 requests, and sends nothing after`, () => {
        let caught: unknown;
        const transport = scriptedTransport(Array.from({ length: 4 }, answer));
        scheduler.run(() => {
          watchTask(TASK, { ...FAST, retries: 2, requestTimeout: 50, transport, scheduler }).subscribe({ error: (error: unknown) => (caught = error) });
        });
        check(caught);
        expect(caught).to.include({ taskUUID: TASK });
        expect(transport.requests).to.have.length(3);
      });
    }

    it('wraps a foreign error from a custom transport as a transient network failure', () => {
      let caught: unknown;
      scheduler.run(() => {
        const transport = scriptedTransport([throwError(() => new Error('socket hang up'))]);
        watchTask(TASK, { ...FAST, retries: 0, transport, scheduler }).subscribe({ error: (error: unknown) => (caught = error) });
      });
      expect(caught).to.be.instanceOf(RunwareHttpError);
      expect((caught as RunwareHttpError).failure).to.equal('network');
      expect((caught as RunwareHttpError).cause).to.be.instanceOf(Error);
    });
  });

  describe('timeout', () => {
    it('errors at `timeout` ms after subscription, carrying the generations known so far', () => {
      scheduler.run(({ expectObservable }) => {
        // One reply for each poll until the deadline (every 10 ms from 0 to 100).
        const transport = scriptedTransport(Array.from({ length: 11 }, () => of({ data: [success({ videoUUID: A }), processing()] })));
        const watch = watchTask(TASK, { ...FAST, timeout: 100, transport, scheduler });
        expectObservable(watch).toBe('(ab) 96ms #', { a: successEvent(A, 0), b: processingEvent(1) }, new RunwareTimeoutError({
          taskUUID: TASK,
          timeout: 100,
          generations: [successEvent(A, 0), processingEvent(1)],
        }));
      });
    });

    it('cuts off a request in flight at the deadline with the generations of the last reply, reporting no failed poll for it', () => {
      const reports: AttemptReport[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        // Poll 1 at 0 answers; poll 2 goes out at 10 and would answer at 30, but the deadline is at 15.
        const hanging = cold('--------------------(r|)', { r: SUCCESS });
        const transport = scriptedTransport([of(PROCESSING), hanging]);
        const watch = watchTask(TASK, { ...FAST, timeout: 15, transport, scheduler, onAttempt: (r) => reports.push(r) });
        expectObservable(watch).toBe('a 14ms #', { a: processingEvent(0) }, new RunwareTimeoutError({ taskUUID: TASK, timeout: 15, generations: [processingEvent(0)] }));
        expectSubscriptions(hanging.subscriptions).toBe('10ms ^----!');
      });
      expect(reports.map((report) => report.outcome)).to.deep.equal(['reply']);
    });

    it('aborts the request in flight when the deadline passes', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const slow = cold('-----(r|)', { r: SUCCESS });
        watchTask(TASK, { ...FAST, timeout: 3, transport: scriptedTransport([slow]), scheduler }).subscribe({ error: () => undefined });
        expectSubscriptions(slow.subscriptions).toBe('^--!');
      });
    });
  });

  describe('subscription', () => {
    it('sends nothing before subscription', () => {
      const transport = scriptedTransport([of(SUCCESS)]);
      scheduler.run(() => {
        watchTask(TASK, { ...FAST, transport, scheduler });
      });
      expect(transport.requests).to.deep.equal([]);
    });

    it('sends the getResponse task for the watched taskUUID', () => {
      const transport = scriptedTransport([of(SUCCESS)]);
      scheduler.run(() => {
        watchTask(TASK, { ...FAST, transport, scheduler }).subscribe();
      });
      expect(transport.requests.map((request) => request.tasks)).to.deep.equal([[{ taskType: 'getResponse', taskUUID: TASK }]]);
    });

    it('cancels the pending timer and the request in flight on unsubscribe, and sends nothing after', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const polls = [cold<unknown>('(r|)', { r: PROCESSING }), cold('-----(r|)', { r: PROCESSING }), cold('(r|)', { r: SUCCESS })];
        const transport = scriptedTransport(polls);
        const watch = watchTask(TASK, { ...FAST, transport, scheduler });
        expectObservable(watch, '^ 12ms !').toBe('a', { a: processingEvent() });
        expectSubscriptions(polls[1]!.subscriptions).toBe('10ms ^--!');
        expectSubscriptions(polls[2]!.subscriptions).toBe([]);
      });
    });

    // Unsubscribed at each moment of a watch's life, over replies and failures: nothing is sent after.
    const limited = new RunwareHttpError({ failure: 'status', status: 429, retryAfter: '1' });
    // [moment, options, unsubscribe frame, polls (marbles: r processing, s success, # a 503, L a 429 with
    // Retry-After: 1), the watch's events, each poll's subscription ('' = never sent)]
    const moments: Array<[string, WatchOptions, number, string[], string, string[]]> = [
      ['before the first poll', { initialDelay: 5 }, 3, ['(r|)'], '', ['']],
      ['mid-request', {}, 2, ['-----(r|)', '(s|)'], '', ['^-!', '']],
      ['mid-backoff after a reply', {}, 5, ['(r|)', '(s|)'], 'r', ['(^!)', '']],
      ['mid-retry after a failure', {}, 5, ['#', '(s|)'], '', ['(^!)', '']],
      ['mid-request of a retry', {}, 12, ['#', '-----(r|)', '(s|)'], '', ['(^!)', '10ms ^-!', '']],
      ['mid-wait for Retry-After', {}, 500, ['L', '(s|)'], '', ['(^!)', '']],
      ['mid-request before requestTimeout', { requestTimeout: 50 }, 20, ['-', '(s|)'], '', ['^ 19ms !', '']],
    ];
    for (const [moment, options, frame, marbles, events, expected] of moments) {
      it(`sends nothing after an unsubscribe ${moment}`, () => {
        scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
          const polls = marbles.map((marble) => (marble === 'L' ? cold<unknown>('#', {}, limited) : cold<unknown>(marble, { r: PROCESSING, s: SUCCESS }, new RunwareHttpError({ failure: 'status', status: 503 }))));
          const transport = scriptedTransport(polls);
          const watch = watchTask(TASK, { ...FAST, ...options, transport, scheduler });
          expectObservable(watch, `^ ${frame - 1}ms !`).toBe(events, { r: processingEvent() });
          polls.forEach((poll, index) => expectSubscriptions(poll.subscriptions).toBe(expected[index] === '' ? [] : (expected[index] ?? [])));
          scheduler.flush();
          expect(transport.requests).to.have.length(expected.filter((subscription) => subscription !== '').length);
        });
      });
    }

    it('runs an independent watch, with its own schedule, for each subscription', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const transport = replyScript([PROCESSING, PROCESSING, PROCESSING, PROCESSING, SUCCESS], { whenExhausted: 'repeatLast', scheduler });
        const watch = watchTask(TASK, { ...FAST, transport, scheduler });
        expectObservable(watch).toBe('a 29ms (b|)', { a: processingEvent(), b: successEvent(A) });
        expectObservable(watch, '5ms ^').toBe('5ms a 29ms (b|)', { a: processingEvent(), b: successEvent(A) });
      });
    });
  });

  describe('onAttempt', () => {
    it('reports each poll: delay and why, latency, outcome', () => {
      const reports: AttemptReport[] = [];
      scheduler.run(({ cold }) => {
        const limited = new RunwareHttpError({ failure: 'status', status: 429, retryAfter: '1' });
        const polls = [cold('--(r|)', { r: PROCESSING }), cold('-#', {}, limited), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, initialDelay: 5, transport: scriptedTransport(polls), scheduler, onAttempt: (r) => reports.push(r) }).subscribe();
      });
      expect(reports.map(({ error, ...rest }) => ({ ...rest, error: error?.name }))).to.deep.equal([
        { taskUUID: TASK, attempt: 1, delay: 5, reason: 'initial', latency: 2, outcome: 'reply', events: 1, failures: 0, error: undefined },
        { taskUUID: TASK, attempt: 2, delay: 10, reason: 'backoff', latency: 1, outcome: 'retrying', events: 0, failures: 1, error: 'RunwareHttpError' },
        { taskUUID: TASK, attempt: 3, delay: 1000, reason: 'retry-after', latency: 0, outcome: 'reply', events: 1, failures: 0, error: undefined },
      ]);
    });

    it('reports a ridden-out failure with its own error, the last with the error the watch ends with, and a reply with no error key', () => {
      const reports: AttemptReport[] = [];
      const errors: unknown[] = [];
      scheduler.run(({ cold }) => {
        const unavailable = new RunwareHttpError({ failure: 'status', status: 503 });
        const polls = [cold('(r|)', { r: PROCESSING }), cold('#', {}, unavailable), cold('#', {}, unavailable)];
        watchTask(TASK, { ...FAST, retries: 1, transport: scriptedTransport(polls), scheduler, onAttempt: (r) => reports.push(r) }).subscribe({ error: (error: unknown) => errors.push(error) });
      });
      expect(reports.map((report) => [report.outcome, report.failures, (report.error as RunwareHttpError | undefined)?.attempts])).to.deep.equal([['reply', 0, undefined], ['retrying', 1, undefined], ['failed', 2, 2]]);
      expect(Object.keys(reports[0] ?? {})).to.deep.equal(['taskUUID', 'attempt', 'delay', 'reason', 'latency', 'outcome', 'events', 'failures']);
      expect(errors).to.have.length(1);
      expect(reports[2]?.error).to.equal(errors[0]);
      expect(reports[1]?.error).to.not.equal(errors[0]);
    });
  });

  describe('onSchedule', () => {
    it('ends the watch with what it throws, at the first wait, leaving nothing scheduled (no deadline timer behind)', () => {
      const thrown = new Error('a progress line that fails');
      const errors: unknown[] = [];
      // Not in run(): its flush would run a deadline left behind; here it stays in the queue to be seen.
      watchTask(TASK, { ...FAST, timeout: 1000, transport: scriptedTransport([of(SUCCESS)]), scheduler, onSchedule: () => { throw thrown; } }).subscribe({ error: (error: unknown) => errors.push(error) });
      expect(errors).to.deep.equal([thrown]);
      expect(scheduler.actions).to.deep.equal([]);
    });
  });

  describe('arguments', () => {
    const transport = scriptedTransport([of(SUCCESS)]);

    it('throws a TypeError for a taskUUID that is not a UUID, before any request', () => {
      expect(() => watchTask('not-a-uuid', { transport })).to.throw(TypeError, /taskUUID must be a UUID/);
      expect(transport.requests).to.deep.equal([]);
    });

    it('throws a TypeError for delivered events that are not an array', () => {
      expect(() => watchTask(TASK, { transport, delivered: 'all' as never })).to.throw(TypeError, /option delivered must be an array/);
    });

    for (const [name, value] of [
      ['interval', -1],
      ['initialDelay', Number.NaN],
      ['timeout', Number.POSITIVE_INFINITY],
      ['jitter', 1.5],
      ['multiplier', 0.5],
      ['retries', 1.5],
      ['numberResults', 0],
      ['requestTimeout', 0],
      ['maxInterval', 2 ** 31],
    ] as const) {
      it(`throws a RangeError naming ${name} for ${String(value)}`, () => {
        expect(() => watchTask(TASK, { transport, [name]: value })).to.throw(RangeError, new RegExp(`option ${name} `));
      });
    }

    it('throws a TypeError when no API key is given or set in the environment', () => {
      const saved = process.env['RUNWARE_API_KEY'];
      delete process.env['RUNWARE_API_KEY'];
      try {
        expect(() => watchTask(TASK, {})).to.throw(TypeError, /no API key/);
      } finally {
        if (saved !== undefined) process.env['RUNWARE_API_KEY'] = saved;
      }
    });
  });
});
