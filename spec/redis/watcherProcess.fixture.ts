/**
 * A watching instance of the multi-process spec: a client sharing its watches through the Redis hub and
 * its polling lease. argv: redis URL, prefix, lease ttl, lease renewInterval. Prints "ready", then reads
 * JSON lines on stdin, { baseUrl, apiKey, tasks, numberResults }, and watches every task of a line with
 * one batched client, printing for each task:
 *   "lease <task> <true|false>"              each answer of the lease
 *   "sent <task>"                             each getResponse of the task this instance sent (at the fetch)
 *   "event <task> <index> <status> <result>"  each event
 *   "done <task>" or "error <task> <message>" at the end.
 * The safety net is out of reach (the lease answers within milliseconds, long before the default push.pollDelay of a minute): a follower hears only through the hub.
 */
import { createInterface } from 'node:readline';
import { tap } from 'rxjs';
import { createRunwareClient, createSharedHub, type SharedHub } from '../../src/index.js';
import { createRedisHub } from '../../src/redis/createRedisHub.js';

const [url = '', prefix = '', ttl = '1000', renewInterval = '200'] = process.argv.slice(2);
const redisHub = createRedisHub({ url, prefix, reconnect: { interval: 20, multiplier: 2, maxInterval: 100, jitter: 0 }, lease: { ttl: Number(ttl), renewInterval: Number(renewInterval) } });
const print = (line: string): boolean => process.stdout.write(`${line}\n`);
const hub: SharedHub = createSharedHub({
  watch: (taskUUID) => redisHub.watch(taskUUID),
  publish: (taskUUID, body) => redisHub.publish(taskUUID, body),
  acquire: (taskUUID) => redisHub.acquire(taskUUID).pipe(tap((holding) => print(`lease ${taskUUID} ${String(holding)}`))),
});
/** fetch, printing the task of each getResponse it sends. */
const countingFetch: typeof fetch = (input, init) => {
  const tasks = typeof init?.body === 'string' ? (JSON.parse(init.body) as Array<{ taskType?: string; taskUUID?: string }>) : [];
  for (const task of tasks) if (task.taskType === 'getResponse') print(`sent ${String(task.taskUUID)}`);
  return fetch(input, init);
};
await redisHub.ready;
print('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const { baseUrl, apiKey, tasks, numberResults } = JSON.parse(line) as { baseUrl: string; apiKey: string; tasks: string[]; numberResults: number };
  const client = createRunwareClient({
    baseUrl,
    apiKey,
    fetch: countingFetch,
    sharedHub: hub,
    batch: { window: 10 },
    initialDelay: 100,
    interval: 250,
    multiplier: 1,
    maxInterval: 250,
    jitter: 0,
  });
  for (const taskUUID of tasks) {
    client.watchTask(taskUUID, { numberResults }).subscribe({
      next: (event) => {
        const result = event.status === 'success' ? event.result.videoUUID ?? event.result.videoURL : event.status === 'error' ? event.error.code : '';
        print(`event ${taskUUID} ${event.index} ${event.status} ${String(result)}`);
      },
      complete: () => print(`done ${taskUUID}`),
      error: (error: unknown) => print(`error ${taskUUID} ${String(error)}`),
    });
  }
}
