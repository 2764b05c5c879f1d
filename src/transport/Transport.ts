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
 */
export type Transport = (tasks: ReadonlyArray<Record<string, unknown>>) => Observable<unknown>;
