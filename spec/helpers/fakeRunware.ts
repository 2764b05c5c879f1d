/**
 * A small stand-in for Runware over real HTTP on 127.0.0.1 (port 0), for the example and browser
 * tests: each task answers `processing` for its first `pollsUntilDone - 1` getResponse requests, then
 * `success` with a videoURL served by the same server. Answers CORS preflights so a page on another
 * loopback origin can call it. Not the simulator: it knows only what these tests need.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { processing, reply, success } from '../../src/testing/replies.js';

export interface FakeRunware {
  readonly baseUrl: string;
  /** getResponse requests received, per taskUUID. */
  readonly polls: ReadonlyMap<string, number>;
  /** Authorization headers seen (to check the key is sent as a Bearer token). */
  readonly authorizations: ReadonlyArray<string | undefined>;
  close(): Promise<void>;
}

export const VIDEO_BYTES = 'not really an mp4, but bytes all the same';

export async function startFakeRunware(pollsUntilDone = 2): Promise<FakeRunware> {
  const polls = new Map<string, number>();
  const authorizations: Array<string | undefined> = [];
  let baseUrl = '';
  const server: Server = createServer((request, response) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    if (request.method === 'GET' && request.url?.startsWith('/video/')) {
      response.writeHead(200, { ...cors, 'Content-Type': 'video/mp4' }).end(VIDEO_BYTES);
      return;
    }
    void readJson(request).then((tasks) => {
      authorizations.push(request.headers.authorization);
      const task = Array.isArray(tasks) ? (tasks[0] as { taskUUID?: unknown } | undefined) : undefined;
      const taskUUID = typeof task?.taskUUID === 'string' ? task.taskUUID : '';
      const count = (polls.get(taskUUID) ?? 0) + 1;
      polls.set(taskUUID, count);
      const done = success({ taskUUID });
      const body =
        count < pollsUntilDone
          ? reply(processing({ taskUUID, progress: Math.round((100 * count) / pollsUntilDone) }))
          : reply({ ...done, videoURL: `${baseUrl}/video/${String(done['videoUUID'])}.mp4` });
      response.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    polls,
    authorizations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
