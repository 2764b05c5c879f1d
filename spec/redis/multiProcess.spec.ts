/**
 * Several instances behind one Redis, for real: a receiver process, two watcher processes (clients
 * sharing their watches through the Redis hub and its polling lease) and the simulator, which delivers
 * webhooks to the receiver only. Every phase synchronises on what the processes print, never on time:
 * the simulator of the later phases runs on a clock the spec moves by hand, so a task finishes only
 * when the spec says so.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryHub } from '../../src/push/memoryHub.js';
import { createWebhookReceiver } from '../../src/server/createWebhookReceiver.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/startSimulator.js';
import { followLines } from '../helpers/childLines.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TASKS = 200;
const LEASE_TTL = 1000;

interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: string[];
  /** The lines "<kind> <task> <rest>" by kind, then task: the rest of each, in order. */
  readonly byKind: Map<string, Map<string, string[]>>;
  /** Resolves once `ready()` holds, checked now and after every new line; rejects if the process exits first. */
  until(ready: () => boolean): Promise<void>;
  send(command: unknown): void;
}

function startInstance(name: string, fixture: string, args: string[]): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, fixture), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const byKind = new Map<string, Map<string, string[]>>();
  const { lines, until } = followLines(child, name, (line) => {
    const [kind = '', task = '', ...rest] = line.split(' ');
    const byTask = byKind.get(kind) ?? new Map<string, string[]>();
    byKind.set(kind, byTask);
    byTask.set(task, [...(byTask.get(task) ?? []), rest.join(' ')]);
  });
  return {
    name,
    child,
    lines,
    byKind,
    until,
    send: (command) => child.stdin?.write(`${JSON.stringify(command)}\n`),
  };
}

/** The lines of `instance` about `tasks` that start with `kind`, without the kind and the task. */
function about(instance: Instance, kind: string, tasks: ReadonlySet<string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [task, rest] of instance.byKind.get(kind) ?? []) if (tasks.has(task)) found.set(task, rest);
  return found;
}

/** How many tasks of `tasks` have a line of `kind`. */
function count(instance: Instance, kind: string, tasks: ReadonlySet<string>): number {
  let found = 0;
  for (const task of tasks) if (instance.byKind.get(kind)?.has(task) === true) found += 1;
  return found;
}

/** Every task has an answer from both leases, and exactly one of them says true: one holder each. */
function leasesSettled(watchers: ReadonlyArray<Instance>, tasks: ReadonlySet<string>): boolean {
  const leases = watchers.map((watcher) => watcher.byKind.get('lease') ?? new Map<string, string[]>());
  return [...tasks].every((task) => leases.filter((byTask) => byTask.get(task)?.at(-1) === 'true').length === 1 && leases.every((byTask) => byTask.has(task)));
}

function done(watcher: Instance, tasks: ReadonlySet<string>): boolean {
  return count(watcher, 'done', tasks) + count(watcher, 'error', tasks) === tasks.size;
}

/**
 * The terminal events of `watcher` for `tasks` as "<task> <status> <result>", sorted, after checking
 * that no event came twice, that no watch failed, and that each task's terminal events took distinct
 * indices. The index is left out of the comparison between instances: a generation's slot is given in
 * order of arrival, and a holder folds its own poll before the webhook the hub relays (or after).
 */
function terminalEvents(watcher: Instance, tasks: ReadonlySet<string>): string[] {
  const byTask = about(watcher, 'event', tasks);
  const events = [...byTask].flatMap(([task, lines]) => lines.map((line) => `${task} ${line}`));
  expect(new Set(events).size, `${watcher.name}: no event twice`).to.equal(events.length);
  expect([...about(watcher, 'error', tasks)].slice(0, 2), `${watcher.name}: no watch failed`).to.deep.equal([]);
  const terminal = [...byTask].flatMap(([task, lines]) => lines.filter((line) => !line.includes(' processing')).map((line) => ({ task, index: line.split(' ')[0], rest: line.split(' ').slice(1).join(' ') })));
  for (const task of tasks) {
    const indices = terminal.filter((event) => event.task === task).map((event) => event.index);
    expect(new Set(indices).size, `${watcher.name}: one terminal event per generation of ${task}`).to.equal(indices.length);
  }
  return terminal.map((event) => `${event.task} ${event.rest}`).sort();
}

describe('several processes behind one Redis (a receiver, two watchers sharing polls, the simulator)', function () {
  this.timeout(30_000);
  const secret = 'a multi-process test secret, 32 characters or more';
  const prefix = `spec-${randomUUID()}:`;
  let server: RedisServer;
  let receiver: Instance;
  let watchers: Instance[];
  let clock = 0;
  let clocked: RunningSimulator;

  /** Starts watching `tasks` of the `simulator` in both watchers. */
  const watchAll = (simulator: RunningSimulator, tasks: ReadonlyArray<string>, numberResults: number): void => {
    for (const watcher of watchers) watcher.send({ baseUrl: simulator.url, apiKey: simulator.apiKey, tasks, numberResults });
  };
  const submit = async (simulator: RunningSimulator, tasks: ReadonlyArray<Record<string, unknown>>): Promise<void> => {
    const response = await fetch(simulator.url, { method: 'POST', headers: { Authorization: `Bearer ${simulator.apiKey}` }, body: JSON.stringify(tasks) });
    expect(response.ok).to.equal(true);
  };
  const video = (taskUUID: string, numberResults: number): Record<string, unknown> => ({ taskType: 'videoInference', taskUUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', numberResults });
  const newTasks = (): string[] => Array.from({ length: TASKS }, () => randomUUID());
  /**
   * New tasks on the hand-moved simulator (they finish when the spec moves its clock), watched by both
   * watchers until each has seen every task processing and every task has one lease holder.
   */
  const watchedAndLeased = async (): Promise<{ readonly list: string[]; readonly tasks: ReadonlySet<string> }> => {
    const list = newTasks();
    const tasks = new Set(list);
    await submit(clocked, list.map((taskUUID) => video(taskUUID, 1)));
    watchAll(clocked, list, 1);
    await bothSawProcessing(tasks);
    await Promise.all(watchers.map((watcher) => watcher.until(() => leasesSettled(watchers, tasks))));
    return { list, tasks };
  };
  /** Both watchers saw every task processing (the holder polled it, the follower heard it from the hub). */
  const bothSawProcessing = (tasks: ReadonlySet<string>) => Promise.all(watchers.map((watcher) => watcher.until(() => count(watcher, 'event', tasks) === tasks.size)));

  before(async () => {
    server = await startRedisServer();
    receiver = startInstance('receiver', 'receiverProcess.fixture.ts', [server.url, prefix, secret]);
    watchers = ['watcher A', 'watcher B'].map((name) => startInstance(name, 'watcherProcess.fixture.ts', [server.url, prefix, String(LEASE_TTL), '250']));
    const simulatorClock = (): number => clock;
    [clocked] = await Promise.all([
      startSimulator({ now: simulatorClock, durations: { videoInference: 60_000 } }),
      receiver.until(() => receiver.lines.some((line) => line.startsWith('ready '))),
      ...watchers.map((watcher) => watcher.until(() => watcher.lines.includes('ready'))),
    ]);
  });
  after(async () => {
    for (const { child } of [receiver, ...watchers]) if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await clocked?.close();
    await server?.close();
  });

  it('delivers every webhook received by one instance to both watchers exactly once, and polls each task from one instance only', async () => {
    const port = Number(receiver.lines.find((line) => line.startsWith('ready '))?.split(' ')[1]);
    // Same publicUrl and secret as the receiver: any instance can make a task's webhookURL.
    const urls = createWebhookReceiver({ publicUrl: `http://127.0.0.1:${port}/hook`, secret, pushHub: createMemoryHub() });
    const simulator = await startSimulator({ timeScale: 1000 }); // videos of 30 to 240 s finish in 30 to 240 ms
    try {
      const list = newTasks();
      const tasks = new Set(list);
      watchAll(simulator, list, 2);
      await submit(simulator, list.map((taskUUID) => ({ ...video(taskUUID, 2), webhookURL: urls.urlFor(taskUUID) })));
      await Promise.all(watchers.map((watcher) => watcher.until(() => done(watcher, tasks))));
      const [a, b] = watchers.map((watcher) => terminalEvents(watcher, tasks));
      expect(a).to.have.length(TASKS * 2);
      expect(b).to.deep.equal(a);
      expect(simulator.webhookStats().scheduled).to.equal(TASKS * 2);
      // Only an instance that held a task's lease polled it: a task whose lease stayed with one instance
      // was polled by that one at most (not at all when the webhooks settled it before the holder's first
      // poll, as on a fast machine; a holder frozen longer than the lease ttl by a loaded machine loses
      // its lease, and then both poll: the documented price of a takeover). The simulator answered no more
      // polls than they sent (a poll cut short when a webhook settled its task may be aborted first).
      const sends = watchers.map((watcher) => about(watcher, 'sent', tasks));
      const leases = watchers.map((watcher) => about(watcher, 'lease', tasks));
      for (const task of list) {
        const holders = leases.map((byTask) => byTask.get(task)?.includes('true') === true);
        const pollers = sends.map((byTask) => byTask.has(task));
        expect(pollers.filter((polled, index) => polled && holders[index] !== true), `instances that polled ${task} without its lease`).to.deep.equal([]);
        if (holders.filter(Boolean).length === 1) expect(pollers.filter(Boolean), `instances polling ${task}`).to.have.length.at.most(1);
      }
      const sent = sends.reduce((sum, byTask) => sum + [...byTask.values()].reduce((total, lines) => total + lines.length, 0), 0);
      expect(simulator.stats().polls).to.be.within(1, sent);
    } finally {
      await urls.pushHub.close();
      await simulator.close();
    }
  });

  it('loses nothing and doubles nothing when redis-server restarts mid-run: the hub resumes and the leases are taken again', async () => {
    const { list, tasks } = await watchedAndLeased();
    const leaseLines = watchers.map((watcher) => [...(watcher.byKind.get('lease')?.values() ?? [])].reduce((sum, answers) => sum + answers.length, 0));
    await server.restart(); // empty: no persistence
    // The followers' leases said true while Redis was away (so they polled on their own), and one lease
    // per task is taken again now.
    const leaseLinesNow = (watcher: Instance): number => [...(watcher.byKind.get('lease')?.values() ?? [])].reduce((sum, answers) => sum + answers.length, 0);
    const changed = (): boolean => watchers.some((watcher, index) => leaseLinesNow(watcher) > (leaseLines[index] ?? 0));
    await Promise.all(watchers.map((watcher) => watcher.until(() => changed() && leasesSettled(watchers, tasks))));
    clock += 3_600_000; // every task finishes; a follower hears it only through the hub (its safety net is 10 minutes away)
    await Promise.all(watchers.map((watcher) => watcher.until(() => done(watcher, tasks))));
    const [a, b] = watchers.map((watcher) => terminalEvents(watcher, tasks));
    expect(a).to.have.length(TASKS);
    expect(b).to.deep.equal(a);
  });

  it('takes over the tasks of a lease holder that was killed: the other instance polls them and loses nothing', async () => {
    const { list, tasks } = await watchedAndLeased();
    // Kill the instance holding more of the tasks (SIGKILL: no release, its leases must expire).
    const held = watchers.map((watcher) => [...about(watcher, 'lease', tasks)].filter(([, answers]) => answers.at(-1) === 'true').map(([task]) => task));
    const victim = (held[0]?.length ?? 0) >= (held[1]?.length ?? 0) ? 0 : 1;
    const [killed, survivor] = victim === 0 ? [watchers[0], watchers[1]] : [watchers[1], watchers[0]];
    if (killed === undefined || survivor === undefined) throw new Error('two watchers');
    const orphans = held[victim] ?? [];
    expect(orphans.length).to.be.at.least(TASKS / 2);
    const sentBefore = new Map([...about(survivor, 'sent', tasks)].map(([task, lines]) => [task, lines.length]));
    const exited = new Promise((resolve) => killed.child.once('exit', resolve));
    killed.child.kill('SIGKILL');
    await exited;
    clock += 3_600_000;
    await survivor.until(() => done(survivor, tasks));
    expect(terminalEvents(survivor, tasks)).to.have.length(TASKS);
    // The survivor took each orphan's lease and polled it after the kill.
    const leases = about(survivor, 'lease', tasks);
    const sent = about(survivor, 'sent', tasks);
    expect(orphans.filter((task) => leases.get(task)?.at(-1) !== 'true' || (sent.get(task)?.length ?? 0) <= (sentBefore.get(task) ?? 0))).to.deep.equal([]);
  });
});
