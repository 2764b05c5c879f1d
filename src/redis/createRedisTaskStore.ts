/**
 * `createRedisTaskStore`: a task store on Redis, shared by every process of a service, so that any of
 * them finishes what another left and all of them learn durations from all.
 *
 * @module
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { resolveLimits, type TaskStoreOptions } from '../store/createMemoryTaskStore.js';
import { readTaskStoreEntry, type TaskStoreEntry } from '../store/taskStoreEntry.js';
import type { DeliveredEvent, LearnedDuration, LearnedSince, PromisedTaskStore, StoredTask, TaskRecord } from '../store/TaskStore.js';
import { openRedisConnection, type RedisConnectionOptions } from './redisConnection.js';

/** Options of {@link createRedisTaskStore}. All durations are milliseconds. */
export interface RedisTaskStoreOptions extends RedisConnectionOptions, TaskStoreOptions {
  /** Prefix of every key the store writes, so several apps can share one Redis. @defaultValue 'runware-rx:' */
  readonly prefix?: string;
}

/** A task store on Redis; `close()` when done with it. */
export interface RedisTaskStore extends PromisedTaskStore {
  /** Resolves once connected the first time (it waits while Redis cannot be reached). Awaiting it is optional: answers wait for it. */
  readonly ready: Promise<void>;
  /** Lets the writes already sent finish, then closes the connection; answers asked after it fail. Idempotent. */
  close(): Promise<void>;
}

/** Records a task unless its key exists: the hash, and its place in the unfinished set. */
const RECORD_TASK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'task', ARGV[1], 'n', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
return 1`;

const RECORD_ACK = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'acked', '1')
return 1`;

/** Ends a task once: the end time, out of the unfinished set, dropped after the retention. */
const END = `
local function finish(at)
  if redis.call('HSETNX', KEYS[1], 'ended', at) == 1 then
    redis.call('ZREM', KEYS[2], ARGV[3])
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
end`;

const RECORD_END = `${END}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
finish(ARGV[1])
return 1`;

/** One terminal event per index; the task ends when as many as its numberResults are in. */
const RECORD_DELIVERY = `${END}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'd:' .. ARGV[4], ARGV[5]) == 0 then return 0 end
local delivered = redis.call('HINCRBY', KEYS[1], 'delivered', 1)
if delivered >= tonumber(redis.call('HGET', KEYS[1], 'n')) then finish(ARGV[1]) end
return 1`;

/**
 * A task store on the Redis at `url`. Under `prefix`: a hash per task (`task:<uuid>`: the record, the
 * ack, one field per delivered generation, the end), a sorted set of the unfinished ones by submission
 * time (`unfinished`), and a stream of learned durations (`learned`, trimmed to about `maxLearned`).
 * Every write is one atomic script, so two processes never deliver the same index twice into it. An
 * ended task's hash expires `retention` ms after its end; an unfinished one never expires.
 *
 * What is durable is what Redis keeps: run it with AOF (`appendonly yes`, `appendfsync everysec` or
 * `always`) for the store to outlive a restart of Redis itself.
 *
 * @example
 * ```ts
 * import { createRunwareClient } from 'runware-rx';
 * import { createRedisTaskStore } from 'runware-rx/redis';
 *
 * const store = createRedisTaskStore({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
 * const client = createRunwareClient({ store });
 * client.resume().subscribe((event) => console.log('resumed', event.taskUUID, event.index, event.status));
 * ```
 */
export function createRedisTaskStore(options: RedisTaskStoreOptions): RedisTaskStore {
  if (typeof options !== 'object' || options === null || typeof options.url !== 'string') throw new TypeError('createRedisTaskStore: url must be a redis:// or rediss:// URL string');
  const prefix = options.prefix ?? 'runware-rx:';
  if (typeof prefix !== 'string') throw new TypeError('createRedisTaskStore: prefix must be a string');
  const { retention, maxLearned } = resolveLimits('createRedisTaskStore', options, Infinity);
  const scheduler: SchedulerLike = options.scheduler ?? asyncScheduler;
  const connection = openRedisConnection(options, `runware-rx:task-store:${prefix}`);
  connection.ready.catch(() => undefined);
  // The first connection is waited for (a client runs tasks right after creating its store); after it, a
  // command fails at once while Redis is away, and the run that asked fails with it (nothing is sent).
  const send = async (command: ReadonlyArray<string>): Promise<unknown> => {
    await connection.ready;
    return connection.send(command);
  };
  const taskKey = (taskUUID: string): string => `${prefix}task:${taskUUID.toLowerCase()}`;
  const unfinishedKey = `${prefix}unfinished`;
  const learnedKey = `${prefix}learned`;
  const script = async (source: string, taskUUID: string, args: ReadonlyArray<string>): Promise<void> => {
    await send(['EVAL', source, '2', taskKey(taskUUID), unfinishedKey, ...args]);
  };
  const end = (taskUUID: string, at: number, source: string, extra: ReadonlyArray<string> = []): Promise<void> =>
    script(source, taskUUID, [String(at), String(Math.max(1, Math.ceil(retention))), taskUUID.toLowerCase(), ...extra]);

  const read = async (taskUUID: string): Promise<TaskRecord | undefined> => {
    const reply = await send(['HGETALL', taskKey(taskUUID)]);
    return recordOf(fieldsOf(reply), taskKey(taskUUID));
  };

  return {
    ready: connection.ready,
    close: () => connection.close(),
    recordTask: (task) => script(RECORD_TASK, task.taskUUID, [JSON.stringify(task), String(task.submittedAt), String(task.numberResults), task.taskUUID.toLowerCase()]),
    recordAck: (taskUUID) => script(RECORD_ACK, taskUUID, []),
    recordDelivery: (event) => end(event.taskUUID, scheduler.now(), RECORD_DELIVERY, [String(event.index), JSON.stringify(event)]),
    recordEnd: (taskUUID, at) => end(taskUUID, at, RECORD_END),
    task: read,
    async unfinished() {
      const uuids = (await send(['ZRANGE', unfinishedKey, '0', '-1'])) as string[];
      const records = await Promise.all(uuids.map((taskUUID) => read(taskUUID)));
      return records.filter((record): record is TaskRecord => record !== undefined && record.endedAt === undefined);
    },
    async recordLearned(durations) {
      if (durations.length === 0) return;
      await send(['XADD', learnedKey, 'MAXLEN', '~', String(Math.max(1, maxLearned)), '*', 'durations', JSON.stringify(durations)]);
    },
    async learnedSince(cursor): Promise<LearnedSince> {
      const entries = (await send(['XRANGE', learnedKey, cursor === undefined ? '-' : `(${cursor}`, '+'])) as Array<[string, string[]]>;
      const durations: LearnedDuration[] = [];
      for (const [id, fields] of entries) {
        const entry = decode(parseJson(fields[1]), `${learnedKey} entry ${id}`, (value) => ({ kind: 'learned', durations: value }));
        if (entry.kind === 'learned') durations.push(...entry.durations);
      }
      return { durations, cursor: entries.at(-1)?.[0] ?? cursor ?? '0-0' };
    },
  };
}

/** HGETALL's flat reply as a map. */
function fieldsOf(reply: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  const flat = Array.isArray(reply) ? (reply as string[]) : [];
  for (let index = 0; index + 1 < flat.length; index += 2) fields.set(String(flat[index]), String(flat[index + 1]));
  return fields;
}

/** A task's hash as a record, each part checked like a file store's entries; an error naming the key for one that cannot be read. */
function recordOf(fields: Map<string, string>, key: string): TaskRecord | undefined {
  const taskText = fields.get('task');
  if (taskText === undefined) return undefined;
  const taskEntry = decode(parseJson(taskText), `${key} task`, (task) => ({ kind: 'task', task }));
  const task = (taskEntry as Extract<TaskStoreEntry, { kind: 'task' }>).task as StoredTask;
  const delivered: DeliveredEvent[] = [];
  for (const [field, text] of fields) {
    if (!field.startsWith('d:')) continue;
    const entry = decode(parseJson(text), `${key} ${field}`, (event) => ({ kind: 'delivery', event }));
    delivered.push((entry as Extract<TaskStoreEntry, { kind: 'delivery' }>).event);
  }
  delivered.sort((a, b) => a.index - b.index);
  const ended = fields.get('ended');
  return { ...task, acked: fields.get('acked') === '1', delivered, endedAt: ended === undefined ? undefined : Number(ended) };
}

function decode(value: unknown, where: string, wrap: (value: unknown) => unknown): TaskStoreEntry {
  try {
    return readTaskStoreEntry(wrap(value), where);
  } catch (error) {
    throw new Error(`createRedisTaskStore: cannot read ${where}: ${(error as Error).message}. It was left as it is.`);
  }
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
