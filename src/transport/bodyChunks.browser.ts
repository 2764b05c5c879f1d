/**
 * A response body read chunk by chunk, as browser bundles get it (package.json's `browser` field maps
 * `dist/transport/bodyChunks.js` here): the WHATWG stream every browser's fetch gives. `bodyChunks.ts`,
 * which Node and other runtimes get, reads this stream the same way and adds node-fetch's Node streams.
 *
 * @module
 */

/** Gives each chunk of a WHATWG stream body to `take`, in order; false for a body that is not one (it is then read as text). */
export async function readBodyChunks(body: object, take: (chunk: unknown) => void): Promise<boolean> {
  if (typeof (body as ReadableStream<Uint8Array>).getReader !== 'function') return false;
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) take(next.value);
  } finally {
    reader.releaseLock();
  }
  return true;
}
