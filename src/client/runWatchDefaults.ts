/**
 * Watch defaults per task type, used by `client.run`, which knows what kind of task it watches.
 *
 * @module
 */
import type { ClientWatchOptions } from '../watch/options.js';

/**
 * Overrides of the watch defaults by `taskType`, applied by `run` below any option the caller gives
 * (client-wide or per call):
 * - `videoInference`: `initialDelay` 3000, then `interval` 1000 growing x2.2 to `maxInterval` 7500.
 *   Fast video models finish in 4 to 16 s, long ones in minutes: no video finishes before 3 s, the
 *   gaps then grow faster than the core x1.5 and stop at 7.5 s. With nothing learned, this sees a
 *   fresh client's videos sooner than the official SDK's cadence (1 s, then 0.5 s growing x1.5 to
 *   10 s) at fewer polls, for 4-16 s and 30-90 s videos alike (docs/performance.md). The learned
 *   cadence takes over once the client's store knows the model.
 * - Every other type (images take seconds) keeps the core defaults.
 */
export const RUN_WATCH_DEFAULTS: Readonly<Record<string, ClientWatchOptions>> = Object.freeze({
  videoInference: Object.freeze({ initialDelay: 3000, multiplier: 2.2, maxInterval: 7500 }),
});
