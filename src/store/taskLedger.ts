/**
 * A task store's state in memory: the entries folded into task records and learned durations, with
 * the retention rules of the contract. The memory store is this; the file store is this plus a journal.
 *
 * @module
 */
import type { DeliveredEvent, LearnedDuration, LearnedSince, StoredTask, TaskRecord } from './TaskStore.js';
import type { TaskStoreEntry } from './taskStoreEntry.js';

/** How long a ledger keeps what. */
export interface LedgerLimits {
  /** Milliseconds an ended task is kept after its end. */
  readonly retention: number;
  /** Tasks held at most; beyond it the oldest record is forgotten, finished or not. */
  readonly maxTasks: number;
  /** Learned durations kept; beyond it the oldest are forgotten. */
  readonly maxLearned: number;
}

/** A task as a ledger holds it. */
export interface HeldTask {
  readonly task: StoredTask;
  acked: boolean;
  readonly delivered: DeliveredEvent[];
  endedAt: number | undefined;
}

/** The folded entries of a store. Times passed in (`now`) are the store's clock. */
export class TaskLedger {
  /** Insertion order is record order: the first is the oldest. Read-only outside. */
  readonly tasks = new Map<string, HeldTask>();
  /** Ended tasks, in order of their end: the first is dropped first. */
  private readonly ended: string[] = [];
  /** Read-only outside. */
  learned: LearnedDuration[] = [];
  /** Sequence number of `learned[0]` among every duration ever recorded here. */
  private learnedOffset = 0;

  constructor(private readonly limits: LedgerLimits) {}

  /** Folds one entry in, at `now`. */
  apply(entry: TaskStoreEntry, now: number): void {
    switch (entry.kind) {
      case 'task': {
        const key = entry.task.taskUUID.toLowerCase();
        if (this.tasks.has(key)) return;
        this.tasks.set(key, { task: entry.task, acked: false, delivered: [], endedAt: undefined });
        if (this.tasks.size > this.limits.maxTasks) this.tasks.delete(this.tasks.keys().next().value as string);
        return;
      }
      case 'ack': {
        const held = this.tasks.get(entry.taskUUID.toLowerCase());
        if (held !== undefined) held.acked = true;
        return;
      }
      case 'delivery': {
        const key = entry.event.taskUUID.toLowerCase();
        const held = this.tasks.get(key);
        if (held === undefined || held.delivered.some((event) => event.index === entry.event.index)) return;
        held.delivered.push(entry.event);
        if (held.delivered.length >= held.task.numberResults) this.end(key, held, now);
        return;
      }
      case 'end': {
        const key = entry.taskUUID.toLowerCase();
        const held = this.tasks.get(key);
        if (held !== undefined) this.end(key, held, entry.at);
        return;
      }
      case 'learned': {
        this.learned.push(...entry.durations);
        const surplus = this.learned.length - this.limits.maxLearned;
        if (surplus > 0) {
          this.learned = this.learned.slice(surplus);
          this.learnedOffset += surplus;
        }
      }
    }
  }

  /** Drops the tasks that ended `retention` ms or more before `now`. */
  prune(now: number): void {
    while (this.ended.length > 0) {
      const key = this.ended[0] as string;
      const held = this.tasks.get(key);
      if (held !== undefined && held.endedAt !== undefined && held.endedAt + this.limits.retention > now) return;
      this.ended.shift();
      if (held?.endedAt !== undefined) this.tasks.delete(key);
    }
  }

  task(taskUUID: string): TaskRecord | undefined {
    const held = this.tasks.get(taskUUID.toLowerCase());
    return held === undefined ? undefined : recordOf(held);
  }

  unfinished(): TaskRecord[] {
    const found: TaskRecord[] = [];
    for (const held of this.tasks.values()) if (held.endedAt === undefined) found.push(recordOf(held));
    return found;
  }

  learnedSince(cursor: string | undefined): LearnedSince {
    const after = cursor === undefined ? 0 : Number(cursor);
    const from = Number.isSafeInteger(after) ? Math.max(0, after - this.learnedOffset) : 0;
    return { durations: this.learned.slice(from), cursor: String(this.learnedOffset + this.learned.length) };
  }

  private end(key: string, held: HeldTask, at: number): void {
    if (held.endedAt !== undefined) return;
    held.endedAt = at;
    this.ended.push(key);
  }
}

function recordOf(held: HeldTask): TaskRecord {
  return { ...held.task, acked: held.acked, delivered: [...held.delivered], endedAt: held.endedAt };
}

// Functions rather than methods, so that the memory store (every client's default) does not ship them.

/** What `ledger` holds, as the fewest entries that fold back into it (a compacted journal). */
export function ledgerEntries(ledger: TaskLedger): TaskStoreEntry[] {
  const entries: TaskStoreEntry[] = [];
  for (const held of ledger.tasks.values()) {
    entries.push({ kind: 'task', task: held.task });
    if (held.acked) entries.push({ kind: 'ack', taskUUID: held.task.taskUUID });
    for (const event of held.delivered) entries.push({ kind: 'delivery', event });
    if (held.endedAt !== undefined) entries.push({ kind: 'end', taskUUID: held.task.taskUUID, at: held.endedAt });
  }
  if (ledger.learned.length > 0) entries.push({ kind: 'learned', durations: ledger.learned });
  return entries;
}

/** How many entries `ledgerEntries` would return, counted without building them. */
export function ledgerSize(ledger: TaskLedger): number {
  let size = ledger.learned.length > 0 ? 1 : 0;
  for (const held of ledger.tasks.values()) size += 1 + (held.acked ? 1 : 0) + held.delivered.length + (held.endedAt === undefined ? 0 : 1);
  return size;
}
