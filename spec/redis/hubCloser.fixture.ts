/**
 * An instance that holds one task's lease through its Redis hub and shuts down on SIGTERM as the scaling
 * guide shows (spawned by createRedisHub.spec). argv: url, prefix, taskUUID. Prints "holding <owner>"
 * once it holds the lease. On SIGTERM its last polled reply is still being published (not awaited) when
 * `hub.close()` is called: the close must land it, release the lease and report nothing. Prints every
 * error its `onError` received as "error <message>", then "closed", and exits.
 */
import { createRedisHub } from '../../src/redis/createRedisHub.js';

const [url = '', prefix = '', taskUUID = ''] = process.argv.slice(2);
const print = (line: string): boolean => process.stdout.write(`${line}\n`);
const errors: string[] = [];
// A long lease: an instance that did not release it would keep it for a minute.
const hub = createRedisHub({ url, prefix, lease: { ttl: 60_000, owner: `closer:${process.pid}` }, onError: (error) => errors.push(error.message) });
const holding = hub.acquire(taskUUID).subscribe((mine) => {
  if (mine) print(`holding closer:${process.pid}`);
});
process.once('SIGTERM', () => {
  void hub.publish(taskUUID, { taskUUID, status: 'success', videoURL: 'https://example.com/last.mp4' });
  void hub.close().then(() => {
    holding.unsubscribe();
    for (const message of errors) print(`error ${message}`);
    print('closed');
    process.exit(0);
  });
});
