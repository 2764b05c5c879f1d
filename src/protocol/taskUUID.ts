/**
 * Task UUIDs: clients generate UUIDv4; other RFC 9562 versions (v7 has been seen) are accepted too.
 *
 * @module
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical 8-4-4-4-12 hex form. */
export function isTaskUUID(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Throws a TypeError naming the caller when `value` is not a UUID. */
export function assertTaskUUID(value: unknown, caller: string): asserts value is string {
  if (!isTaskUUID(value)) {
    const shown = typeof value === 'string' ? describeString(value) : value === null ? 'null' : typeof value;
    throw new TypeError(`${caller}: taskUUID must be a UUID like 24cd5dff-cb81-4db5-8506-b72a9425f9d1, got ${shown}`);
  }
}

/**
 * Echoes a string only when it looks like a mistyped UUID (hex and dashes). Anything else may be a
 * secret passed in the wrong place (`watchTask(apiKey)`), so only its length is told.
 */
function describeString(value: string): string {
  if (/^[0-9a-f-]{1,60}$/i.test(value) && value.includes('-')) return JSON.stringify(value);
  return `a string of ${value.length} character${value.length === 1 ? '' : 's'} that is not a UUID`;
}
