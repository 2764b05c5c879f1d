/**
 * The simulator's only source of randomness: a small seeded PRNG, so a run is reproducible from its seed.
 *
 * @module
 */
import { uuidV4From } from '../protocol/taskUUID.js';

/** Returns a float in [0, 1), like `Math.random`. */
export type Random = () => number;

/**
 * mulberry32: a 32-bit state generator, fast and good enough for durations, failures and ids.
 * Not for cryptography: the ids it makes are unique per seed, not unguessable.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A UUIDv4-shaped string drawn from `random` (so the same seed gives the same media ids). */
export function randomUUID(random: Random): string {
  // One draw per hex digit, high then low: a seed keeps the ids (and the draws after them) it always gave.
  return uuidV4From(Array.from({ length: 16 }, () => Math.floor(random() * 16) * 16 + Math.floor(random() * 16)));
}
