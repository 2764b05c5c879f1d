import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A node:http server on 127.0.0.1 for the whole `describe`, handing each request to whatever
 * `listener()` returns at that moment (each test makes its own webhook receiver).
 */
export function useLoopbackServer(listener: () => (request: IncomingMessage, response: ServerResponse) => void): { readonly origin: () => string } {
  let server: Server | undefined;
  let origin = '';
  before(async () => {
    const started = createServer((request, response) => listener()(request, response));
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });
  return { origin: () => origin };
}
