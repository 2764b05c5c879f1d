/**
 * Task UUIDs as keys: Runware compares them case-insensitively, so every map and token of the server
 * side uses the lower-case form.
 *
 * @module
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lower-case form of a task UUID; throws a TypeError naming `caller` for anything else. */
export function taskKey(taskUUID: unknown, caller: string): string {
  if (typeof taskUUID !== 'string' || !UUID.test(taskUUID)) throw new TypeError(`${caller}: taskUUID must be a UUID string`);
  return taskUUID.toLowerCase();
}

/** The lower-case form when `value` is a UUID string, else undefined (for untrusted input). */
export function parseTaskKey(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}
