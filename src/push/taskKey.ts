/**
 * Task UUIDs as keys: Runware compares them case-insensitively, so every map and token of the server
 * side uses the lower-case form.
 *
 * @module
 */
import { isTaskUUID } from '../protocol/taskUUID.js';

/** The lower-case form of a task UUID; throws a TypeError naming `caller` for anything else. */
export function taskKey(taskUUID: unknown, caller: string): string {
  if (!isTaskUUID(taskUUID)) throw new TypeError(`${caller}: taskUUID must be a UUID string`);
  return taskUUID.toLowerCase();
}

/** The lower-case form when `value` is a UUID string, else undefined (for untrusted input). */
export function parseTaskKey(value: unknown): string | undefined {
  return isTaskUUID(value) ? value.toLowerCase() : undefined;
}
