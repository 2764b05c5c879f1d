/**
 * Numeric request parameters with documented bounds, as io-ts codecs whose static type stays `number`
 * (a brand would make every literal in user code fail to compile).
 *
 * @module
 */
import * as t from 'io-ts';
import { isTaskUUID } from '../../protocol/taskUUID.js';

/** What a bounded number must be. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** The value must be a multiple of this (width and height: 8). */
  readonly multipleOf?: number;
}

/** A number codec that also checks bounds; its name says what it expects, so decode errors read well. */
export function numberInRange(range: NumberRange): t.Type<number, number, unknown> {
  const { min, max, integer = false, multipleOf } = range;
  const bounds = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : '';
  const name = `${integer ? 'integer' : 'number'}${bounds}${multipleOf === undefined ? '' : `, a multiple of ${multipleOf}`}`;
  const is = (value: unknown): value is number =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max) &&
    (multipleOf === undefined || value % multipleOf === 0);
  return new t.Type<number, number, unknown>(name, is, (value, context) => (is(value) ? t.success(value) : t.failure(value, context)), t.identity);
}

/** A string of at least `min` and at most `max` characters. */
export function stringOfLength(min: number, max?: number): t.Type<string, string, unknown> {
  const name = max === undefined ? `string of at least ${min} characters` : `string of ${min} to ${max} characters`;
  const is = (value: unknown): value is string => typeof value === 'string' && value.length >= min && (max === undefined || value.length <= max);
  return new t.Type<string, string, unknown>(name, is, (value, context) => (is(value) ? t.success(value) : t.failure(value, context)), t.identity);
}

/** A UUID in canonical form (what Runware expects in `taskUUID`). */
export const TaskUUIDString = new t.Type<string, string, unknown>('UUID', isTaskUUID, (value, context) => (isTaskUUID(value) ? t.success(value) : t.failure(value, context)), t.identity);
