/**
 * The HTTP side of the simulator: routing, CORS, authentication, faults and media, around
 * {@link answerTasks}.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerTasks, type AnswerContext } from './answerTasks.js';
import { faultReply, renderReply, replacesReply, type WireReply } from './faultReplies.js';
import type { Fault, FaultPlanner } from './faults.js';
import { MEDIA_FORMATS, mediaBytes } from './media.js';
import { authError, legacyAuthError } from './wireErrors.js';

/** Largest request body accepted, in bytes; bigger ones get 413 (a memory bound, not Runware's limit). */
export const MAX_BODY_BYTES = 1_048_576;

/** Everything the request handler needs. */
export interface HandlerContext extends AnswerContext {
  readonly faults: FaultPlanner;
  /** Schedules a real-time callback (the only timer of the simulator), cancelled by close(). */
  readonly later: (ms: number, callback: () => void) => void;
}

const MEDIA_PATH = /^\/media\/([0-9a-f-]{36})\.(mp4|png|mp3|glb)$/i;

/** Handles one HTTP request. Never throws: every failure becomes a reply. */
export function createRequestHandler(context: HandlerContext): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    setCorsHeaders(request, response);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'Content-Length': '0' }).end();
      return;
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && MEDIA_PATH.test(path)) {
      serveMedia(path, request, response, context);
      return;
    }
    if (path === '/v1' || path === '/v1/') {
      if (request.method !== 'POST') {
        sendJson(response, { status: 405, headers: { Allow: 'POST, OPTIONS' }, body: JSON.stringify({ errors: [{ code: 'methodNotAllowed', message: 'Use POST with a JSON array of tasks.' }] }) });
        return;
      }
      readBody(request, response, (text) => handleApi(text, request, response, context));
      return;
    }
    sendJson(response, { status: 404, headers: {}, body: JSON.stringify({ errors: [{ code: 'notFound', message: `Nothing at ${request.method ?? 'GET'} ${path}. The API is POST /v1.` }] }) });
  };
}

function handleApi(text: string, request: IncomingMessage, response: ServerResponse, context: HandlerContext): void {
  context.stats.requests += 1;
  let tasks: unknown;
  try {
    tasks = JSON.parse(text);
  } catch {
    tasks = undefined;
  }
  if (!Array.isArray(tasks) || tasks.length === 0) {
    context.stats.validationErrors += 1;
    sendJson(response, {
      status: 400,
      headers: {},
      body: JSON.stringify({ errors: [{ code: 'invalidRequestBody', message: 'The body must be a non-empty JSON array of tasks.', documentation: 'https://runware.ai/docs/platform/errors' }] }),
    });
    return;
  }
  const refusal = checkAuth(request, tasks, context.settings.apiKey);
  if (refusal !== undefined) {
    context.stats.authFailures += 1;
    // The realistic dialect answers a bad key sent in an authentication task in the 2024 form.
    const legacy = context.settings.dialect === 'realistic' && refusal === 'invalidApiKey' && request.headers.authorization === undefined;
    sendJson(response, { status: 401, headers: {}, body: JSON.stringify(legacy ? legacyAuthError() : { errors: [authError(refusal)] }) });
    return;
  }
  const taskTypes = tasks.map((task: unknown) => (typeof task === 'object' && task !== null ? (task as { taskType?: unknown }).taskType : undefined)).filter((type): type is string => typeof type === 'string');
  const fault = context.faults.applies(taskTypes) ? context.faults.next() : undefined;
  if (fault !== undefined) context.stats.faults[fault.kind] = (context.stats.faults[fault.kind] ?? 0) + 1;
  playFault(fault, tasks, response, context);
}

function playFault(fault: Fault | undefined, tasks: ReadonlyArray<unknown>, response: ServerResponse, context: HandlerContext): void {
  const answer = (): void => sendJson(response, renderReply(answerTasks(tasks, context), fault));
  if (fault === undefined) return answer();
  switch (fault.kind) {
    case 'hang':
      // Never answer; close() ends the socket.
      return;
    case 'reset':
      response.socket?.destroy();
      return;
    case 'slow':
      context.later(fault.delay, answer);
      return;
    default:
      if (replacesReply(fault)) sendJson(response, faultReply(fault));
      else answer();
  }
}

/** Why a request is refused, or undefined when its key is right (header, or an authentication task first). */
function checkAuth(request: IncomingMessage, tasks: ReadonlyArray<unknown>, apiKey: string): 'invalidApiKey' | 'missingApiKey' | undefined {
  const keys: string[] = [];
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    keys.push(match?.[1] ?? '');
  }
  const first = tasks[0] as { taskType?: unknown; apiKey?: unknown } | null;
  if (typeof first === 'object' && first !== null && first.taskType === 'authentication') keys.push(typeof first.apiKey === 'string' ? first.apiKey : '');
  if (keys.length === 0) return 'missingApiKey';
  return keys.every((key) => sameKey(key, apiKey)) ? undefined : 'invalidApiKey';
}

/** Compares digests in constant time, so the key cannot be guessed from response timing. */
function sameKey(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function serveMedia(path: string, request: IncomingMessage, response: ServerResponse, context: HandlerContext): void {
  const [, uuid = '', extension = ''] = MEDIA_PATH.exec(path) ?? [];
  const kind = context.store.mediaKind(uuid.toLowerCase());
  if (kind === undefined || MEDIA_FORMATS[kind].extension !== extension.toLowerCase()) {
    sendJson(response, { status: 404, headers: {}, body: JSON.stringify({ errors: [{ code: 'mediaNotFound', message: 'No such media file.' }] }) });
    return;
  }
  context.stats.mediaRequests += 1;
  const bytes = mediaBytes(kind);
  response.writeHead(200, { 'Content-Type': MEDIA_FORMATS[kind].contentType, 'Content-Length': String(bytes.length), 'Cache-Control': 'public, max-age=3600' });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** Reads a body up to {@link MAX_BODY_BYTES}; answers 413 beyond it. */
function readBody(request: IncomingMessage, response: ServerResponse, then: (text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  request.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      tooLarge = true;
      chunks.length = 0;
      sendJson(response, { status: 413, headers: { Connection: 'close' }, body: JSON.stringify({ errors: [{ code: 'requestTooLarge', message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` }] }) });
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (!tooLarge) then(Buffer.concat(chunks).toString('utf8'));
  });
  request.on('error', () => {
    // The client went away; nothing to answer.
  });
}

function sendJson(response: ServerResponse, reply: WireReply): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) };
  response.writeHead(reply.status, headers).end(reply.body);
}

/** CORS for any origin: the simulator holds no user data and a browser page on another port must reach it. */
function setCorsHeaders(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Methods', 'POST, GET, HEAD, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Accept');
  response.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  response.setHeader('Access-Control-Max-Age', '600');
  if (request.headers['access-control-request-private-network'] === 'true') response.setHeader('Access-Control-Allow-Private-Network', 'true');
}
