/**
 * Bodies in and replies out of the server's HTTP endpoints, the same for node:http and Fetch-standard
 * runtimes: a body read up to a size limit, a JSON reply written once.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A reply before it is written, whatever the runtime. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** What the server's log is told of a refusal or failure (never written to the caller). */
  readonly log?: { readonly code: string; readonly message: string; readonly cause?: string };
}

/** A body read up to a limit: its text, or why there is none. */
export type BodyRead = { readonly text: string } | 'tooLarge' | 'aborted';

/** Reads a node:http body up to `limit` bytes; stops keeping it beyond that. */
export function readNodeBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const parsed = (request as { body?: unknown }).body;
  if (request.readableEnded && parsed !== undefined) {
    // A framework's body parser (express.json()) ran first: take its result.
    const text = typeof parsed === 'string' || Buffer.isBuffer(parsed) ? parsed.toString() : JSON.stringify(parsed);
    return Promise.resolve(Buffer.byteLength(text) <= limit ? { text } : 'tooLarge');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        chunks.length = 0;
        request.resume(); // drain without keeping; the 413 closes the connection
        resolve('tooLarge');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8') }));
    request.on('error', () => resolve('aborted'));
  });
}

/** Reads a Fetch body up to `limit` bytes; cancels the stream beyond it. */
export async function readFetchBody(request: Request, limit: number): Promise<BodyRead> {
  if (request.body === null) return { text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const read = await reader.read().catch(() => undefined);
    if (read === undefined) return 'aborted';
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return 'tooLarge';
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

export function writeNodeReply(response: ServerResponse, reply: Reply): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) };
  if (reply.body !== '') headers['Content-Type'] = 'application/json';
  response.writeHead(reply.status, headers).end(reply.body);
}
