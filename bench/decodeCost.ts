/**
 * CPU per poll: what runware-rx does with a reply body (decode with the io-ts codec, read the task's
 * items, reconcile into the watch state) against a bare `JSON.parse` of the same body.
 */
import { splitReply } from '../src/client/batchGetResponses.js';
import { decodeReply } from '../src/protocol/decodeReply.js';
import { readTaskReply } from '../src/protocol/taskReply.js';
import { initialWatchState, reconcile, type WatchState } from '../src/watch/reconcile.js';
import { timePerCall } from './timePerCall.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

export interface DecodeCost {
  readonly body: string;
  readonly bytes: number;
  /** Microseconds per call. */
  readonly parseMicros: number;
  readonly decodeReconcileMicros: number;
  /** decode + reconcile time over JSON.parse time. */
  readonly ratio: number;
}

function processingItem(taskUUID: string): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID, status: 'processing' };
}

function successItem(taskUUID: string, n: number): Record<string, unknown> {
  const videoUUID = `b7db282d-2943-4f12-992f-77df3ad3ec${String(n).padStart(2, '0')}`;
  return { taskType: 'videoInference', taskUUID, status: 'success', videoUUID, videoURL: `https://im.runware.ai/video/ws/0.5/vi/${videoUUID}.mp4`, cost: 0.18, seed: 1234 + n };
}

export function decodeCosts(budgetMs = 400): DecodeCost[] {
  const bodies: Array<{ name: string; body: unknown; taskUUID: string; numberResults: number }> = [
    { name: 'one video, processing (F3)', body: { data: [processingItem(TASK)] }, taskUUID: TASK, numberResults: 1 },
    { name: 'one video, success (F3)', body: { data: [successItem(TASK, 0)] }, taskUUID: TASK, numberResults: 1 },
    { name: '4 generations, 2 done', body: { data: [successItem(TASK, 0), successItem(TASK, 1), processingItem(TASK), processingItem(TASK)] }, taskUUID: TASK, numberResults: 4 },
  ];
  const results: DecodeCost[] = [];
  for (const { name, body, taskUUID, numberResults } of bodies) {
    const text = JSON.stringify(body);
    const parsed = JSON.parse(text) as unknown;
    // Steady state: the watch has seen this reply before, so reconciliation finds nothing new (the common poll).
    const state: WatchState = reconcile(initialWatchState(taskUUID), readTaskReply(decodeReply(parsed), taskUUID), numberResults).state;
    const parse = timePerCall(() => JSON.parse(text), budgetMs);
    const decode = timePerCall(() => reconcile(state, readTaskReply(decodeReply(parsed), taskUUID), numberResults), budgetMs);
    results.push({ body: name, bytes: text.length, parseMicros: parse / 1000, decodeReconcileMicros: decode / 1000, ratio: decode / parse });
  }
  // A batched poll: the batch reply is parsed once and split once, then each watch decodes its share.
  const uuids = Array.from({ length: 100 }, (_, n) => `24cd5dff-cb81-4db5-8506-${String(n).padStart(12, '0')}`);
  const batchText = JSON.stringify({ data: uuids.map((uuid) => processingItem(uuid)) });
  const batchParsed = JSON.parse(batchText) as unknown;
  const states = uuids.map((uuid) => reconcile(initialWatchState(uuid), readTaskReply(decodeReply({ data: [processingItem(uuid)] }), uuid), 1).state);
  const parse = timePerCall(() => JSON.parse(batchText), budgetMs);
  const decode = timePerCall(() => {
    const shareOf = splitReply(batchParsed);
    return uuids.map((uuid, n) => reconcile(states[n] as WatchState, readTaskReply(decodeReply(shareOf(uuid)), uuid), 1));
  }, budgetMs);
  results.push({ body: 'batch of 100 (split + 100 decodes)', bytes: batchText.length, parseMicros: parse / 1000, decodeReconcileMicros: decode / 1000, ratio: decode / parse });
  return results;
}
