/**
 * Results already in a submit's reply: what `client.run` emits before its first poll.
 *
 * @module
 */
import { foldReply, type FoldedReply } from '../watch/foldReply.js';
import { decodeReply } from '../protocol/decodeReply.js';
import { readTaskReply } from '../protocol/taskReply.js';
import { initialWatchState, type WatchRules } from '../watch/reconcile.js';

/**
 * The submit reply of `taskUUID` folded like a first poll, when it already holds a finished generation
 * (a model that answered at once, a server that sent results with the ack: the official SDKs read the
 * ack's items as results too); `undefined` for a plain ack (one placeholder, no status), which says
 * nothing about any generation, so the watch starts as it always did.
 */
export function ackResults(taskUUID: string, reply: unknown, rules: WatchRules, numberResults: number | undefined): FoldedReply | undefined {
  if (reply === undefined) return undefined;
  const read = readTaskReply(decodeReply(reply), taskUUID);
  if (read.requestErrors.length > 0 || read.generations.every((generation) => generation.kind === 'processing')) return undefined;
  return foldReply(initialWatchState(taskUUID, rules), reply, numberResults);
}
