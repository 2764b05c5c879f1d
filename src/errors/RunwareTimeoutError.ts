/**
 * {@link RunwareTimeoutError}: the watch outlived its deadline.
 *
 * @module
 */
import type { GenerationEvent } from '../events/events.js';
import { countOf, RunwareError, type RunwareErrorDetails } from './RunwareError.js';

/** Where the watch stood when its deadline passed. */
export interface RunwareTimeoutErrorDetails extends RunwareErrorDetails {
  /** The `timeout` option that expired, in milliseconds. */
  readonly timeout: number;
  /** The latest event of every generation known at that moment, by index: finished results are not lost. */
  readonly generations: ReadonlyArray<GenerationEvent>;
}

/**
 * The watch outlived its `timeout` (counted from subscription). Carries what was known by then:
 * `generations` holds the latest event of each generation, so finished results are not lost.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareTimeoutError, watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, processing, reply, replyScript, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let caught: unknown;
 * scheduler.run(() => {
 *   const transport = replyScript([reply(success(), processing())], { whenExhausted: 'repeatLast' }); // the 2nd never ends
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler, timeout: 60_000 }).subscribe({ error: (error: unknown) => (caught = error) });
 * });
 * assert.ok(caught instanceof RunwareTimeoutError && caught.timeout === 60_000);
 * assert.deepEqual(caught.generations.map((event) => event.status), ['success', 'processing']);
 * ```
 */
export class RunwareTimeoutError extends RunwareError {
  override readonly name = 'RunwareTimeoutError' as const;
  declare readonly retryable: false;
  declare readonly timeout: number;
  declare readonly generations: ReadonlyArray<GenerationEvent>;

  constructor(details: RunwareTimeoutErrorDetails) {
    const pending = details.generations.filter((g) => g.status === 'processing').length;
    super(
      `Runware task not finished within ${details.timeout} ms: ${countOf(details.generations.length, 'generation')} known, ${pending} still processing`,
      details,
      false,
      ['timeout', 'generations'] satisfies ReadonlyArray<keyof RunwareTimeoutErrorDetails>,
    );
  }
}
