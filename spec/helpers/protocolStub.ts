/**
 * A tiny Runware protocol stub on 127.0.0.1 for integration tests: acks submitted tasks, answers
 * getResponse (batched or not) with processing items for a few polls and then successes, refuses a
 * video whose duration is 7 the way F2 does, and checks the Bearer key.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STUB_API_KEY = 'stub-key-0123456789abcdef';

export interface StubServer {
  readonly url: string;
  /** Every request received: its Authorization header and its task array. */
  readonly requests: Array<{ readonly authorization: string | undefined; readonly tasks: Array<Record<string, unknown>> }>;
  close(): Promise<void>;
}

interface Known {
  readonly taskType: string;
  readonly numberResults: number;
  polls: number;
}

export async function startStubServer(options: { readonly pollsUntilDone?: number } = {}): Promise<StubServer> {
  const pollsUntilDone = options.pollsUntilDone ?? 2;
  const known = new Map<string, Known>();
  const requests: StubServer['requests'] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const tasks = JSON.parse(text) as Array<Record<string, unknown>>;
      requests.push({ authorization: request.headers.authorization, tasks });
      const send = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== `Bearer ${STUB_API_KEY}`) {
        send(401, { errors: [{ code: 'invalidApiKey', message: 'Invalid API key.', parameter: 'apiKey', taskType: 'authentication' }] });
        return;
      }
      const data: unknown[] = [];
      const errors: unknown[] = [];
      for (const task of tasks) {
        const taskUUID = String(task['taskUUID']);
        if (task['taskType'] === 'getResponse') {
          const entry = known.get(taskUUID);
          if (entry === undefined) {
            errors.push({ code: 'taskNotFound', message: 'Task not found.', taskUUID });
            continue;
          }
          entry.polls += 1;
          for (let index = 0; index < entry.numberResults; index += 1) {
            data.push(
              entry.polls < pollsUntilDone
                ? { taskType: entry.taskType, taskUUID, status: 'processing' }
                : { taskType: entry.taskType, taskUUID, status: 'success', videoUUID: `${taskUUID.slice(0, 30)}${String(index).padStart(6, '0')}`, videoURL: `https://example.test/${index}.mp4` },
            );
          }
          continue;
        }
        if (task['duration'] === 7) {
          errors.push({ code: 'unsupportedDuration', message: 'Invalid value for duration parameter.', parameter: 'duration', type: 'float', taskUUID, allowedValues: [6] });
          continue;
        }
        known.set(taskUUID, { taskType: String(task['taskType']), numberResults: Number(task['numberResults'] ?? 1), polls: 0 });
        data.push({ taskType: task['taskType'], taskUUID });
      }
      send(200, { data, ...(errors.length > 0 ? { errors } : {}) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
