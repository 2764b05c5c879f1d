/**
 * Structural equality of two parsed JSON values, to know a reply again without reading it.
 *
 * @module
 */

/**
 * True when `a` and `b` are the same JSON value: equal primitives, arrays of the same values in the same
 * order, objects with the same keys (in any order) and values. Stops at the first difference, so two
 * different replies cost only as much as their equal start. Meant for parsed JSON (no cycles, depth
 * bounded by the transport's `MAX_JSON_DEPTH`); `undefined` and a missing key are told apart.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) if (!sameJson(a[index], b[index])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
    count += 1;
  }
  for (const key in right) if (Object.hasOwn(right, key)) count -= 1;
  return count === 0;
}
