/**
 * A real redis-server for the specs: a free loopback port, its own temporary data directory, no
 * persistence. Ready means it answered PING; stopped means its process exited. Nothing waits on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGTERM, waits for the exit) and starts a new one on the same port, empty. */
  restart(): Promise<void>;
  /** Stops the server and starts nothing: a Redis that is away until `start()`. */
  stop(): Promise<void>;
  /** Starts the server again on the same port after `stop()`. */
  start(): Promise<void>;
  /** Stops the server and removes its data directory. Idempotent. */
  close(): Promise<void>;
}

/** Starts redis-server on a free loopback port; the caller must `close()` it (in an `after`/`finally`). */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'runware-rx-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  try {
    // A port picked free can be taken before redis binds it: try a few.
    for (let attempt = 1; child === undefined; attempt++) {
      port = await freePort();
      try {
        child = await launch(port, dir);
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running !== undefined) await terminate(running);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async start() {
      if (child === undefined) child = await launch(port, dir);
    },
    async restart() {
      await stop();
      child = await launch(port, dir);
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns redis-server (hz 100: keys expire within ~10 ms of their TTL) and resolves once it logged readiness and answered PING; rejects if it exits first. */
async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', '', '--loglevel', 'notice', '--hz', '100'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        log += chunk.toString('utf8');
        if (log.includes('Ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}) before it was ready:\n${log}`)));
    });
    await ping(port);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  return child;
}

/** One PING over a raw socket: resolves on +PONG. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\r\n')) return;
      socket.destroy();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`redis-server answered PING with ${reply}`));
    });
    socket.write('PING\r\n');
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
