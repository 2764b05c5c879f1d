/**
 * The push half of `runware-rx demo --push`: a webhook receiver on loopback for the simulator to post
 * to, and a record of which source brought each event (the demo observes its sources itself: the
 * events carry no such field).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tap } from 'rxjs';
import type { AttemptReport } from '../watch/options.js';
import { createPushSource } from '../watch/pushSteps.js';
import type { PushSource } from '../push/PushSource.js';
import { createWebhookReceiver } from '../server/createWebhookReceiver.js';

/** Where an event came from. */
export type EventSource = 'push' | 'poll';

/** A running receiver and what it saw. */
export interface DemoPush {
  /** The receiver's URL (without a task's token). */
  readonly url: string;
  /** The receiver as the watch's push source, noting each body as it reaches the watch. */
  readonly push: PushSource;
  /** The watch's `onAttempt`: notes each poll reply. */
  readonly onAttempt: (attempt: AttemptReport) => void;
  /** Which source the latest body or reply came from: the source of the events the watch emits with it. */
  source(): EventSource;
  /** Webhook bodies that reached the watch, and poll replies, so far. */
  counts(): { readonly webhooks: number; readonly polls: number };
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 with a fresh secret. */
export async function startDemoPush(): Promise<DemoPush> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/runware/webhook`;
  const receiver = createWebhookReceiver({ publicUrl: url, secret: randomBytes(32).toString('hex') });
  server.on('request', receiver.listener);
  // Bodies and replies are folded synchronously as they arrive, so the latest one is the source of the
  // events the watch emits right after it.
  let latest: EventSource = 'poll';
  let polls = 0;
  let pushes = 0;
  const pushed = (): void => {
    pushes += 1;
    latest = 'push';
  };
  return {
    url,
    push: createPushSource({ urlFor: (taskUUID) => receiver.urlFor(taskUUID), watch: (taskUUID) => receiver.watch(taskUUID).pipe(tap(pushed)) }),
    onAttempt: () => {
      polls += 1;
      latest = 'poll';
    },
    source: () => latest,
    counts: () => ({ webhooks: pushes, polls }),
    close: async () => {
      await receiver.pushHub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
