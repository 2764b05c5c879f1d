/**
 * The check of an option that counts something (retries, results, bytes), in the words every caller
 * refuses it with.
 *
 * @module
 */

/**
 * Throws a `RangeError` (`<caller>: option <name> must be a whole number of at least <min>, got <value>`)
 * unless `value` is a safe integer of at least `min`.
 */
export function checkWholeNumber(caller: string, name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${caller}: option ${name} must be a whole number of at least ${min}, got ${String(value)}`);
  }
}
