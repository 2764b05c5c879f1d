/**
 * A response body read chunk by chunk, whatever fetch gave it. Browser bundles get
 * `bodyChunks.browser.ts` instead (package.json's `browser` field): the WHATWG stream alone.
 *
 * @module
 */
import { readBodyChunks as readWebStream } from './bodyChunks.browser.js';

/**
 * Gives each chunk of the body to `take`, in order: a WHATWG stream (the platform's fetch) or a Node
 * stream (node-fetch, which cross-fetch uses on Node; leaving the loop early, as a `take` that throws
 * does, destroys it). False for a body that is neither (it is then read as text).
 */
export async function readBodyChunks(body: object, take: (chunk: unknown) => void): Promise<boolean> {
  if (await readWebStream(body, take)) return true;
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return false;
  for await (const chunk of body as AsyncIterable<unknown>) take(chunk);
  return true;
}
