import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { createPollLease, type PollLease, type PollLeaseOptions } from '../../src/redis/createPollLease.js';
import { openRedisConnection } from '../../src/redis/redisConnection.js';
import { followLease as follow } from '../helpers/followLease.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));

describe('createPollLease (against a real redis-server)', function () {
  let server: RedisServer;
  let leases: PollLease[] = [];
  let children: ChildProcess[] = [];
  let prefix = '';
  const open = (options: Partial<PollLeaseOptions> = {}): PollLease => {
    // A lease that outlives any pause of a loaded machine (no test here waits for one to expire but the
    // killed holder's, whose ttl is its own), tried every 100 ms.
    const lease = createPollLease({ url: server.url, prefix, ttl: 60_000, renewInterval: 100, reconnect: { interval: 20, multiplier: 2, maxInterval: 100, jitter: 0 }, ...options });
    leases.push(lease);
    return lease;
  };
  const holderOf = async (taskUUID: string): Promise<unknown> => {
    const connection = openRedisConnection({ url: server.url }, 'runware-rx:spec:admin');
    try {
      await connection.ready;
      return await connection.send(['GET', `${prefix}{${taskUUID}}:lease`]);
    } finally {
      connection.close();
    }
  };

  /** Two leases on one task: `a` took it first, `b` (asking in upper case if told) listens. */
  const contended = async (upperCase = false) => {
    const [a, b] = [open(), open()];
    // Connected first, so each first answer is a real try: `a` holds the task when `b` asks (before its
    // connection, an instance says true: see the fail-open spec below).
    await Promise.all([a.ready, b.ready]);
    const taskUUID = randomUUID();
    const first = follow(a.acquire(taskUUID));
    await first.next(true);
    const second = follow(b.acquire(upperCase ? taskUUID.toUpperCase() : taskUUID));
    await second.next(false);
    return { a, b, taskUUID, first, second };
  };

  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    prefix = `spec-${randomUUID()}:`;
  });
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children = [];
    await Promise.all(leases.map((lease) => lease.close()));
    leases = [];
  });

  it('lets one instance hold a task at a time: the holder polls, the other listens', async () => {
    const { a, taskUUID, first, second } = await contended(true);
    expect(await holderOf(taskUUID)).to.equal(a.owner);
    // a second watch of the task in the same process shares the lease
    expect(a.acquire(taskUUID)).to.equal(a.acquire(taskUUID));
    first.stop();
    second.stop();
  });

  it('hands the task over when its holder lets go (unsubscribe releases the lease)', async () => {
    const { a, b, taskUUID, first, second } = await contended();
    first.stop();
    await second.next(true);
    expect(await holderOf(taskUUID)).to.equal(b.owner);
    expect(second.values).to.deep.equal([false, true]);
    second.stop();
  });

  it('takes over from a holder process that was killed, once its lease expires', async function () {
    this.timeout(30_000); // a process to start (tsx compiles it), then its lease to expire
    const taskUUID = randomUUID();
    // The holder's lease lives 3 s: longer than a loaded machine freezes it, so it is lost only to the kill.
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'leaseHolder.fixture.ts'), server.url, prefix, taskUUID, '3000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const childOwner = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /holding (\S+)\n/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`lease holder exited (${String(code)})`)));
    });
    const b = open();
    const watcher = follow(b.acquire(taskUUID));
    await watcher.next(false);
    expect(await holderOf(taskUUID)).to.equal(childOwner);
    // What must hold while the holder lives: b ends on false and never says true after its first false.
    // A `true` before it is the fail-open of a first connection slower than renewInterval (a loaded
    // machine): see the spec below.
    const whileHeld = [...watcher.values];
    expect(whileHeld.slice(whileHeld.indexOf(false))).to.deep.equal([false]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL'); // no release: the lease must expire
    await exited;
    await watcher.next(true);
    expect(await holderOf(taskUUID)).to.equal(b.owner);
    expect(watcher.values.slice(whileHeld.length)).to.deep.equal([true]);
    watcher.stop();
  });

  it('says true (fail-open) when its first connection takes longer than renewInterval, then steps back once it finds the holder', async () => {
    const taskUUID = randomUUID();
    const holder = open();
    await holder.ready; // its first answer is a real try: it holds the key
    const held = follow(holder.acquire(taskUUID));
    await held.next(true);
    // The follower's clock runs 150 ms before its connection can be up: a slow Redis, or a busy machine.
    const clock = new VirtualTimeScheduler(VirtualAction, 150);
    const slow = open({ scheduler: clock });
    const answers = follow(slow.acquire(taskUUID));
    clock.flush();
    expect(answers.values).to.deep.equal([true]);
    await answers.next(false);
    expect(answers.values).to.deep.equal([true, false]);
    expect(await holderOf(taskUUID)).to.equal(holder.owner);
    answers.stop();
    held.stop();
  });

  it('tells every instance to poll while Redis cannot be asked', async () => {
    const { a, b, taskUUID, first, second } = await contended();
    await server.stop();
    try {
      await second.next(true);
      expect(first.values).to.deep.equal([true]);
    } finally {
      await server.start();
    }
    // back: the empty Redis hands the lease to one of them again
    await Promise.race([first.next(false), second.next(false)]);
    const holder = await holderOf(taskUUID);
    expect([a.owner, b.owner]).to.include(holder);
    first.stop();
    second.stop();
  });

  it('says true after renewInterval when Redis cannot be reached from the start, and contends once it can', async () => {
    const taskUUID = randomUUID();
    await server.stop();
    const late = open(); // its first connection fails
    const third = follow(late.acquire(taskUUID));
    try {
      await third.next(true);
      expect(third.values).to.deep.equal([true]);
    } finally {
      await server.start();
    }
    // Redis is back: it contends like any instance. Of it and another, one holds the task, the other steps back.
    const other = open();
    const second = follow(other.acquire(taskUUID));
    await Promise.race([third.next(false), second.next(false)]);
    const holder = await holderOf(taskUUID);
    expect(holder).to.be.oneOf([late.owner, other.owner]);
    const [holding, waiting] = holder === late.owner ? [third, second] : [second, third];
    expect([holding.values.at(-1), waiting.values.at(-1)]).to.deep.equal([true, false]);
    third.stop();
    second.stop();
  });

  it('checks its options', () => {
    expect(() => createPollLease({ url: server.url, ttl: 100, renewInterval: 100 })).to.throw(RangeError, 'renewInterval');
    expect(() => createPollLease({ url: server.url, ttl: 0 })).to.throw(RangeError, 'ttl');
    // Redis refuses a connection name with a space: such a lease would never connect.
    expect(() => createPollLease({ url: server.url, owner: 'the other hub' })).to.throw(RangeError, 'owner');
  });
});
