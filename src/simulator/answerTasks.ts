/**
 * The protocol itself, without HTTP: one request's task array in, one reply (status and envelope) out.
 * Tasks are answered together; each error is scoped to its own taskUUID.
 *
 * @module
 */
import { accentOf, accentValidation } from './dialect.js';
import { INFERENCE_TASK_TYPES, type InferenceTaskType, type SimulatorSettings } from './options.js';
import { randomUUID, type Random } from './random.js';
import { renderAck, renderTaskState } from './renderTask.js';
import type { StatsCounter } from './stats.js';
import type { TaskStore } from './taskStore.js';
import { checkTaskUUID, validateInference } from './validateTask.js';
import { documentationFor, validationError, type WireError } from './wireErrors.js';

/** A reply before serialisation. */
export interface Reply {
  readonly status: number;
  readonly data: Array<Record<string, unknown>>;
  readonly errors: WireError[];
  /** Write the errors under the legacy singular `error` key (realistic dialect only). */
  readonly legacyError?: boolean;
}

/** What answering needs. */
export interface AnswerContext {
  readonly settings: SimulatorSettings;
  readonly store: TaskStore;
  readonly stats: StatsCounter;
  readonly random: Random;
  /** `http://host:port`, for media URLs. */
  readonly origin: string;
}

/**
 * Answers the tasks of one authenticated request (an `authentication` task, if any, already checked).
 * HTTP status: 200 unless no task succeeded, in which case the first refusal's status (400 for
 * validation, the `unknownTask.status` for an unknown taskUUID). In the realistic dialect, a request of
 * several tasks that polls an unknown taskUUID is refused as a whole: HTTP 400, its errors scoped to the
 * unknown tasks first (the refusal's own), then the other tasks' items as a 200 would carry them, so a
 * reader that throws a non-2xx body away loses them.
 */
export function answerTasks(tasks: ReadonlyArray<unknown>, context: AnswerContext): Reply {
  const data: Array<Record<string, unknown>> = [];
  const errors: WireError[] = [];
  let answered = 0;
  let refusalStatus: number | undefined;
  let legacyError = false;
  const unknownTasks: WireError[] = [];
  const { dialect, seed } = context.settings;
  const refuse = (error: WireError, status: number): void => {
    errors.push(accentValidation(error, accentOf(dialect, seed, typeof error['taskUUID'] === 'string' ? error['taskUUID'] : undefined)));
    refusalStatus ??= status;
  };

  for (const raw of tasks) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      context.stats.validationErrors += 1;
      refuse(validationError({ code: 'invalidTask', message: 'Every element of the request array must be a task object.', parameter: 'taskType', type: 'string', taskType: 'unknown' }), context.settings.validationStatus);
      continue;
    }
    const task = raw as Record<string, unknown>;
    const taskType = task['taskType'];
    if (taskType === 'authentication') {
      data.push({ taskType: 'authentication', connectionSessionUUID: randomUUID(context.random) });
      answered += 1;
    } else if (taskType === 'ping') {
      data.push({ taskType: 'ping', pong: true });
      answered += 1;
    } else if (taskType === 'getResponse') {
      const outcome = answerGetResponse(task, context);
      data.push(...outcome.data);
      legacyError ||= outcome.legacyError === true;
      if (outcome.refusal === undefined) {
        errors.push(...outcome.errors);
        answered += 1;
      } else {
        if (outcome.refusal.error.code === context.settings.unknownTaskCode) unknownTasks.push(outcome.refusal.error);
        refuse(outcome.refusal.error, outcome.refusal.status);
      }
    } else if (typeof taskType === 'string' && (INFERENCE_TASK_TYPES as ReadonlyArray<string>).includes(taskType)) {
      const outcome = answerInference(task, taskType as InferenceTaskType, context);
      if ('refusal' in outcome) {
        context.stats.validationErrors += 1;
        refuse(outcome.refusal, context.settings.validationStatus);
      } else {
        data.push(...outcome.data);
        errors.push(...outcome.errors);
        legacyError ||= outcome.legacyError === true;
        answered += 1;
      }
    } else {
      context.stats.validationErrors += 1;
      const taskUUID = typeof task['taskUUID'] === 'string' ? task['taskUUID'] : undefined;
      refuse(
        validationError({ code: 'unsupportedTaskType', message: `Unsupported taskType ${JSON.stringify(taskType)} (the simulator runs videoInference, imageInference, audioInference, 3dInference, getResponse, authentication, ping).`, parameter: 'taskType', type: 'string', taskType: typeof taskType === 'string' ? taskType : 'unknown', taskUUID }),
        context.settings.validationStatus,
      );
    }
  }
  const polled = tasks.filter((raw) => (raw as { taskType?: unknown } | null)?.taskType === 'getResponse').length;
  if (dialect === 'realistic' && polled > 1 && unknownTasks.length > 0) return { status: 400, data, errors: [...unknownTasks, ...errors.filter((error) => !unknownTasks.includes(error))] };
  const status = answered === 0 && refusalStatus !== undefined ? refusalStatus : 200;
  // One task's accent decides the envelope key; a request of several tasks keeps the current `errors`.
  return { status, data, errors, ...(legacyError && tasks.length === 1 ? { legacyError } : {}) };
}

function answerGetResponse(
  task: Record<string, unknown>,
  context: AnswerContext,
): { data: Array<Record<string, unknown>>; errors: ReadonlyArray<WireError>; legacyError?: boolean; refusal?: { error: WireError; status: number } } {
  const problem = checkTaskUUID(task, 'getResponse');
  if (problem !== undefined) {
    context.stats.validationErrors += 1;
    return { data: [], errors: [], refusal: { error: problem, status: context.settings.validationStatus } };
  }
  context.stats.polls += 1;
  const taskUUID = task['taskUUID'] as string;
  const stored = context.store.get(taskUUID);
  if (stored === undefined) {
    const error: WireError = {
      code: context.settings.unknownTaskCode,
      message: 'No active task was found for this taskUUID. It may never have been submitted, or it has expired.',
      documentation: documentationFor('getResponse'),
      taskType: 'getResponse',
      taskUUID,
    };
    return { data: [], errors: [], refusal: { error, status: context.settings.unknownTaskStatus } };
  }
  const parts = renderTaskState(stored, context.settings.now(), context.settings, context.origin);
  return { data: [...parts.data], errors: parts.errors, ...(parts.legacyError === true ? { legacyError: true } : {}) };
}

function answerInference(
  task: Record<string, unknown>,
  taskType: InferenceTaskType,
  context: AnswerContext,
): { data: ReadonlyArray<Record<string, unknown>>; errors: ReadonlyArray<WireError>; legacyError?: boolean } | { refusal: WireError } {
  const result = validateInference(task, taskType);
  if (!result.ok) return { refusal: result.error };
  const { request } = result;
  if (context.store.has(request.taskUUID)) {
    return {
      refusal: validationError({ code: 'conflictTaskUUID', message: 'A task with this taskUUID already exists. Generate a new UUIDv4 for every task.', parameter: 'taskUUID', type: 'string', taskType, taskUUID: request.taskUUID }),
    };
  }
  const stored = context.store.add(request);
  context.stats.tasks += 1;
  if (request.deliveryMethod === 'async') {
    // `simulate.resultInAck`: the reply already shows what is finished at submission.
    return stored.resultInAck === true ? renderTaskState(stored, stored.submittedAt, context.settings, context.origin) : { data: [renderAck(stored)], errors: [] };
  }
  // Sync delivery: answered at once with every generation finished (the simulator does not hold the socket).
  const finishedAt = stored.submittedAt + Math.max(0, ...stored.generations.map((g) => g.duration)) / context.settings.timeScale;
  return renderTaskState(stored, finishedAt, context.settings, context.origin);
}
