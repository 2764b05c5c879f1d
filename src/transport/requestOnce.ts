/**
 * One request through a transport, bounded in time.
 *
 * @module
 */
import { from, Observable, type SchedulerAction, type SchedulerLike, Subscriber, type Subscription } from 'rxjs';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { Transport } from './Transport.js';

/** What a request comes to, told exactly once: its first reply body, or why there is none. */
export interface ReplyReceiver {
  reply(body: unknown): void;
  fail(error: unknown): void;
}

/**
 * Sends `tasks` once and emits the reply body once. Errors with a `RunwareHttpError` (`failure:
 * 'timeout'`) when no reply came within `requestTimeout` ms (the request is then aborted), and with a
 * `RunwareDecodeError` when the transport completed without a reply. Same rules as a watch's poll.
 */
export function requestOnce(
  transport: Transport,
  tasks: ReadonlyArray<Record<string, unknown>>,
  settings: { readonly requestTimeout: number; readonly scheduler: SchedulerLike },
): Observable<unknown> {
  return new Observable<unknown>((subscriber) =>
    sendOnce(transport, tasks, settings, {
      reply: (body) => {
        subscriber.next(body);
        subscriber.complete();
      },
      fail: (error) => subscriber.error(error),
    }),
  );
}

/**
 * {@link requestOnce} told to a receiver instead of an Observable: what a watch's poll uses, so a poll in
 * flight holds one subscriber and one timer rather than a chain of operators (docs/performance.md).
 * Unsubscribing the returned subscription aborts the request and tells the receiver nothing.
 */
export function sendOnce(
  transport: Transport,
  tasks: ReadonlyArray<Record<string, unknown>>,
  settings: { readonly requestTimeout: number; readonly scheduler: SchedulerLike },
  receiver: ReplyReceiver,
): Subscription {
  const request = new OneRequest(receiver);
  let reply: Observable<unknown>;
  try {
    // `from` returns an Observable as it is, and reads what a looser custom transport returns (a promise).
    reply = from(transport(tasks));
  } catch (error) {
    request.error(error);
    return request;
  }
  // The request is the transport's subscriber itself (a Subscriber is used as it is), so a reply that
  // comes at once has already closed it here, and no timer is started.
  reply.subscribe(request);
  if (!request.closed) request.add(settings.scheduler.schedule(expire, settings.requestTimeout, request));
  return request;
}

/** The transport's subscriber: takes the first reply, and leaves the transport (aborting it) on any end. */
class OneRequest extends Subscriber<unknown> {
  private readonly receiver: ReplyReceiver;

  constructor(receiver: ReplyReceiver) {
    super();
    this.receiver = receiver;
  }

  protected override _next(body: unknown): void {
    this.unsubscribe();
    this.receiver.reply(body);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.receiver.fail(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.receiver.fail(new RunwareDecodeError({ issues: ['body: the transport completed without a reply'], body: undefined }));
  }

  /** `requestTimeout` has passed without a reply. */
  expire(): void {
    if (this.closed) return;
    this.unsubscribe();
    this.receiver.fail(new RunwareHttpError({ failure: 'timeout' }));
  }
}

// One function for every request's timer: the request is the action's state, so no closure per request.
function expire(this: SchedulerAction<OneRequest>, request?: OneRequest): void {
  request?.expire();
}
