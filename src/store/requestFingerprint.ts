/**
 * A request's fingerprint: what a task store keeps beside a taskUUID so that a task submitted again
 * under the same taskUUID with other parameters is refused instead of silently answered with the old
 * task's results (a resumed operation that ignores changed parameters, and still bills, is a pitfall
 * peers' users hit).
 *
 * @module
 */
import { fingerprint } from '../protocol/taskReply.js';

/** Fields that say how a task is delivered, not what it asks for. */
const DELIVERY_FIELDS: ReadonlySet<string> = new Set(['taskUUID', 'deliveryMethod', 'webhookURL']);

/**
 * `fnv1a64:<16 hex digits>`, a hash of the task's content with key order aside, leaving out `taskUUID`,
 * `deliveryMethod` and `webhookURL` (a receiver's token may change between two processes). Not a
 * security measure: it tells two requests apart, nothing more.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { requestFingerprint } from './requestFingerprint.js';
 *
 * const task = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a fox' };
 * // Key order, the taskUUID and the delivery fields aside.
 * const reordered = { positivePrompt: 'a fox', model: 'klingai:5@3', taskType: 'videoInference', taskUUID: '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c', deliveryMethod: 'async' };
 * assert.equal(requestFingerprint(reordered), requestFingerprint(task));
 * assert.notEqual(requestFingerprint({ ...task, positivePrompt: 'a wolf' }), requestFingerprint(task));
 * ```
 */
export function requestFingerprint(task: Readonly<Record<string, unknown>>): string {
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) if (!DELIVERY_FIELDS.has(key)) content[key] = value;
  return `fnv1a64:${fnv1a64(fingerprint(content))}`;
}

/** FNV-1a, 64 bits, over the UTF-16 code units of `text`, as 16 hex digits (two 32-bit halves: no BigInt in the loop). */
function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let index = 0; index < text.length; index += 1) {
    low = (low ^ text.charCodeAt(index)) >>> 0;
    // (high, low) * prime: low * 0x1b3, high * 0x1b3 + low << 8 (the 2^40 term lands in the high half)
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x1_0000_0000);
    const nextHigh = (Math.imul(high, 0x1b3) + carry + ((low << 8) >>> 0)) >>> 0;
    low = lowProduct >>> 0;
    high = nextHigh;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
