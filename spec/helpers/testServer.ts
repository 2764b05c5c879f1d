import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A node:http server on a loopback address, port 0, whose handler a test can swap. */
export interface TestServer {
  readonly port: number;
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Requests whose connection closed before a reply was sent (aborted by the client). */
  readonly aborted: SeenRequest[];
  /** Answers each request; may leave it hanging by not ending `response`, or reset it through `request.socket`. */
  handler: (seen: SeenRequest, response: ServerResponse, request: IncomingMessage) => void;
  close(): Promise<void>;
}

/** Starts a server on `host` (127.0.0.1 by default); `port` lets a second server share the first one's port. */
export async function startTestServer(host = '127.0.0.1', port = 0): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const aborted: SeenRequest[] = [];
  const state: { handler: TestServer['handler'] } = { handler: (_request, response) => response.end('{}') };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      response.on('close', () => {
        if (!response.writableEnded) aborted.push(seen);
      });
      state.handler(seen, response, request);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    port: address.port,
    url: `http://${shownHost}:${address.port}/v1`,
    requests,
    aborted,
    get handler() {
      return state.handler;
    },
    set handler(next) {
      state.handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies with JSON and the given status. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Starts a test server for the enclosing `describe`, clears what it saw before each test, closes it after. */
export function useTestServer(): { readonly server: TestServer } {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.requests.splice(0);
    server?.aborted.splice(0);
  });
  return {
    get server(): TestServer {
      if (server === undefined) throw new Error('the test server starts in before()');
      return server;
    },
  };
}

/** Resolves once `predicate` holds, checking every few ms; rejects after `limitMs` (a guard, not an assertion on time). */
export async function eventually(predicate: () => boolean, limitMs = 3000): Promise<void> {
  const started = performance.now();
  while (!predicate()) {
    if (performance.now() - started > limitMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
