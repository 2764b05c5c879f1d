/**
 * The contract of a task store: what `createRunwareClient({ store })` records before it submits a task
 * and as it delivers its generations, so that `client.resume()` in another process finishes what this
 * one left. Types only, free of Node modules: the client imports it, and a store may live anywhere
 * (memory, a file, Redis, a database of the app's own).
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { GenerationErrorEvent, SuccessEvent } from '../events/events.js';

/** A store's answer: a Promise, or an Observable that emits once and completes (sync ones keep virtual-time tests exact). */
export type StoreAnswer<T> = Promise<T> | Observable<T>;

/** A generation's terminal event, as delivered to the app and recorded. */
export type DeliveredEvent = SuccessEvent | GenerationErrorEvent;

/** A task as recorded before it is sent. */
export interface StoredTask {
  readonly taskUUID: string;
  readonly taskType: string;
  /** The task's `model` (AIR), when it names one. */
  readonly model?: string | undefined;
  /** Generations expected (the task's `numberResults`, 1 by default). */
  readonly numberResults: number;
  /** Under which learned durations its generations are scheduled (see `cadenceKey`). */
  readonly cadenceKey?: string | undefined;
  /** `requestFingerprint(task)`: a changed request under the same taskUUID is refused, never silently reused. */
  readonly fingerprint: string;
  /** When it was recorded, just before it was sent, on the client's scheduler clock (epoch ms by default). */
  readonly submittedAt: number;
}

/** A task as the store holds it: the recorded task and what happened to it since. */
export interface TaskRecord extends StoredTask {
  /** Runware acknowledged it. False after a crash between the record and the ack: it may or may not exist. */
  readonly acked: boolean;
  /** Generations delivered: one terminal event per index, in no particular order. */
  readonly delivered: ReadonlyArray<DeliveredEvent>;
  /** When it ended (every generation delivered, or Runware refused or does not know it); `undefined` while unfinished. */
  readonly endedAt: number | undefined;
}

/** One learned duration (a `Cadence.observe` call), as shared through the store. */
export interface LearnedDuration {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly startedAt?: number | undefined;
  /** Which client learned it, so that a client reading the store back skips its own. */
  readonly origin: string;
}

/** Learned durations recorded after a cursor, and the cursor to read on from. */
export interface LearnedSince {
  readonly durations: ReadonlyArray<LearnedDuration>;
  /** Opaque: pass it to the next `learnedSince`. */
  readonly cursor: string;
}

/**
 * Where a client records its tasks. Three implementations ship: `createMemoryTaskStore` (the default,
 * nothing survives the process), `createFileTaskStore` (`runware-rx/server`: one process at a time) and
 * `createRedisTaskStore` (`runware-rx/redis`: many processes, one store); an app may write its own
 * against this contract (spec/helpers/taskStoreContract.ts checks all three the same way).
 *
 * The contract:
 * - Every write answers once it is durable (as durable as the store can make it), and writes are
 *   applied in the order they are made: an answer means that write and every earlier one are kept.
 * - `recordTask` of a taskUUID already held replaces nothing: the first record stays.
 * - A delivery or an end of a task not held is ignored (it was dropped after its retention).
 * - `recordDelivery` of an index already delivered is ignored: one terminal event per index.
 * - A task is unfinished until `recordEnd`, or until as many generations as its `numberResults` are
 *   delivered; an ended task is dropped `retention` ms after its end (each store documents its default).
 * - Learned durations are kept newest last; a store may drop the oldest (each documents how many it keeps).
 * - A store that cannot read what it holds fails its answers with an error saying so; it never drops
 *   what it cannot read.
 */
export interface TaskStore extends AnsweringTaskStore<StoreAnswer<unknown>> {}

/**
 * One answer of a store whose answers are of kind `A` (`Promise<unknown>`, `Observable<unknown>`, or
 * either: the contract), as a `T`. Distributes over `A`, so a store that answers one way is a `TaskStore`.
 */
export type Answer<A extends StoreAnswer<unknown>, T> = A extends Promise<unknown> ? Promise<T> : Observable<T>;

/** The methods of a task store whose answers are of kind `A` ({@link TaskStore} has the contract). */
export interface AnsweringTaskStore<A extends StoreAnswer<unknown>> {
  /** Records a task before it is sent. */
  recordTask(task: StoredTask): Answer<A, void>;
  /** Runware acknowledged the task. */
  recordAck(taskUUID: string): Answer<A, void>;
  /** One generation was delivered to the app (recorded right after its delivery). */
  recordDelivery(event: DeliveredEvent): Answer<A, void>;
  /** Nothing more will come of the task; `at` on the client's scheduler clock. */
  recordEnd(taskUUID: string, at: number): Answer<A, void>;
  /** The task held under `taskUUID` (finished ones within their retention), or `undefined`. */
  task(taskUUID: string): Answer<A, TaskRecord | undefined>;
  /** Every task held as unfinished, oldest record first. */
  unfinished(): Answer<A, ReadonlyArray<TaskRecord>>;
  /** Appends learned durations (the client's cadence), for this process' next start and for the others. */
  recordLearned(durations: ReadonlyArray<LearnedDuration>): Answer<A, void>;
  /** The learned durations recorded after `cursor` (`undefined`: every one kept). */
  learnedSince(cursor: string | undefined): Answer<A, LearnedSince>;
}

/** A task store whose every answer is a Promise (the file and Redis stores). */
export interface PromisedTaskStore extends AnsweringTaskStore<Promise<unknown>> {}

/** A task store whose every answer is an Observable (the memory store: synchronous ones). */
export interface ObservedTaskStore extends AnsweringTaskStore<Observable<unknown>> {}
