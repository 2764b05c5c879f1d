/**
 * The one test for "a JSON object" that every reader of wire bodies uses.
 *
 * @module
 */

/** True for an object that is not an array (nor `null`): a JSON object, as the wire's readers take one. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
