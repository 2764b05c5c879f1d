/**
 * What the Runware proxy lets a browser send: a pure check of a request body against the allow-lists,
 * giving the tasks to forward (each rebuilt from its own fields, a getResponse with nothing but its
 * taskType and taskUUID) or the reason it is refused.
 *
 * @module
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeIssues } from '../protocol/describeIssues.js';
import { isTaskUUID } from '../protocol/taskUUID.js';
import type { ProxyRefusal } from './proxyRefusal.js';
import { taskCodecOf } from './taskFields.js';

/** The allow-lists of a proxy, every one resolved. */
export interface ProxyPolicy {
  /** Task types a browser may submit; `getResponse` is always allowed. */
  readonly allowTaskTypes: ReadonlySet<string>;
  /** Models a submission may name. */
  readonly allowModels: ReadonlySet<string>;
  /** Most tasks in one request. */
  readonly maxTasks: number;
  /** The fields a submission of each allowed task type may carry (see `taskFields`). */
  readonly fields: ReadonlyMap<string, ReadonlySet<string>>;
  /** Most results one submission may ask for. */
  readonly maxNumberResults: number;
}

/** A task a browser sent, as forwarded: a JSON object with a string `taskType` and a valid `taskUUID`. */
export type ProxyTask = Readonly<Record<string, unknown>> & { readonly taskType: string; readonly taskUUID: string };

/** How deep a submission's values may nest: every documented parameter is far shallower. */
const MAX_DEPTH = 8;

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
    const problem = submissionProblem(task, policy);
    if (problem !== undefined) return refuse(problem.reason, `Task ${index}: ${problem.message}`);
    tasks.push({ ...task, taskType, taskUUID });
  }
  return { ok: true, tasks };
}

/**
 * Why a submission (of an allowed type and model) is not forwarded: a field outside its type's
 * allow-list, a nested task, values nested deeper than any parameter, an asynchronous delivery turned
 * synchronous, too many results, or a value its type's codec refuses.
 */
function submissionProblem(task: Readonly<Record<string, unknown>>, policy: ProxyPolicy): { readonly reason: ProxyRefusal['reason']; readonly message: string } | undefined {
  const fields = policy.fields.get(task['taskType'] as string);
  const unknown = Object.keys(task).find((field) => fields?.has(field) !== true);
  if (unknown !== undefined) return { reason: 'fieldNotAllowed', message: `${JSON.stringify(unknown.slice(0, 40))} is not forwarded from a browser.` };
  const nested = Object.values(task).map((value) => nestingProblem(value, 1)).find((found) => found !== undefined);
  if (nested !== undefined) return { reason: 'fieldNotAllowed', message: nested };
  if (task['deliveryMethod'] !== undefined && task['deliveryMethod'] !== 'async') return { reason: 'fieldNotAllowed', message: 'deliveryMethod must be "async".' };
  const numberResults = numberResultsProblem(task['numberResults'], policy.maxNumberResults);
  if (numberResults !== undefined) return { reason: 'malformedBody', message: numberResults };
  const codec = taskCodecOf(task['taskType'] as string);
  const decoded = codec?.decode(task);
  if (decoded !== undefined && isLeft(decoded)) return { reason: 'malformedBody', message: describeIssues(decoded.left, 'task').slice(0, 3).join('; ') };
  return undefined;
}

/** What is wrong with a `numberResults` (a submission's, or an event stream's query), in words; undefined when absent or a whole number from 1 to `max`. */
export function numberResultsProblem(numberResults: unknown, max: number): string | undefined {
  if (numberResults === undefined || (Number.isSafeInteger(numberResults) && (numberResults as number) >= 1 && (numberResults as number) <= max)) return undefined;
  return `numberResults must be a whole number from 1 to ${max}.`;
}

/** A nested task (an object with a `taskType`) or nesting beyond {@link MAX_DEPTH}, in words; undefined for neither. */
function nestingProblem(value: unknown, depth: number): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return `values nest deeper than ${MAX_DEPTH} levels.`;
  if (!Array.isArray(value) && Object.hasOwn(value, 'taskType')) return 'a nested task is not forwarded.';
  for (const inner of Object.values(value)) {
    const found = nestingProblem(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function refuse(reason: ProxyRefusal['reason'], message: string): { readonly ok: false; readonly refusal: ProxyRefusal } {
  return { ok: false, refusal: { reason, message } };
}
