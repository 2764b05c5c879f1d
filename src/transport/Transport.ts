/**
 * The one I/O seam of runware-rx.
 *
 * @module
 */
import type { Observable } from 'rxjs';

/**
 * Sends one request (a JSON array of tasks) to Runware. The returned Observable is cold: subscribing
 * sends, unsubscribing aborts. It emits the parsed JSON body once and completes, or errors with a
 * `RunwareError` (`RunwareApiError` for 4xx, `RunwareHttpError` for 408/429/5xx and network failures,
 * `RunwareDecodeError` for a body that is not JSON).
 *
 * @example
 * ```ts
 * import { tap } from 'rxjs';
 * import { createFetchTransport, watchTask, type Transport } from 'runware-rx';
 *
 * declare const apiKey: string;
 * declare const taskUUID: string;
 *
 * // A transport is a function: wrap one to log every request and what came of it.
 * const http = createFetchTransport({ apiKey });
 * const logged: Transport = (tasks) => http(tasks).pipe(tap({ error: (error: unknown) => console.warn(tasks[0]?.['taskType'], String(error)) }));
 * watchTask(taskUUID, { transport: logged }).subscribe();
 * ```
 */
export type Transport = (tasks: ReadonlyArray<Record<string, unknown>>) => Observable<unknown>;
