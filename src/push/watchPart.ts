/**
 * The key under which a push source or a shared hub carries its own part of a watch: how a watch takes
 * its bodies (and, for a hub, the lease and what this instance polled). The value carries the code, so
 * a watch given neither carries none of it (docs/performance.md). Made by the watch layer's
 * `createPushSource` and `createSharedHub`, which the webhook receiver and the Redis hub use too.
 *
 * @module
 */

/** The key of a value's watch part: `Symbol.for`, so that two copies of the library read each other's values. */
export const WATCH_PART: unique symbol = Symbol.for('runware-rx.watchPart');

/** What a value carries under {@link WATCH_PART}: opaque outside the watch layer, which makes and reads it. */
export type WatchPartMaker = (value: never, push: never) => unknown;
