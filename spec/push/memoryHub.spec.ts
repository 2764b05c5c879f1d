import { expect } from 'chai';
import type { TestScheduler } from 'rxjs/testing';
import { createMemoryHub, type MemoryHubOptions, type PushHub } from '../../src/server/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASK = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const OTHER = '5c0d7e1a-9b2f-4c3d-8e4f-a1b2c3d4e5f6';
const a = { taskUUID: TASK, status: 'success', videoURL: 'https://example.com/a.mp4' };
const b = { taskUUID: TASK, status: 'success', videoURL: 'https://example.com/b.mp4' };
const c = { taskUUID: TASK, status: 'success', videoURL: 'https://example.com/c.mp4' };

describe('createMemoryHub', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  /** A hub on the test scheduler, and a way to publish at a frame. */
  const hubWith = (options: MemoryHubOptions = {}): { hub: PushHub; publishAt: (frame: number, body: unknown, taskUUID?: string) => void } => {
    const hub = createMemoryHub({ scheduler, ...options });
    return { hub, publishAt: (frame, body, taskUUID = TASK) => scheduler.schedule(() => void hub.publish(taskUUID, body), frame) };
  };

  it('replays the bodies kept before a watch subscribes, then emits live ones', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith();
      publishAt(0, a);
      publishAt(10, b);
      expectObservable(hub.watch(TASK), '5ms ^ 14ms !').toBe('5ms a 4ms b', { a, b });
    });
  });

  it('keeps a task\'s bodies for ttl ms after its last publication, then forgets them', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith({ ttl: 100 });
      publishAt(0, a);
      expectObservable(hub.watch(TASK), '99ms ^ 10ms !').toBe('99ms a', { a });
      expectObservable(hub.watch(TASK), '101ms ^ 10ms !').toBe('');
    });
  });

  it('restarts the ttl on every publication, so a task\'s whole history stays together', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith({ ttl: 100 });
      publishAt(0, a);
      publishAt(60, b);
      expectObservable(hub.watch(TASK), '150ms ^ 5ms !').toBe('150ms (ab)', { a, b });
      expectObservable(hub.watch(TASK), '161ms ^ 5ms !').toBe('');
    });
  });

  it('keeps a watch attached after the ttl: it still hears later bodies, and late watches only those', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith({ ttl: 100 });
      publishAt(0, a);
      publishAt(200, b);
      expectObservable(hub.watch(TASK), '^ 299ms !').toBe('a 199ms b', { a, b });
      expectObservable(hub.watch(TASK), '250ms ^ 9ms !').toBe('250ms b', { b });
    });
  });

  it('fans every body out to every watch of the task, whatever the case of its UUID, and to no other task', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith();
      publishAt(3, a, TASK.toUpperCase());
      expectObservable(hub.watch(TASK), '^ 9ms !').toBe('3ms a', { a });
      expectObservable(hub.watch(TASK.toUpperCase()), '1ms ^ 8ms !').toBe('3ms a', { a });
      expectObservable(hub.watch(OTHER), '^ 9ms !').toBe('');
    });
  });

  it('drops a body identical to one it keeps (a retried or replayed webhook)', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith();
      publishAt(0, a);
      publishAt(2, { ...a });
      publishAt(4, b);
      expectObservable(hub.watch(TASK), '^ 9ms !').toBe('a 3ms b', { a, b });
      expectObservable(hub.watch(TASK), '6ms ^ 3ms !').toBe('6ms (ab)', { a, b });
    });
  });

  it('keeps at most maxBodiesPerTask bodies per task, the newest', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith({ maxBodiesPerTask: 2 });
      publishAt(0, a);
      publishAt(1, b);
      publishAt(2, c);
      expectObservable(hub.watch(TASK), '5ms ^ 1ms !').toBe('5ms (bc)', { b, c });
    });
  });

  it('forgets the least recently published unwatched task beyond maxTasks, never a watched one', () => {
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith({ maxTasks: 1 });
      publishAt(0, a);
      publishAt(1, b, OTHER);
      expectObservable(hub.watch(TASK), '5ms ^ 1ms !').toBe('');
      expectObservable(hub.watch(OTHER), '5ms ^ 1ms !').toBe('5ms b', { b });
    });
    scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      const { hub, publishAt } = hubWith({ maxTasks: 1 });
      publishAt(0, a);
      publishAt(1, b, OTHER);
      expectObservable(hub.watch(TASK), '^ 9ms !').toBe('a', { a });
      expectObservable(hub.watch(TASK), '5ms ^ 1ms !').toBe('5ms a', { a });
    });
  });

  it('completes open watches on close, and refuses publications after it', async () => {
    const hub = createMemoryHub();
    let completed = false;
    hub.watch(TASK).subscribe({ complete: () => (completed = true) });
    await hub.close();
    expect(completed).to.equal(true);
    const refused = await hub.publish(TASK, a).then(() => undefined, (error: unknown) => error);
    expect(refused).to.be.instanceOf(Error);
  });

  it('refuses what is not a task UUID or not JSON: a TypeError, by rejection from publish', async () => {
    const hub = createMemoryHub();
    const rejected = await hub.publish('not-a-uuid', a).then(() => undefined, (error: unknown) => error);
    expect(rejected).to.be.instanceOf(TypeError);
    const notJson = await hub.publish(TASK, undefined).then(() => undefined, (error: unknown) => error);
    expect(notJson).to.be.instanceOf(TypeError);
    expect(() => hub.watch('nope')).to.throw(TypeError);
    expect(() => createMemoryHub({ ttl: -1 })).to.throw(RangeError);
    await hub.close();
  });
});
