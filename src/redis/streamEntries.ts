/**
 * Redis Streams replies (RESP2, as `send` returns them) read tolerantly, and stream IDs compared.
 *
 * @module
 */

/** One stream entry: its ID (`<ms>-<seq>`) and the `body` field's text, when it has one. */
export interface StreamEntry {
  readonly id: string;
  readonly body: string | undefined;
}

/**
 * The entries of an XRANGE reply: `[[id, [field, value, ...]], ...]` (fields as a map too, as RESP3
 * clients give them). Anything else reads as none.
 */
export function readRange(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((item: unknown) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return [];
    const body = pairsOf(item[1]).find(([field]) => field === 'body')?.[1];
    return [{ id: item[0], body: typeof body === 'string' ? body : undefined }];
  });
}

/**
 * The streams of an XREAD reply: `[[key, entries], ...]` in RESP2, a map of key to entries in RESP3,
 * or null when it timed out.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { readStreams } from './streamEntries.js';
 *
 * const entries = [['1-0', ['body', '{}']]];
 * const expected = [{ key: 's', entries: [{ id: '1-0', body: '{}' }] }];
 * assert.deepEqual(readStreams([['s', entries]]), expected); // RESP2
 * assert.deepEqual(readStreams({ s: entries }), expected); // RESP3, as a plain object
 * assert.deepEqual(readStreams(new Map([['s', entries]])), expected); // RESP3, as a Map
 * assert.deepEqual(readStreams(null), []); // timed out
 * ```
 */
export function readStreams(reply: unknown): Array<{ readonly key: string; readonly entries: StreamEntry[] }> {
  if (Array.isArray(reply)) return reply.flatMap((item: unknown) => (Array.isArray(item) && typeof item[0] === 'string' ? [{ key: item[0], entries: readRange(item[1]) }] : []));
  return pairsOf(reply).map(([key, entries]) => ({ key, entries: readRange(entries) }));
}

/** Key-value pairs of a flat `[k, v, k, v]` array, a Map or a plain object; none otherwise. */
function pairsOf(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    const pairs: Array<[string, unknown]> = [];
    for (let i = 0; i + 1 < value.length; i += 2) if (typeof value[i] === 'string') pairs.push([value[i] as string, value[i + 1]]);
    return pairs;
  }
  if (value instanceof Map) return [...value].filter((pair): pair is [string, unknown] => typeof pair[0] === 'string');
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  return [];
}

/**
 * Orders two stream IDs: negative when `a` is older, 0 when equal, positive when newer.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { compareStreamIds } from './streamEntries.js';
 *
 * assert.ok(compareStreamIds('1700000000000-9', '1700000000001-0') < 0);
 * assert.ok(compareStreamIds('10-2', '9-15') > 0); // numeric, not textual
 * assert.equal(compareStreamIds('0-0', '0-0'), 0);
 * ```
 */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(toBigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(toBigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

function toBigInt(part: string): bigint {
  return /^\d+$/.test(part) ? BigInt(part) : 0n;
}
