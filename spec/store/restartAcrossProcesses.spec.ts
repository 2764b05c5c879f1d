/**
 * The guarantee of a durable task store, for real: a process runs videos through a store and is killed
 * with SIGKILL in the middle (some generations delivered, some not; one submit that never left it, one
 * whose ack never came back); a second process with the same store resumes. Across the two, every
 * generation is delivered, and no task is submitted twice. The simulator's clock is moved by hand, so
 * a generation finishes only when the spec says; every step waits on what the processes print.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisTaskStore } from '../../src/redis/createRedisTaskStore.js';
import { createFileTaskStore } from '../../src/server/createFileTaskStore.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/startSimulator.js';
import { followLines } from '../helpers/childLines.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const VIDEOS = 12;

interface Process {
  readonly child: ChildProcess;
  readonly lines: string[];
  until(ready: () => boolean): Promise<void>;
  /** Resolves once the process has exited (after a kill). */
  readonly exited: Promise<void>;
}

function startProcess(args: Record<string, unknown>): Process {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'restartProcess.fixture.ts'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { lines, until } = followLines(child, 'the process');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, lines, exited, until };
}

/** The lines starting with `kind`, split into words after it. */
const linesOf = (proc: Process, kind: string): string[][] => proc.lines.filter((line) => line.startsWith(`${kind} `)).map((line) => line.split(' ').slice(1));

/** The terminal events a process printed, as "<task> <index>". */
const terminal = (proc: Process): string[] => linesOf(proc, 'event').filter(([, , status]) => status !== 'processing').map(([task, index]) => `${task} ${index}`);

/** How many deliveries the store holds now, read without writing to it. */
async function deliveriesKept(args: Record<string, unknown>): Promise<number> {
  if (args['kind'] === 'file') return readFileSync(String(args['path']), 'utf8').split('\n').filter((line) => line.startsWith('{"kind":"delivery"')).length;
  const store = createRedisTaskStore({ url: String(args['url']), prefix: String(args['prefix']) });
  try {
    return (await store.unfinished()).reduce((sum, record) => sum + record.delivered.length, 0);
  } finally {
    await store.close();
  }
}

/** The deliveries a store holds, as "<task> <index>", read the way a new process reads it. */
async function recordedDeliveries(args: Record<string, unknown>): Promise<Set<string>> {
  const store = args['kind'] === 'file' ? createFileTaskStore(String(args['path'])) : createRedisTaskStore({ url: String(args['url']), prefix: String(args['prefix']) });
  try {
    const records = await store.unfinished();
    return new Set(records.flatMap((record) => record.delivered.map((event) => `${event.taskUUID} ${event.index}`)));
  } finally {
    await store.close();
  }
}

describe('a restart loses nothing: SIGKILL mid-run, then resume in a new process with the same store', function () {
  this.timeout(30_000);
  let clock = 0;
  let simulator: RunningSimulator;
  let redis: RedisServer;
  let dir: string;
  const running: Process[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runware-rx-restart-'));
    [simulator, redis] = await Promise.all([startSimulator({ now: () => clock }), startRedisServer()]);
  });
  after(async () => {
    for (const proc of running) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await simulator?.close();
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stores: ReadonlyArray<readonly [string, () => Record<string, unknown>]> = [
    ['the file store', () => ({ kind: 'file', path: join(dir, `${randomUUID()}.store`) })],
    ['the Redis store', () => ({ kind: 'redis', url: redis.url, prefix: `spec-${randomUUID()}:` })],
  ];
  for (const [name, storeArgs] of stores) {
    it(`${name}: every generation delivered across the two processes, no task submitted twice`, async () => {
      const store = storeArgs();
      const connection = { baseUrl: simulator.url, apiKey: simulator.apiKey, store };
      const before = simulator.stats();

      // The first process submits every video and sees each processing; then the first generations finish.
      const first = startProcess({ ...connection, mode: 'run', tasks: VIDEOS });
      running.push(first);
      await first.until(() => linesOf(first, 'sent').length === VIDEOS + 2 && linesOf(first, 'event').length >= 2 * VIDEOS);
      clock += 1500;
      // Killed once about half the first generations are out: some recorded, maybe one delivered and not yet recorded.
      await first.until(() => terminal(first).length >= VIDEOS / 2);
      // ...and once at least one of them is in the store, read without writing (the process appends meanwhile).
      while ((await deliveriesKept(store)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      first.child.kill('SIGKILL');
      await first.exited;

      // What the store kept of the first process' deliveries when it was killed.
      const recorded = await recordedDeliveries(store);

      // Everything has finished at Runware meanwhile; the second process only resumes.
      clock += 5000;
      const second = startProcess({ ...connection, mode: 'resume' });
      running.push(second);
      await second.until(() => second.lines.includes('done') || linesOf(second, 'failed').length > 0);
      expect(linesOf(second, 'failed')).to.deep.equal([]);

      const sent = linesOf(first, 'sent');
      const submitted = new Map(sent.map(([task, prompt]) => [task as string, prompt as string]));
      expect(linesOf(second, 'sent'), 'the resuming process submits nothing').to.deep.equal([]);
      expect(submitted.size, 'one submit per task').to.equal(sent.length);
      const after = simulator.stats();
      expect(after.tasks - before.tasks, 'tasks the simulator received: all but the one that never left').to.equal(VIDEOS + 1);
      expect(after.validationErrors - before.validationErrors, 'no taskUUID submitted twice (conflictTaskUUID)').to.equal(0);

      // Every generation of every task delivered, by one process or the other.
      const delivered = [...terminal(first), ...terminal(second)];
      const expected = [...submitted.keys()].flatMap((task) => [`${task} 0`, `${task} 1`]);
      expect([...new Set(delivered)].sort()).to.deep.equal(expected.sort());
      // Twice only for a generation delivered but not yet recorded when the kill came: never one the store kept.
      expect(terminal(second).filter((generation) => recorded.has(generation)), 'recorded generations delivered again').to.deep.equal([]);
      const twice = terminal(second).filter((generation) => terminal(first).includes(generation));
      expect(twice.every((generation) => !recorded.has(generation))).to.equal(true);
      expect(recorded.size, 'the kill came after some deliveries were recorded').to.be.above(0);
      // The task that never left the first process is not sent again: Runware does not know it, and its generations end so.
      const lost = [...submitted].find(([, prompt]) => prompt === 'never-sent')?.[0];
      expect(linesOf(second, 'event').filter(([task]) => task === lost).map(([, index, status, code]) => `${index} ${status} ${code}`)).to.deep.equal(['0 error taskNotFound', '1 error taskNotFound']);
      // The task whose ack was lost is known to Runware: resumed by polling, both generations delivered.
      const unacked = [...submitted].find(([, prompt]) => prompt === 'ack-lost')?.[0];
      expect(linesOf(second, 'event').filter(([task, , status]) => task === unacked && status === 'success')).to.have.length(2);
    });
  }
});
