/**
 * Watch defaults per task type, used by `client.run`, which knows what kind of task it watches.
 *
 * @module
 */
import type { ClientWatchOptions } from '../watch/options.js';

/**
 * Overrides of the watch defaults by `taskType`, applied by `run` below any option the caller gives
 * (client-wide or per call):
 * - `videoInference`: `initialDelay` 20000, `interval` 5000. Runware's polling guide recommends an
 *   initial delay for tasks of predictable length such as video; videos take 30 to 240 s, so the core
 *   default's six polls before 20 s (at 1, 2, 3.5, 5.75, 9.1 and 14.2 s) are nearly always wasted. The
 *   10 s cap is kept, so a finished video is still seen within about 10 s.
 * - Every other type (images take seconds) keeps the core defaults.
 */
export const RUN_WATCH_DEFAULTS: Readonly<Record<string, ClientWatchOptions>> = Object.freeze({
  videoInference: Object.freeze({ initialDelay: 20_000, interval: 5_000 }),
});
