import { expect } from 'chai';
import { concatMap, lastValueFrom, of, timer, toArray } from 'rxjs';
import { isRunwareError, RunwareError, RunwareHttpError, RunwareTimeoutError, watchTask, type ProcessingEvent } from '../../src/index.js';
import { processing, reply, success } from '../../src/testing/replies.js';
import { delayed, failWith, marbleTransport, replyScript, respondingTransport, scriptedTransport, transportPerTask } from '../../src/testing/scriptedTransport.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const OTHER = '0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01';
const getResponse = (taskUUID: string) => [{ taskType: 'getResponse', taskUUID }];

const processingEvent = { status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0 };
const successEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: success() };

describe('testing/scriptedTransport', () => {
  describe('replyScript', () => {
    it('answers the n-th request with the n-th step after the latency, and records each request', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ expectObservable, flush }) => {
        const transport = replyScript([reply(processing()), delayed(50, reply(processing())), reply(success())], { latency: 10 });
        // polls: 1000 (reply 1010), gap 1000 -> 2010 (reply 2060), gap 1500 -> 3560 (reply 3570)
        expectObservable(watchTask(TASK, { transport, jitter: 0 })).toBe('1010ms a 2559ms (b|)', { a: processingEvent, b: successEvent });
        flush();
        expect(transport.requests).to.deep.equal([
          { tasks: getResponse(TASK), at: 1000 },
          { tasks: getResponse(TASK), at: 2010 },
          { tasks: getResponse(TASK), at: 3560 },
        ]);
      });
    });

    it('fails a request with a scripted error, which the watch rides out as a transient failure', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const transport = replyScript([failWith(new RunwareHttpError({ failure: 'status', status: 503 }), 5), reply(success())]);
        expectObservable(watchTask(TASK, { transport, jitter: 0 })).toBe('2005ms (b|)', { b: successEvent });
      });
    });

    it('errors a request beyond the script, naming it, unless told to repeat the last step', async () => {
      const exhausted = replyScript([]);
      const error = await lastValueFrom(exhausted(getResponse(TASK))).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(RunwareError).with.property('message', 'replyScript: request #1 has no scripted reply (the script has 0)');

      createTestScheduler().run(({ expectObservable }) => {
        const forever = replyScript([reply(processing())], { whenExhausted: 'repeatLast' });
        const watch = watchTask(TASK, { transport: forever, jitter: 0, timeout: 5000 });
        const timedOut = new RunwareTimeoutError({ taskUUID: TASK, timeout: 5000, generations: [processingEvent as ProcessingEvent] });
        expectObservable(watch).toBe('1000ms a 3999ms #', { a: processingEvent }, timedOut);
      });
    });

    it('ends a watch at once when the script runs out, with an error naming the request (not retried as a network failure)', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ flush }) => {
        const transport = replyScript([reply(processing())]);
        let caught: unknown;
        watchTask(TASK, { transport, jitter: 0 }).subscribe({ error: (error: unknown) => (caught = error) });
        flush();
        expect(caught).to.be.instanceOf(RunwareError).with.property('message', `replyScript: request #2 has no scripted reply (the script has 1) (task ${TASK})`);
        expect(isRunwareError(caught) && caught.retryable).to.equal(false);
        expect(transport.requests.map((request) => request.at)).to.deep.equal([1000, 2000]);
      });
    });

    it('rejects a negative latency at once', () => {
      expect(() => replyScript([], { latency: -1 })).to.throw(RangeError, /latency/);
      expect(() => delayed(Number.NaN, {})).to.throw(RangeError, /latency/);
    });
  });

  describe('scriptedTransport', () => {
    it('subscribes the n-th cold source for the n-th request: one request per poll, aborted when the watch ends', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('--a|', { a: reply(processing()) });
        const second = cold('1000ms b|', { b: reply(success()) });
        const transport = scriptedTransport([first, second]);
        const watch = watchTask(TASK, { transport, jitter: 0 });
        expectObservable(watch, '^ 2500ms !').toBe('1002ms a', { a: processingEvent });
        expectSubscriptions(first.subscriptions).toBe('1000ms ^-!');
        // second poll sent at 1002 + 1000; the consumer leaves at 2501, aborting it mid-flight
        expectSubscriptions(second.subscriptions).toBe('2002ms ^ 498ms !');
      });
    });
  });

  describe('marbleTransport', () => {
    it('answers each request with the server state at the time it was sent, however many polls there are', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ expectObservable, flush }) => {
        const transport = marbleTransport('a 2999ms b', { a: reply(processing()), b: reply(success()) }, { latency: 5 });
        // polls at 1000, 2005, 3510 (sent after state b at 3000)
        expectObservable(watchTask(TASK, { transport, jitter: 0 })).toBe('1005ms a 2509ms (b|)', { a: processingEvent, b: successEvent });
        flush();
        expect(transport.requests.map((request) => request.at)).to.deep.equal([1000, 2005, 3510]);
      });
    });

    it('fails every request after # with the given error, and any request before the first event', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const early = marbleTransport('1500ms a', { a: reply(processing()) });
        const notYet = Object.assign(new Error('marbleTransport: no reply scripted yet at frame 0'), { name: 'RunwareScriptExhaustedError' });
        expectObservable(early(getResponse(TASK))).toBe('#', undefined, notYet);

        const outage = new RunwareHttpError({ failure: 'status', status: 503 });
        const failing = marbleTransport('a 99ms #', { a: reply(processing()) }, { error: outage });
        expectObservable(timer(50).pipe(concatMap(() => failing(getResponse(TASK))))).toBe('50ms (a|)', { a: reply(processing()) });
        expectObservable(timer(200).pipe(concatMap(() => failing(getResponse(TASK))))).toBe('200ms #', undefined, outage);
      });
    });
  });

  describe('respondingTransport', () => {
    it('answers each request from its tasks and its number, and records it when sent', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, flush }) => {
        const transport = respondingTransport((tasks, n) => cold('-r|', { r: tasks.map((task) => [task['taskUUID'], n]) }), { scheduler });
        const batch = [...getResponse(TASK), ...getResponse(OTHER)];
        expectObservable(transport(batch)).toBe('-r|', { r: [[TASK, 0], [OTHER, 0]] });
        expectObservable(cold('---x|').pipe(concatMap(() => transport(getResponse(OTHER))))).toBe('----r|', { r: [[OTHER, 1]] });
        flush();
        expect(transport.requests).to.deep.equal([
          { tasks: batch, at: 0 },
          { tasks: getResponse(OTHER), at: 3 },
        ]);
      });
    });

    it('records nothing until a request is subscribed, and a request for each subscription', () => {
      let asked = 0;
      const transport = respondingTransport(() => {
        asked += 1;
        return of(reply(success()));
      });
      const request = transport(getResponse(TASK));
      expect([transport.requests.length, asked]).to.deep.equal([0, 0]);
      request.subscribe();
      request.subscribe();
      expect([transport.requests.length, asked]).to.deep.equal([2, 2]);
    });
  });

  describe('transportPerTask', () => {
    it('routes each request by its taskUUID and keeps a combined log', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ flush }) => {
        const mine = replyScript([reply(success())]);
        const theirs = replyScript([reply(success({ taskUUID: OTHER }))]);
        const transport = transportPerTask({ [TASK]: mine, [OTHER]: theirs });
        watchTask(TASK, { transport, initialDelay: 0 }).subscribe();
        watchTask(OTHER, { transport, initialDelay: 7 }).subscribe();
        flush();
        expect(transport.requests.map((request) => [request.tasks[0]?.['taskUUID'], request.at])).to.deep.equal([
          [TASK, 0],
          [OTHER, 7],
        ]);
        expect(mine.requests).to.have.length(1);
        expect(theirs.requests).to.have.length(1);
      });
    });

    it('errors a request for a task it has no transport for', async () => {
      const error = await lastValueFrom(transportPerTask({})(getResponse(TASK)).pipe(toArray())).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(RunwareError).with.property('message', `transportPerTask: no transport for task ${TASK}`);
    });
  });
});
