/**
 * One process of the restart spec: a client with a durable task store (a file or Redis). argv[2] is JSON:
 * { mode: 'run' | 'resume', store: { kind: 'file', path } | { kind: 'redis', url, prefix }, baseUrl, apiKey, tasks? }.
 * `run` runs `tasks` videos (and two more whose submit is cut short: one never leaves this process, one
 * reaches the simulator but its ack never comes back, as if the process had died at those moments);
 * `resume` resumes the store. Prints, as they happen:
 *   "sent <task> <prompt>"                       each submit this process sends (at the fetch)
 *   "event <task> <index> <status> <result>"     each event delivered
 *   "done" when resume completes, "failed <message>" when it errors.
 */
import { createRunwareClient, type GenerationEvent, type RunwareTask } from '../../src/index.js';
import { createRedisTaskStore } from '../../src/redis/createRedisTaskStore.js';
import { createFileTaskStore } from '../../src/server/createFileTaskStore.js';

interface Args {
  readonly mode: 'run' | 'resume';
  readonly store: { readonly kind: 'file'; readonly path: string } | { readonly kind: 'redis'; readonly url: string; readonly prefix: string };
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly tasks?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const print = (line: string): boolean => process.stdout.write(`${line}\n`);
const store = args.store.kind === 'file' ? createFileTaskStore(args.store.path) : createRedisTaskStore({ url: args.store.url, prefix: args.store.prefix });

/** fetch, printing each submit; the two cut-short submits never answer. */
const cuttingFetch: typeof fetch = (input, init) => {
  const tasks = typeof init?.body === 'string' ? (JSON.parse(init.body) as Array<Record<string, unknown>>) : [];
  const submitted = tasks.find((task) => task['taskType'] === 'videoInference');
  if (submitted === undefined) return fetch(input, init);
  print(`sent ${String(submitted['taskUUID'])} ${String(submitted['positivePrompt']).replaceAll(' ', '-')}`);
  if (submitted['positivePrompt'] === 'never sent') return new Promise(() => undefined);
  if (submitted['positivePrompt'] === 'ack lost') return fetch(input, init).then(() => new Promise<Response>(() => undefined));
  return fetch(input, init);
};

const client = createRunwareClient({ baseUrl: args.baseUrl, apiKey: args.apiKey, fetch: cuttingFetch, store, initialDelay: 20, interval: 20, multiplier: 1, maxInterval: 20, jitter: 0, cadence: false });
const show = (event: GenerationEvent): void => {
  const result = event.status === 'success' ? event.result.videoUUID : event.status === 'error' ? event.error.code : '';
  print(`event ${event.taskUUID} ${event.index} ${event.status} ${String(result)}`);
};

/** Two videos, finished 1 s and 3 s after the submit on the simulator's hand-moved clock (a field only the simulator reads). */
const video = (positivePrompt: string): RunwareTask<'videoInference'> =>
  ({ taskType: 'videoInference', model: 'klingai:5@3', positivePrompt, duration: 5, numberResults: 2, simulate: { generations: [{ duration: 1000, fail: false }, { duration: 3000, fail: false }] } }) as RunwareTask<'videoInference'>;

if (args.mode === 'run') {
  const prompts = [...Array.from({ length: args.tasks ?? 1 }, (_, n) => `video ${n}`), 'never sent', 'ack lost'];
  for (const prompt of prompts) client.run(video(prompt)).subscribe({ next: show, error: (error: unknown) => print(`failed ${String(error)}`) });
} else {
  client.resume().subscribe({ next: show, complete: () => print('done'), error: (error: unknown) => print(`failed ${String(error)}`) });
}
