/**
 * A cadence store as plain JSON, and the codec that checks one read back (from a file, a database, a
 * previous process) before it is trusted.
 *
 * @module
 */
import * as t from 'io-ts';
import { describeIssues } from '../protocol/describeIssues.js';
import { BINS_PER_DOUBLING, FIRST_EDGE_MS, HISTOGRAM_BINS } from './durationHistogram.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A codec that only checks: `is` decides, the value passes through unchanged, `name` says what was expected. */
function checked<A>(name: string, is: (value: unknown) => value is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(name, is, (value, context) => (is(value) ? t.success(value) : t.failure(value, context)), t.identity);
}

const isMass = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

const BinMasses = checked(
  `array of ${HISTOGRAM_BINS} bin masses with a positive sum`,
  (value): value is number[] => Array.isArray(value) && value.length === HISTOGRAM_BINS && value.every(isMass) && value.some((mass: number) => mass > 0),
);

const Count = checked('whole number of at least 1', (value): value is number => Number.isSafeInteger(value) && (value as number) >= 1);

/** One cadence key's learned durations: generations observed, and the decayed mass in each bin. */
export const CadenceKeySnapshot = t.type({ observations: Count, mass: BinMasses });
export type CadenceKeySnapshot = t.TypeOf<typeof CadenceKeySnapshot>;

/**
 * A cadence store as plain JSON (`store.snapshot()`; `createCadence({ from })` reads it back). The
 * layout fields name the histogram's bins, so a snapshot from a build with other bins is refused rather
 * than misread.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { createCadence, type CadenceSnapshot } from 'runware-rx';
 *
 * const cadence = createCadence();
 * cadence.observe('videoInference|klingai:5@3|5s', 41_000, 47_000);
 * const snapshot: CadenceSnapshot = cadence.snapshot();
 * assert.equal(snapshot.keys['videoInference|klingai:5@3|5s']?.observations, 1);
 * assert.equal(snapshot.keys['videoInference|klingai:5@3|5s']?.mass.length, snapshot.bins);
 * ```
 */
export const CadenceSnapshot = t.type({
  version: t.literal(1),
  firstEdgeMs: t.literal(FIRST_EDGE_MS),
  binsPerDoubling: t.literal(BINS_PER_DOUBLING),
  bins: t.literal(HISTOGRAM_BINS),
  keys: t.record(t.string, CadenceKeySnapshot),
});
export type CadenceSnapshot = t.TypeOf<typeof CadenceSnapshot>;

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** `value` as a {@link CadenceSnapshot}, or a TypeError listing what is wrong (`keys.k.mass: expected ...`). */
export function readCadenceSnapshot(value: unknown): CadenceSnapshot {
  const result = CadenceSnapshot.decode(value);
  if (result._tag === 'Left') throw new TypeError(`createCadence: option from is not a cadence snapshot: ${describeIssues(result.left, 'from').join('; ')}`);
  return result.right;
}
