import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the stub server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** Answers one request; may leave it hanging by not ending `res`. */
export type StubHandler = (request: SeenRequest, res: ServerResponse, req: IncomingMessage) => void;

export interface StubServer {
  /** `http://127.0.0.1:<port>/v1` */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Requests whose connection closed before a reply was sent (aborted by the client). */
  readonly aborted: SeenRequest[];
  handle(handler: StubHandler): void;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1, port 0, whose behaviour each test sets with `handle`. */
export async function startStubServer(): Promise<StubServer> {
  const requests: SeenRequest[] = [];
  const aborted: SeenRequest[] = [];
  let handler: StubHandler = (_request, res) => res.writeHead(500).end();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      res.on('close', () => {
        if (!res.writableEnded) aborted.push(seen);
      });
      handler(seen, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    aborted,
    handle: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies with JSON. */
export function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(payload));
}

/** Resolves once `predicate` holds, checking every few ms; rejects after `limitMs` (a guard, not an assertion on time). */
export async function eventually(predicate: () => boolean, limitMs = 3000): Promise<void> {
  const started = performance.now();
  while (!predicate()) {
    if (performance.now() - started > limitMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Starts a stub server for the enclosing `describe`, clears what it saw before each test, closes it after. */
export function useStubServer(): { readonly server: StubServer } {
  let server: StubServer | undefined;
  before(async () => {
    server = await startStubServer();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.requests.splice(0);
    server?.aborted.splice(0);
  });
  return {
    get server(): StubServer {
      if (server === undefined) throw new Error('the stub server starts in before()');
      return server;
    },
  };
}
