/**
 * One request through a transport, bounded in time.
 *
 * @module
 */
import { defer, type Observable, type SchedulerLike, take, throwError, throwIfEmpty, timeout } from 'rxjs';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { Transport } from './Transport.js';

/** An earlier end than `requestTimeout` that the caller imposes (a watch's overall deadline), with its own error. */
export interface Cutoff {
  /** Milliseconds from sending. */
  readonly within: number;
  readonly error: () => Error;
}

/**
 * Sends `tasks` once and emits the reply body once. Errors with a `RunwareHttpError` (`failure:
 * 'timeout'`) when no reply came within `requestTimeout` ms (the request is then aborted), and with a
 * `RunwareDecodeError` when the transport completed without a reply. Same rules as a watch's poll.
 *
 * A `cutoff` sooner than `requestTimeout` ends the request with its own error instead; one timer serves
 * both, so a poll in flight holds one timer, not two.
 */
export function requestOnce(
  transport: Transport,
  tasks: ReadonlyArray<Record<string, unknown>>,
  settings: { readonly requestTimeout: number; readonly scheduler: SchedulerLike },
  cutoff?: Cutoff,
): Observable<unknown> {
  const cut = cutoff !== undefined && cutoff.within < settings.requestTimeout ? cutoff : undefined;
  return defer(() => transport(tasks)).pipe(
    take(1),
    timeout({
      first: cut === undefined ? settings.requestTimeout : cut.within,
      scheduler: settings.scheduler,
      with: () => throwError(cut === undefined ? () => new RunwareHttpError({ failure: 'timeout' }) : cut.error),
    }),
    throwIfEmpty(() => new RunwareDecodeError({ issues: ['body: the transport completed without a reply'], body: undefined })),
  );
}
