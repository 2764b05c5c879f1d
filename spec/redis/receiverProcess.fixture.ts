/**
 * The receiving instance of the multi-process spec: a webhook receiver on a loopback port whose hub
 * is Redis. argv: redis URL, prefix, secret. Prints "ready <port>"; runs until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedisHub } from '../../src/redis/createRedisHub.js';
import { createWebhookReceiver } from '../../src/server/createWebhookReceiver.js';

const [url = '', prefix = '', secret = '', port = '0'] = process.argv.slice(2);
const hub = createRedisHub({ url, prefix });
await hub.ready;
const server = createServer();
await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
const { port: bound } = server.address() as AddressInfo;
const webhooks = createWebhookReceiver({ publicUrl: `http://127.0.0.1:${bound}/hook`, secret, pushHub: hub });
server.on('request', webhooks.listener);
process.stdout.write(`ready ${bound}\n`);
