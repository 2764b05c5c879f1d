/**
 * Turns an unknown reply body into an {@link Envelope}, or a {@link RunwareDecodeError} that says where
 * it went wrong in words a person can act on.
 *
 * @module
 */
import type * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { Envelope } from './codecs.js';

/** How many validation failures a decode error lists. */
const MAX_ISSUES = 5;

/** Decodes a reply body, throwing {@link RunwareDecodeError} when it does not fit the wire codec. */
export function decodeReply(body: unknown): Envelope {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RunwareDecodeError({ issues: [`body: expected an object with data or errors, got ${describe(body)}`], body });
  }
  // Fast path: the type guard checks the same constraints about 4x faster than decode, and a valid
  // envelope decodes to an equal object (the codecs only check). Decode runs only to report what is wrong.
  const result = Envelope.is(body) ? { _tag: 'Right' as const, right: body } : Envelope.decode(body);
  if (isLeft(result)) {
    throw new RunwareDecodeError({ issues: reportIssues(result.left), body });
  }
  const envelope = result.right;
  if (envelope.data === undefined && envelope.errors === undefined) {
    throw new RunwareDecodeError({ issues: ['body: expected data or errors, found neither'], body });
  }
  return envelope;
}

/** One readable line per failure, `path: expected T, got V`, at most {@link MAX_ISSUES}. */
export function reportIssues(errors: t.Errors): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const path = collapsePath(error.context) || 'body';
    const expected = error.context[error.context.length - 1]?.type.name ?? 'value';
    lines.add(`${path}: expected ${expected}, got ${describe(error.value)}`);
    if (lines.size >= MAX_ISSUES) break;
  }
  return [...lines];
}

function collapsePath(context: t.Context): string {
  // The entry after an intersection is keyed by the member's position ("data.0.1.status"): not a path step.
  const steps: string[] = [];
  context.forEach((entry, position) => {
    const parent = context[position - 1];
    if (entry.key === '' || (parent !== undefined && isIntersection(parent.type))) return;
    steps.push(entry.key);
  });
  return steps.join('.');
}

function isIntersection(type: t.Decoder<unknown, unknown>): boolean {
  return (type as { _tag?: string })._tag === 'IntersectionType';
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
