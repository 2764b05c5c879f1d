import { expect } from 'chai';
import { map, NEVER } from 'rxjs';
import { createRunwareClient, RunwareApiError, RunwareHttpError, RunwareValidationError } from '../../src/index.js';
import { ASYNC_ACK, scriptedTransport, VALIDATION_ERROR, type ScriptedTransport } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const video = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 } as const;
const F1 = ASYNC_ACK;
const F2 = VALIDATION_ERROR;

/** The tasks of every request `transport` received, oldest first. */
const sentBy = (transport: ScriptedTransport): Array<ReadonlyArray<Record<string, unknown>>> => transport.requests.map((request) => request.tasks);

describe('client.submit', () => {
  it('sends the task async under a fresh UUID v4 and emits the ack once', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = scriptedTransport([cold('--a|', { a: F1 })]);
      const client = createRunwareClient({ transport, scheduler, uuid: () => TASK });
      expectObservable(client.submit(video)).toBe('--(a|)', { a: { taskType: 'videoInference', taskUUID: TASK } });
      scheduler.flush();
      expect(sentBy(transport)).to.deep.equal([[{ ...video, taskUUID: TASK, deliveryMethod: 'async' }]]);
    });
  });

  it('draws UUID v4s by default and keeps a taskUUID the task already has', () => {
    const transport = scriptedTransport([NEVER, NEVER]);
    const client = createRunwareClient({ transport });
    client.submit(video).subscribe().unsubscribe();
    client.submit({ ...video, taskUUID: TASK }).subscribe().unsubscribe();
    expect(sentBy(transport)[0]?.[0]?.['taskUUID']).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sentBy(transport)[1]?.[0]?.['taskUUID']).to.equal(TASK);
  });

  it('errors with RunwareApiError carrying code, parameter and the wire object for a validation error instead of an ack, without retrying', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = scriptedTransport([cold('-a|', { a: F2 })]);
      const client = createRunwareClient({ transport, scheduler, uuid: () => TASK, submitRetries: 3 });
      const expected = new RunwareApiError({ code: 'unsupportedDuration', serverMessage: F2.errors?.[0]?.message, status: 200, taskUUID: TASK });
      expectObservable(client.submit(video)).toBe('-#', undefined, expected);
      scheduler.flush();
      expect(sentBy(transport)).to.have.length(1);
    });
    let caught: unknown;
    createRunwareClient({ transport: () => [F2] as never, uuid: () => TASK }).submit(video).subscribe({ error: (error: unknown) => (caught = error) });
    expect(caught).to.be.instanceOf(RunwareApiError);
    expect(caught).to.include({ code: 'unsupportedDuration', parameter: 'duration', taskUUID: TASK, retryable: false });
    expect((caught as RunwareApiError).wire).to.deep.include({ allowedValues: [6] });
  });

  it('does not resend a submit after a transient failure by default', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const failure = new RunwareHttpError({ failure: 'status', status: 503 });
      const transport = scriptedTransport([cold('-#', undefined, failure)]);
      const client = createRunwareClient({ transport, scheduler, uuid: () => TASK });
      expectObservable(client.submit(video)).toBe('-#', undefined, failure.forTask(TASK));
      scheduler.flush();
      expect(sentBy(transport)).to.have.length(1);
    });
  });

  it('with submitRetries, resends the same taskUUID after the backoff gap', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failure = new RunwareHttpError({ failure: 'status', status: 503 });
      const replies = [cold('-#', undefined, failure), cold('-#', undefined, failure), cold('-a|', { a: F1 })];
      const transport = scriptedTransport(replies);
      const client = createRunwareClient({ transport, scheduler, uuid: () => TASK, submitRetries: 2, interval: 10, multiplier: 2, jitter: 0 });
      // Fails at 1, resends at 11 (gap 10), fails at 12, resends at 32 (gap 20), acked at 33.
      expectObservable(client.submit(video)).toBe('33ms (a|)', { a: { taskType: 'videoInference', taskUUID: TASK } });
      expectSubscriptions(replies[0]!.subscriptions).toBe('^!');
      expectSubscriptions(replies[1]!.subscriptions).toBe('11ms ^!');
      expectSubscriptions(replies[2]!.subscriptions).toBe('32ms ^!');
      scheduler.flush();
      expect(sentBy(transport).map((tasks) => tasks[0]?.['taskUUID'])).to.deep.equal([TASK, TASK, TASK]);
    });
  });

  it('aborts the submit request when unsubscribed before the ack', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('-----a|', { a: F1 });
      const client = createRunwareClient({ transport: () => slow, scheduler, uuid: () => TASK });
      expectObservable(client.submit(video), '^--!').toBe('---');
      expectSubscriptions(slow.subscriptions).toBe('^--!');
    });
  });

  it('times a submit out after requestTimeout and does not resend it by default', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const hung = cold('-');
      const client = createRunwareClient({ transport: () => hung, scheduler, uuid: () => TASK, requestTimeout: 50 });
      expectObservable(client.submit(video)).toBe('50ms #', undefined, new RunwareHttpError({ failure: 'timeout', taskUUID: TASK }));
      expectSubscriptions(hung.subscriptions).toBe('^ 49ms !');
    });
  });

  it('refuses an invalid task with RunwareValidationError and sends nothing', () => {
    const transport = scriptedTransport([]);
    const client = createRunwareClient({ transport });
    const errors: unknown[] = [];
    const bad = { ...video, duration: '5' } as unknown as typeof video;
    client.submit(bad).subscribe({ error: (error: unknown) => errors.push(error) });
    client.submit({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'x' }).subscribe({ error: (error: unknown) => errors.push(error) });
    expect(sentBy(transport)).to.deep.equal([]);
    expect(errors[0]).to.be.instanceOf(RunwareValidationError);
    expect((errors[0] as RunwareValidationError).issues).to.deep.equal(['duration: expected number of at least 0, got "5"']);
    expect((errors[1] as RunwareValidationError).issues).to.deep.equal(['positivePrompt: expected string of 2 to 3000 characters, got "x"']);
  });

  it('accepts the {"data": []} ack variant as an ack of the task it sent', () => {
    const acks: unknown[] = [];
    createRunwareClient({ transport: () => [{ data: [] }] as never, uuid: () => TASK }).submit(video).subscribe((ack) => acks.push(ack));
    expect(acks).to.deep.equal([{ taskType: 'videoInference', taskUUID: TASK }]);
  });

  describe('conflictTaskUUID', () => {
    const conflict = { errors: [{ code: 'conflictTaskUUID', message: 'The taskUUID is already in use.', parameter: 'taskUUID', taskUUID: TASK }] };
    const lostAck = new RunwareHttpError({ failure: 'timeout' });

    it('on a resend (the first attempt reached Runware, its ack was lost) is the ack, on a 200', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const replies = [cold('-#', undefined, lostAck), cold('-a|', { a: conflict })];
        const transport = scriptedTransport(replies);
        const client = createRunwareClient({ transport, scheduler, uuid: () => TASK, submitRetries: 1, interval: 10, jitter: 0 });
        expectObservable(client.submit(video)).toBe('12ms (a|)', { a: { taskType: 'videoInference', taskUUID: TASK } });
        scheduler.flush();
        expect(sentBy(transport)).to.have.length(2);
      });
    });

    it('on a resend is the ack when it comes as HTTP 409 too', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const refused = new RunwareApiError({ code: 'conflictTaskUUID', status: 409 });
        const replies = [cold('-#', undefined, lostAck), cold('-#', undefined, refused)];
        const transport = scriptedTransport(replies);
        const client = createRunwareClient({ transport, scheduler, uuid: () => TASK, submitRetries: 1, interval: 10, jitter: 0 });
        expectObservable(client.submit(video)).toBe('12ms (a|)', { a: { taskType: 'videoInference', taskUUID: TASK } });
      });
    });

    it('on a first submission is a refusal: the taskUUID belongs to another task', () => {
      let caught: unknown;
      createRunwareClient({ transport: () => [conflict] as never, uuid: () => TASK, submitRetries: 2 }).submit(video).subscribe({ error: (error: unknown) => (caught = error) });
      expect(caught).to.be.instanceOf(RunwareApiError).and.include({ code: 'conflictTaskUUID', parameter: 'taskUUID', taskUUID: TASK });
    });

    it('client.run watches the task after a conflict on a resend', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const success = { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: 'v1', videoURL: 'https://media.test/v1.mp4' }] };
        const replies = [cold('-#', undefined, lostAck), cold('-a|', { a: conflict }), cold('-s|', { s: success })];
        const transport = scriptedTransport(replies);
        const client = createRunwareClient({ transport, scheduler, uuid: () => TASK, submitRetries: 1, interval: 10, jitter: 0, initialDelay: 5 });
        expectObservable(client.run(video).pipe(map((event) => event.status))).toBe('18ms (s|)', { s: 'success' });
        scheduler.flush();
        expect(sentBy(transport)[2]).to.deep.equal([{ taskType: 'getResponse', taskUUID: TASK }]);
      });
    });
  });
});
