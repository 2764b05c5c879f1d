/**
 * A separate process that holds one task's lease until it is killed (spawned by createPollLease.spec).
 * argv: url, prefix, taskUUID, lease ttl in ms. Prints "holding <owner>" once it holds the lease.
 */
import { createPollLease } from '../../src/redis/createPollLease.js';

const [url = '', prefix = '', taskUUID = '', ttl = '3000'] = process.argv.slice(2);
const lease = createPollLease({ url, prefix, ttl: Number(ttl), renewInterval: 100 });
lease.acquire(taskUUID).subscribe((mine) => {
  if (mine) process.stdout.write(`holding ${lease.owner}\n`);
});
