/**
 * io-ts decode failures in words a person can act on: one line per failure, `path: expected T, got V`.
 * Shared by reply decoding and task validation.
 *
 * @module
 */
import type * as t from 'io-ts';
import { previewValue } from './previewValue.js';

/** How many failures a decode or validation error lists. */
export const MAX_ISSUES = 5;

/**
 * One line per failure, at most {@link MAX_ISSUES}, duplicates removed. The path leaves out the member
 * indexes of intersections (`data.0.status`, not `data.0.1.status`); a union that fails is reported once,
 * as the union at its path, not once per member. `root` names the value itself when the path is empty.
 */
export function describeIssues(errors: t.Errors, root: string): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const unionAt = error.context.findIndex((entry) => tagOf(entry.type) === 'UnionType');
    const context = unionAt === -1 ? error.context : error.context.slice(0, unionAt + 1);
    const steps: string[] = [];
    context.forEach((entry, position) => {
      const isMemberIndex = tagOf(context[position - 1]?.type) === 'IntersectionType';
      if (entry.key !== '' && !isMemberIndex) steps.push(entry.key);
    });
    const last = context[context.length - 1];
    lines.add(`${steps.join('.') || root}: expected ${last?.type.name ?? 'value'}, got ${previewValue(unionAt === -1 ? error.value : last?.actual)}`);
    if (lines.size >= MAX_ISSUES) break;
  }
  return [...lines];
}

function tagOf(type: t.Decoder<unknown, unknown> | undefined): string | undefined {
  return (type as { _tag?: string } | undefined)?._tag;
}
