/**
 * The simulator's only source of randomness: a small seeded PRNG, so a run is reproducible from its seed.
 *
 * @module
 */

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
  const hex: string[] = [];
  for (let i = 0; i < 32; i += 1) hex.push(Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
