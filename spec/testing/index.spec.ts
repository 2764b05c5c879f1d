/**
 * runware-rx/testing as a user sees it: a component-level stream (several tasks watched at once,
 * folded into a progress view model) tested in virtual time with exact frames. Imports only from the
 * two public entry points.
 */
import { expect } from 'chai';
import { from, mergeMap, Observable, scan, takeUntil, type SchedulerLike } from 'rxjs';
import { watchTask, type GenerationEvent, type Transport } from '../../src/index.js';
import { repliesFor, replyScript, scriptedTransport, transportPerTask } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

// ---- the user's code under test -----------------------------------------------------

type VideoState = 'queued' | 'rendering' | 'ready' | 'failed';

interface ProgressView {
  readonly videos: Readonly<Record<string, VideoState>>;
  readonly ready: number;
  readonly failed: number;
  readonly total: number;
}

function renderProgress(taskUUIDs: ReadonlyArray<string>, deps: { transport: Transport; scheduler: SchedulerLike }): Observable<ProgressView> {
  const initial: ProgressView = {
    videos: Object.fromEntries(taskUUIDs.map((uuid) => [uuid, 'queued' as VideoState])),
    ready: 0,
    failed: 0,
    total: taskUUIDs.length,
  };
  return from(taskUUIDs).pipe(
    mergeMap((uuid) => watchTask(uuid, { ...deps, random: () => 0.5 })),
    scan((view: ProgressView, event: GenerationEvent): ProgressView => {
      const state: VideoState = event.status === 'processing' ? 'rendering' : event.status === 'success' ? 'ready' : 'failed';
      return {
        ...view,
        videos: { ...view.videos, [event.taskUUID]: state },
        ready: view.ready + (state === 'ready' ? 1 : 0),
        failed: view.failed + (state === 'failed' ? 1 : 0),
      };
    }, initial),
  );
}

// ---- its tests ----------------------------------------------------------------------

const A = '0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01';
const B = '5f0c6a2e-93d4-4c1b-8e7a-2d9b6f4a1c37';
const C = 'c3a9e1f2-4b5d-4e6f-8a7b-9c0d1e2f3a4b';

describe('runware-rx/testing: a progress view over several videos, in virtual time', () => {
  it('renders each video as its watch reports it, on the default schedule, and completes with the last', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const [a, b, c] = [repliesFor(A), repliesFor(B), repliesFor(C)];
      const transport = transportPerTask({
        [A]: replyScript([a.reply(a.processing()), a.reply(a.success())]),
        [B]: replyScript([b.reply(b.processing()), b.reply(b.processing()), b.reply(b.success())]),
        [C]: replyScript([c.reply(c.processing()), c.reply(c.failure('timeoutProvider'))]),
      });
      const view = (a: VideoState, b: VideoState, c: VideoState): ProgressView => {
        const states = [a, b, c];
        return {
          videos: { [A]: a, [B]: b, [C]: c },
          ready: states.filter((s) => s === 'ready').length,
          failed: states.filter((s) => s === 'failed').length,
          total: 3,
        };
      };

      // Default schedule with the jitter centred (random 0.5): polls at 1000, 2000, 3500 ms.
      expectObservable(renderProgress([A, B, C], { transport, scheduler })).toBe('1000ms (xyz) 995ms (uv) 1496ms (w|)', {
        x: view('rendering', 'queued', 'queued'),
        y: view('rendering', 'rendering', 'queued'),
        z: view('rendering', 'rendering', 'rendering'),
        u: view('ready', 'rendering', 'rendering'),
        v: view('ready', 'rendering', 'failed'),
        w: view('ready', 'ready', 'failed'),
      });
      flush();
      expect(transport.requests.map((request) => `${request.at}:${String(request.tasks[0]?.['taskUUID']).slice(0, 1)}`)).to.deep.equal([
        '1000:0', '1000:5', '1000:c',
        '2000:0', '2000:5', '2000:c',
        '3500:5',
      ]);
    });
  });

  it('leaving the view (takeUntil destroy) aborts every request in flight and sends no more', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const slowA = cold('300ms a|', { a: repliesFor(A).reply(repliesFor(A).success()) });
      const slowB = cold('300ms b|', { b: repliesFor(B).reply(repliesFor(B).success()) });
      const transport = transportPerTask({ [A]: scriptedTransport([slowA]), [B]: scriptedTransport([slowB]) });
      const destroy = hot('1100ms d');

      expectObservable(renderProgress([A, B], { transport, scheduler }).pipe(takeUntil(destroy))).toBe('1100ms |');
      expectSubscriptions(slowA.subscriptions).toBe('1000ms ^ 99ms !');
      expectSubscriptions(slowB.subscriptions).toBe('1000ms ^ 99ms !');
    });
  });
});
