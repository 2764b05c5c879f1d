import { expect } from 'chai';
import type { Observable } from 'rxjs';
import type { EventStreamMessage } from '../../src/client/eventStreamParser.js';
import { followEventStream, type EventStreamPlan, type StreamSignal, type TaskConnection } from '../../src/client/followEventStream.js';
import { RunwareHttpError, type GenerationEvent } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('followEventStream: reconnection in virtual time', () => {
  const taskUUID = '6d4e2a0c-8f1b-4c3d-9e5f-0a1b2c3d4e5f';
  const processing = (progress: number): GenerationEvent => ({ status: 'processing', taskUUID, taskType: 'videoInference', index: 0, progress }) as GenerationEvent;
  const message = (id: string, event: GenerationEvent): EventStreamMessage => ({ id, event: 'generation', data: JSON.stringify(event) });
  const end = (id: string): EventStreamMessage => ({ id, event: 'end', data: '{}' });
  const broken = new RunwareHttpError({ failure: 'network', cause: new Error('socket hang up') });
  /** No jitter: random() = 0.5 keeps every delay as computed. */
  const rules = { reconnectDelay: 5, reconnects: 3, maxReconnectDelay: 40, random: () => 0.5 };

  /** An `open` that hands out the given connections in turn and records the Last-Event-ID each was opened with. */
  function connections(list: ReadonlyArray<Observable<StreamSignal>>): { readonly open: EventStreamPlan['open']; readonly ids: Array<string | undefined> } {
    const ids: Array<string | undefined> = [];
    return {
      ids,
      open: (lastEventId) => {
        const next = list[ids.length];
        ids.push(lastEventId);
        if (next === undefined) throw new Error('opened once too often');
        return next;
      },
    };
  }

  it('reopens a broken stream reconnectDelay ms later with the last id, and polls after `reconnects` breaks with no message between', () => {
    const scheduler = createTestScheduler();
    let opened: Array<string | undefined> = [];
    const states: Array<[number, TaskConnection]> = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<StreamSignal>('a-#', { a: message('e.1', processing(10)) }, broken);
      const second = cold<StreamSignal>('-b-#', { b: message('e.2', processing(20)) }, broken);
      const third = cold<StreamSignal>('#', {}, broken);
      const fourth = cold<StreamSignal>('--#', {}, broken);
      const fifth = cold<StreamSignal>('#', {}, broken);
      const poll = cold<GenerationEvent>('--c|', { c: processing(30) });
      const plan = connections([first, second, third, fourth, fifth]);
      opened = plan.ids;
      const events = followEventStream(taskUUID, { ...rules, open: plan.open, poll: () => poll, scheduler, onConnection: (state) => states.push([scheduler.now(), state]) });
      // a at 0, broken at 2, reopened at 7 with e.1: b at 8 (the count of breaks starts again), broken at 10;
      // then three more breaks with no message between, each reopened 5 ms later (15, 20, 27); the
      // fourth in a row, at 27, polls: c at 29.
      expectObservable(events).toBe('a 7ms b 20ms c|', { a: processing(10), b: processing(20), c: processing(30) });
      expectSubscriptions(first.subscriptions).toBe('^-!');
      expectSubscriptions(second.subscriptions).toBe('7ms ^--!');
      expectSubscriptions(third.subscriptions).toBe('15ms (^!)');
      expectSubscriptions(fourth.subscriptions).toBe('20ms ^-!');
      expectSubscriptions(fifth.subscriptions).toBe('27ms (^!)');
      expectSubscriptions(poll.subscriptions).toBe('27ms ^--!');
    });
    expect(opened, 'each reconnection resumes after the last id seen').to.deep.equal([undefined, 'e.1', 'e.2', 'e.2', 'e.2']);
    expect(states, 'no connection opened: connecting, then reconnecting, then polling').to.deep.equal([
      [0, 'connecting'],
      [2, 'reconnecting'],
      [27, 'polling'],
    ]);
  });

  it('polls at once and for good when the proxy has no stream, and an unsubscribe during the delay opens nothing more', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const missing = cold<StreamSignal>('-#', {}, new RunwareHttpError({ failure: 'status', status: 404 }));
      const poll = cold<GenerationEvent>('c 99ms d|', { c: processing(30), d: processing(40) });
      const noStream = connections([missing]);
      // 100 ms of polling, and the stream is never tried again (a second `open` would throw).
      expectObservable(followEventStream(taskUUID, { ...rules, open: noStream.open, poll: () => poll, scheduler })).toBe('-c 99ms d|', { c: processing(30), d: processing(40) });
      expectSubscriptions(poll.subscriptions).toBe('-^ 100ms !');

      const dropped = cold<StreamSignal>('--#', {}, broken);
      const later = connections([dropped]);
      expectObservable(followEventStream(taskUUID, { ...rules, open: later.open, poll: () => poll, scheduler }), '^ 5ms !').toBe('');
      expectSubscriptions(dropped.subscriptions).toBe('^-!');
    });
  });

  it('goes back to the stream once the proxy answers again: tries it while polling after 2, 4, 8… × reconnectDelay (capped), then stops polling', () => {
    const scheduler = createTestScheduler();
    const states: Array<[number, TaskConnection]> = [];
    let opened: Array<string | undefined> = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // The proxy restarts at 3 and is back at 80: the polls through it answer meanwhile (its retries), the stream does not.
      const before = cold<StreamSignal>('oa-#', { o: 'opened', a: message('e.1', processing(10)) }, broken);
      const down = [cold<StreamSignal>('#', {}, broken), cold<StreamSignal>('#', {}, broken), cold<StreamSignal>('#', {}, broken), cold<StreamSignal>('--#', {}, broken), cold<StreamSignal>('#', {}, broken)];
      const back = cold<StreamSignal>('o-b--e', { o: 'opened', b: message('n.1', processing(90)), e: end('n.2') });
      const poll = cold<GenerationEvent>('---p 9ms q', { p: processing(40), q: processing(60) });
      const plan = connections([before, ...down, back]);
      opened = plan.ids;
      const events = followEventStream(taskUUID, { ...rules, open: plan.open, poll: () => poll, scheduler, onConnection: (state) => states.push([scheduler.now(), state]) });
      // Broken at 3; reopened at 8, 13, 18 (three breaks allowed); the fourth, at 18, polls (p at 21, q at 31)
      // and tries the stream at 18+10 = 28 (fails at 30), 30+20 = 50, then 50+40 = 90 (capped at 40): open,
      // so the poll ends at 90 and the stream carries b at 92 and the end at 95.
      expectObservable(events).toBe('-a 19ms p 9ms q 60ms b--|', { a: processing(10), p: processing(40), q: processing(60), b: processing(90) });
      expectSubscriptions(poll.subscriptions).toBe('18ms ^ 71ms !');
      expectSubscriptions(back.subscriptions).toBe('90ms ^----!');
    });
    expect(opened).to.deep.equal([undefined, 'e.1', 'e.1', 'e.1', 'e.1', 'e.1', 'e.1']);
    expect(states).to.deep.equal([
      [0, 'connecting'],
      [0, 'streaming'],
      [3, 'reconnecting'],
      [18, 'polling'],
      [90, 'streaming'],
    ]);
  });

  it('jitters the tries while polling with the injected random, and a message resets the backoff', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<StreamSignal>('#', {}, broken);
      const retry = cold<StreamSignal>('#', {}, broken);
      const back = cold<StreamSignal>('oa--#', { o: 'opened', a: message('e.1', processing(10)) }, broken);
      const again = cold<StreamSignal>('#', {}, broken);
      const retryAgain = cold<StreamSignal>('#', {}, broken);
      const plan = connections([first, retry, back, again, retryAgain]);
      const poll = cold<GenerationEvent>('-');
      // reconnects 0: the first break polls. random() = 0 takes 10 % off each delay: 2 × 5 × 0.9 = 9, then 18.
      const events = followEventStream(taskUUID, { ...rules, reconnects: 0, random: () => 0, open: plan.open, poll: () => poll, scheduler });
      expectObservable(events, '^ 60ms !').toBe('28ms a', { a: processing(10) });
      expectSubscriptions(retry.subscriptions).toBe('9ms (^!)');
      expectSubscriptions(back.subscriptions).toBe('27ms ^---!');
      // back broke at 31 after a message: polling resumes, and the backoff starts again (9, then 18).
      expectSubscriptions(again.subscriptions).toBe('40ms (^!)');
      expectSubscriptions(retryAgain.subscriptions).toBe('58ms (^!)');
      expectSubscriptions(poll.subscriptions).toBe(['^ 26ms !', '31ms ^ 29ms !']);
    });
  });
});
