/**
 * One request through a transport, bounded in time.
 *
 * @module
 */
import { defer, type Observable, type SchedulerLike, take, throwError, throwIfEmpty, timeout } from 'rxjs';
import { RunwareDecodeError, RunwareHttpError } from '../errors.js';
import type { Transport } from './Transport.js';

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
  return defer(() => transport(tasks)).pipe(
    take(1),
    timeout({ first: settings.requestTimeout, scheduler: settings.scheduler, with: () => throwError(() => new RunwareHttpError({ failure: 'timeout' })) }),
    throwIfEmpty(() => new RunwareDecodeError({ issues: ['body: the transport completed without a reply'], body: undefined })),
  );
}
