/**
 * `createFileTaskStore`: a task store in one append-only file, for a Node process that restarts (a
 * deploy, a crash) and must finish what it submitted.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open, readFile, rename, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { resolveLimits, type TaskStoreOptions } from '../store/createMemoryTaskStore.js';
import { ledgerEntries, ledgerSize, TaskLedger } from '../store/taskLedger.js';
import { readTaskStoreEntry, type TaskStoreEntry } from '../store/taskStoreEntry.js';
import type { PromisedTaskStore } from '../store/TaskStore.js';

/** Options of {@link createFileTaskStore}. All durations are milliseconds. */
export interface FileTaskStoreOptions extends TaskStoreOptions {
  /**
   * Flush each batch of writes to the disk (`fsync`) before answering: a write then survives a power
   * cut, not only a crash of the process. Writes made together share one flush.
   * @defaultValue true
   */
  readonly fsync?: boolean;
}

/** A task store in a file; `close()` when done with it. */
export interface FileTaskStore extends PromisedTaskStore {
  readonly path: string;
  /** Resolves once the file is read (rejects with the reason it cannot be). Awaiting it is optional. */
  readonly ready: Promise<void>;
  /** Waits for the writes made so far, then closes the file. Idempotent; writes after it reject. */
  close(): Promise<void>;
}

/** The first line of every store file: what it is, and the version of its entries. */
const HEADER = { format: 'runware-rx-task-store', version: 1 } as const;

/** A journal is rewritten from what it holds once it has this many more entries than that, and twice as many. */
const COMPACT_SLACK = 1000;

/**
 * A task store kept in the file at `path`: one JSON entry per line, appended as it is written, in the
 * order written; created when missing. Read once, when the store is created; the file is rewritten
 * (a temporary file renamed over it, so a crash leaves the old one or the new one whole) when ended
 * tasks past their `retention` or old learned durations make up most of it.
 *
 * A crash in the middle of an append leaves a torn last line: it is set aside (truncated) on the next
 * open and everything before it is read. A file that is not a task store, or whose lines cannot be read
 * (edited by hand, another program's), is refused: every answer fails with an error naming the file and
 * the line, and the file is left as it is. One process at a time: several processes appending to one
 * file would not see each other's records (use `createRedisTaskStore` of `runware-rx/redis`).
 *
 * @example
 * ```ts
 * import { createRunwareClient } from 'runware-rx';
 * import { createFileTaskStore } from 'runware-rx/server';
 *
 * const client = createRunwareClient({ store: createFileTaskStore('./runware-tasks.store') });
 * // At start: finish what the previous process left, then carry on.
 * client.resume().subscribe((event) => console.log('resumed', event.taskUUID, event.index, event.status));
 * ```
 */
export function createFileTaskStore(path: string, options: FileTaskStoreOptions = {}): FileTaskStore {
  if (typeof path !== 'string' || path === '') throw new TypeError('createFileTaskStore: path must be a file path');
  const scheduler: SchedulerLike = options.scheduler ?? asyncScheduler;
  const ledger = new TaskLedger(resolveLimits('createFileTaskStore', options, Infinity));
  const fsync = options.fsync ?? true;
  let handle: FileHandle | undefined;
  /** Entries in the file now (the header aside). */
  let journalled = 0;
  let closed = false;
  let queue: Array<{ readonly line: string; readonly done: (error?: unknown) => void }> = [];
  let flushing: Promise<void> | undefined;

  const ready = (async () => {
    const found = await readJournal(path);
    for (const entry of found.entries) ledger.apply(entry, scheduler.now());
    ledger.prune(scheduler.now());
    journalled = found.entries.length;
    if (found.tornAt !== undefined && !found.missing) await truncate(path, found.tornAt);
    if (found.missing) await rewrite(path, [], fsync);
    else if (shouldCompact()) await compact();
    handle = await open(path, constants.O_APPEND | constants.O_WRONLY);
  })();
  // Every answer reports a failed open; this keeps it from being an unhandled rejection meanwhile.
  ready.catch(() => undefined);

  function shouldCompact(): boolean {
    const held = ledgerSize(ledger);
    return journalled > held + COMPACT_SLACK && journalled > 2 * held;
  }

  /** Rewrites the file from what is held; a failure leaves the old file, still appended to, as it was. */
  async function compact(): Promise<void> {
    const entries = ledgerEntries(ledger);
    try {
      await rewrite(path, entries, fsync);
    } catch {
      return;
    }
    // The old handle appends to the file the rename replaced: the new one takes over.
    const replaced = handle;
    handle = await open(path, constants.O_APPEND | constants.O_WRONLY);
    journalled = entries.length;
    await replaced?.close();
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await ready;
        if (handle === undefined) throw new Error(`createFileTaskStore: ${path} is closed`);
        await handle.write(batch.map((item) => item.line).join(''));
        if (fsync) await handle.sync();
        journalled += batch.length;
        ledger.prune(scheduler.now());
        if (shouldCompact()) await compact();
        for (const item of batch) item.done();
      } catch (error) {
        for (const item of batch) item.done(error);
      }
    }
    flushing = undefined;
  }

  const write = (entry: TaskStoreEntry): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new Error(`createFileTaskStore: ${path} is closed`));
      ready.then(
        () => {
          ledger.apply(entry, scheduler.now());
          queue.push({ line: `${JSON.stringify(entry)}\n`, done: (error) => (error === undefined ? resolve() : reject(error)) });
          flushing ??= flush();
        },
        reject,
      );
    });
  const read = async <T>(answer: () => T): Promise<T> => {
    await ready;
    ledger.prune(scheduler.now());
    return answer();
  };

  return {
    path,
    ready,
    recordTask: (task) => write({ kind: 'task', task }),
    recordAck: (taskUUID) => write({ kind: 'ack', taskUUID }),
    recordDelivery: (event) => write({ kind: 'delivery', event }),
    recordEnd: (taskUUID, at) => write({ kind: 'end', taskUUID, at }),
    recordLearned: (durations) => write({ kind: 'learned', durations: [...durations] }),
    task: (taskUUID) => read(() => ledger.task(taskUUID)),
    unfinished: () => read(() => ledger.unfinished()),
    learnedSince: (cursor) => read(() => ledger.learnedSince(cursor)),
    async close() {
      if (closed) return;
      closed = true;
      await ready.catch(() => undefined);
      while (flushing !== undefined) await flushing;
      await handle?.close();
      handle = undefined;
    },
  };
}

/** What a store file holds: its entries, where a torn last line starts (if any), whether it has no header yet (missing, empty, or torn in its header). */
interface Journal {
  readonly entries: TaskStoreEntry[];
  readonly tornAt: number | undefined;
  readonly missing: boolean;
}

/** Reads the file at `path`; throws an Error naming the file and the line for one that cannot be read. */
async function readJournal(path: string): Promise<Journal> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { entries: [], tornAt: undefined, missing: true };
    throw error;
  }
  const refuse = (line: number, why: string): Error =>
    new Error(`createFileTaskStore: cannot read ${path}, line ${line}: ${why}. The file was left as it is; move it aside to start an empty store.`);
  const lastNewline = bytes.lastIndexOf(0x0a);
  // A crash mid-append leaves a last line without its newline: set aside, it never answered a write.
  const tornAt = lastNewline + 1 < bytes.length ? lastNewline + 1 : undefined;
  const lines = bytes.subarray(0, lastNewline + 1).toString('utf8').split('\n').slice(0, -1);
  if (lines.length === 0) {
    // Not one whole line: a store whose header was being written, or another file, which is not ours to cut.
    if (!`${JSON.stringify(HEADER)}\n`.startsWith(bytes.toString('utf8'))) throw refuse(1, 'not a runware-rx task store (its first line is not the store header)');
    return { entries: [], tornAt, missing: true };
  }
  const header = parseLine(lines[0] as string);
  if (typeof header !== 'object' || header === null || (header as { format?: unknown }).format !== HEADER.format) throw refuse(1, 'not a runware-rx task store (its first line is not the store header)');
  if ((header as { version?: unknown }).version !== HEADER.version) throw refuse(1, `a task store of version ${JSON.stringify((header as { version?: unknown }).version)}, this runware-rx reads version ${HEADER.version}`);
  const entries: TaskStoreEntry[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const text = lines[index] as string;
    if (text.trim() === '') continue;
    const value = parseLine(text);
    if (value === undefined) throw refuse(index + 1, 'not JSON');
    try {
      entries.push(readTaskStoreEntry(value, `line ${index + 1}`));
    } catch (error) {
      throw refuse(index + 1, (error as Error).message);
    }
  }
  return { entries, tornAt, missing: false };
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes a whole journal to a temporary file, flushed, and renames it over `path`: the old file or the new one, never half of one. */
async function rewrite(path: string, entries: ReadonlyArray<TaskStoreEntry>, fsync: boolean): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.write([HEADER, ...entries].map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    if (fsync) await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  if (fsync) await syncDirectory(dirname(path));
}

/** Flushes a directory's entry list, so a rename survives a power cut (not every platform allows it). */
async function syncDirectory(path: string): Promise<void> {
  try {
    const directory = await open(path, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch {
    // Windows cannot open a directory: the rename is as durable as the platform makes it.
  }
}
