/**
 * What the Runware proxy lets a browser send: a pure check of a request body against the allow-lists,
 * giving the tasks to forward (each rebuilt from its own fields, a getResponse with nothing but its
 * taskType and taskUUID) or the reason it is refused.
 *
 * @module
 */
import { isTaskUUID } from '../protocol/taskUUID.js';
import type { ProxyRefusal } from './proxyRefusal.js';

/** The allow-lists of a proxy, every one resolved. */
export interface ProxyPolicy {
  /** Task types a browser may submit; `getResponse` is always allowed. */
  readonly allowTaskTypes: ReadonlySet<string>;
  /** Models a submission may name. */
  readonly allowModels: ReadonlySet<string>;
  /** Most tasks in one request. */
  readonly maxTasks: number;
}

/** A task a browser sent, as forwarded: a JSON object with a string `taskType` and a valid `taskUUID`. */
export type ProxyTask = Readonly<Record<string, unknown>> & { readonly taskType: string; readonly taskUUID: string };

/** The fields a browser may never set on a submission: where results go, and a key of its own. */
const FORBIDDEN_FIELDS = ['webhookURL', 'apiKey'] as const;

/** The body's tasks when every one is allowed, else the first refusal. */
export function checkProxyTasks(text: string, policy: ProxyPolicy): { readonly ok: true; readonly tasks: readonly ProxyTask[] } | { readonly ok: false; readonly refusal: ProxyRefusal } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse('malformedBody', 'The body is not JSON.');
  }
  const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) return refuse('malformedBody', 'Send at least one task.');
  if (items.length > policy.maxTasks) return refuse('tooManyTasks', `At most ${policy.maxTasks} tasks per request.`);
  const tasks: ProxyTask[] = [];
  for (const [index, item] of items.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return refuse('malformedBody', `Task ${index} is not an object.`);
    const task = item as Record<string, unknown>;
    const { taskType, taskUUID } = task;
    if (typeof taskType !== 'string') return refuse('malformedBody', `Task ${index} has no taskType.`);
    if (typeof taskUUID !== 'string' || !isTaskUUID(taskUUID)) return refuse('malformedBody', `Task ${index} has no valid taskUUID.`);
    if (taskType === 'getResponse') {
      tasks.push({ taskType, taskUUID });
      continue;
    }
    if (!policy.allowTaskTypes.has(taskType)) return refuse('taskTypeNotAllowed', `Task type ${JSON.stringify(taskType)} is not allowed here.`);
    if (typeof task['model'] !== 'string' || !policy.allowModels.has(task['model'])) return refuse('modelNotAllowed', `Task ${index}: this model is not allowed here.`);
    const forbidden = FORBIDDEN_FIELDS.find((field) => field in task);
    if (forbidden !== undefined) return refuse('fieldNotAllowed', `Task ${index}: ${forbidden} may not be set by the browser.`);
    tasks.push({ ...task, taskType, taskUUID });
  }
  return { ok: true, tasks };
}

/** Whether every task only reads (getResponse): what the default `authorize` allows. */
export function onlyReads(tasks: readonly ProxyTask[]): boolean {
  return tasks.every((task) => task.taskType === 'getResponse');
}

function refuse(reason: ProxyRefusal['reason'], message: string): { readonly ok: false; readonly refusal: ProxyRefusal } {
  return { ok: false, refusal: { reason, message } };
}
