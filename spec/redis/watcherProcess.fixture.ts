/**
 * A watching instance of the multi-process spec. argv: redis URL, prefix. Reads one JSON line on
 * stdin: { tasks: string[], sentinel: string }; watches every task through the Redis hub and prints
 * "body <taskUUID> <videoURL>" for each body, then "end" once the sentinel task gets a body.
 */
import { createInterface } from 'node:readline';
import { createRedisHub } from '../../src/redis/createRedisHub.js';

const [url = '', prefix = ''] = process.argv.slice(2);
const hub = createRedisHub({ url, prefix });
await hub.ready;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const { tasks, sentinel } = JSON.parse(line) as { tasks: string[]; sentinel: string };
  for (const taskUUID of tasks) {
    hub.watch(taskUUID).subscribe((body) => {
      const { videoURL } = body as { videoURL?: string };
      process.stdout.write(`body ${taskUUID} ${String(videoURL)}\n`);
    });
  }
  hub.watch(sentinel).subscribe(() => process.stdout.write('end\n'));
}
