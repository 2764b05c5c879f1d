/**
 * When a watch stops retrying at once: a Retry-After longer than `maxRetryAfter` or reaching past the
 * deadline, a reply refused for good (over a limit of ours), and our own exception while reading a reply.
 */
import { expect } from 'chai';
import { NEVER, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { RunwareDecodeError, RunwareHttpError, watchTask, type AttemptReport, type Transport, type WatchOptions } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';
import { FIXTURE_TASK_UUID as TASK, success } from '../../src/testing/index.js';

const SUCCESS = { data: [success({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71' })] };
const FAST: WatchOptions = { initialDelay: 0, interval: 10, multiplier: 2, maxInterval: 40, jitter: 0 };

/** A transport answering the n-th request with the n-th observable. */
function scripted(replies: ReadonlyArray<Observable<unknown>>): Transport {
  let call = 0;
  return () => replies[Math.min(call++, replies.length - 1)] ?? NEVER;
}

const limited = (retryAfter: string): RunwareHttpError => new RunwareHttpError({ failure: 'status', status: 429, retryAfter });
/** The error the watch ends with: the server's, bound to the task, after `attempts` attempts. */
const ended = (retryAfter: string, attempts = 1): RunwareHttpError =>
  new RunwareHttpError({ failure: 'status', status: 429, retryAfter, attempts, taskUUID: TASK });

describe('watchTask: when retrying stops at once', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  describe('Retry-After', () => {
    it('waits for a Retry-After of exactly maxRetryAfter (60 s by default)', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const polls = [cold('#', {}, limited('60')), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, transport: scripted(polls), scheduler }).subscribe();
        expectSubscriptions(polls[1]!.subscriptions).toBe('60000ms (^!)');
      });
    });

    it('ends the watch with the RunwareHttpError when Retry-After asks for more than maxRetryAfter', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const polls = [cold('--#', {}, limited('61')), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, transport: scripted(polls), scheduler });
        expectObservable(watch).toBe('--#', undefined, ended('61'));
        expectSubscriptions(polls[1]!.subscriptions).toBe([]);
      });
    });

    it('honours a maxRetryAfter option', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const polls = [cold('#', {}, limited('5')), cold('#', {}, limited('6')), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, maxRetryAfter: 5000, transport: scripted(polls), scheduler });
        expectObservable(watch).toBe('5000ms #', undefined, ended('6', 2));
        expectSubscriptions(polls[1]!.subscriptions).toBe('5000ms (^!)');
        expectSubscriptions(polls[2]!.subscriptions).toBe([]);
      });
    });

    it('ends the watch with the RunwareHttpError when Retry-After reaches the deadline, instead of timing out later', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const polls = [cold('-#', {}, limited('3')), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, timeout: 3001, transport: scripted(polls), scheduler });
        expectObservable(watch).toBe('-#', undefined, ended('3'));
      });
    });

    it('waits for a Retry-After that ends before the deadline', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const polls = [cold('-#', {}, limited('3')), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, timeout: 3002, transport: scripted(polls), scheduler }).subscribe();
        expectSubscriptions(polls[1]!.subscriptions).toBe('3001ms (^!)');
      });
    });

    it('ends the watch on an HTTP-date past the deadline, and reports it to onAttempt as the failure', () => {
      const reports: AttemptReport[] = [];
      scheduler.run(({ cold, expectObservable }) => {
        const retryAfter = 'Thu, 01 Jan 1970 00:01:00 GMT'; // 60 s on the virtual clock, the deadline is 30 s
        const polls = [cold('#', {}, limited(retryAfter))];
        const watch = watchTask(TASK, { ...FAST, timeout: 30_000, transport: scripted(polls), scheduler, onAttempt: (report) => reports.push(report) });
        expectObservable(watch).toBe('#', undefined, ended(retryAfter));
      });
      expect(reports.map((report) => [report.outcome, report.failures])).to.deep.equal([['failed', 1]]);
    });

    it('ignores a Retry-After it cannot read and keeps the backoff schedule', () => {
      scheduler.run(({ cold, expectSubscriptions }) => {
        const polls = [cold('#', {}, limited('Sun 2099')), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, transport: scripted(polls), scheduler }).subscribe();
        expectSubscriptions(polls[1]!.subscriptions).toBe('10ms (^!)');
      });
    });

    it('refuses a maxRetryAfter that is not a delay', () => {
      for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => watchTask(TASK, { maxRetryAfter: value, transport: scripted([]) })).to.throw(RangeError, /maxRetryAfter/);
      }
    });
  });

  describe('replies that would fail again', () => {
    it('does not retry a RunwareDecodeError marked not retryable (a reply over maxResponseBytes)', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const tooLarge = new RunwareDecodeError({ issues: ['body: larger than maxResponseBytes'], body: undefined, retryable: false });
        const polls = [cold('-#', {}, tooLarge), cold('(r|)', { r: SUCCESS })];
        const watch = watchTask(TASK, { ...FAST, transport: scripted(polls), scheduler });
        expectObservable(watch).toBe('-#', undefined, tooLarge.forTask(TASK).withAttempts(1));
        expectSubscriptions(polls[1]!.subscriptions).toBe([]);
      });
    });

    it('reports its own exception while reading a reply as a RunwareDecodeError, not a network failure, and does not retry it', () => {
      let caught: unknown;
      scheduler.run(({ cold, expectSubscriptions }) => {
        const hostile = {
          get data(): unknown {
            throw new RangeError('Maximum call stack size exceeded');
          },
        };
        const polls = [cold('(r|)', { r: hostile }), cold('(r|)', { r: SUCCESS })];
        watchTask(TASK, { ...FAST, transport: scripted(polls), scheduler }).subscribe({ error: (error: unknown) => (caught = error) });
        expectSubscriptions(polls[1]!.subscriptions).toBe([]);
      });
      expect(caught).to.be.instanceOf(RunwareDecodeError);
      expect(caught).to.include({ retryable: false, attempts: 1, taskUUID: TASK });
      expect((caught as RunwareDecodeError).issues).to.deep.equal(['body: reading the reply threw RangeError: Maximum call stack size exceeded']);
      expect((caught as Error).cause).to.be.instanceOf(RangeError);
    });

  });
});
