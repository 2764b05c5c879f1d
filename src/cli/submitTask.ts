/**
 * Submitting one inference task and checking its acknowledgement. Deliberately small: a client with a
 * proper `submit` will replace it.
 *
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { RunwareApiError } from '../errors.js';
import { decodeReply } from '../protocol/decodeReply.js';
import { createFetchTransport } from '../transport/fetchTransport.js';

/** What to submit. */
export interface SubmitRequest {
  readonly taskType: 'videoInference' | 'imageInference' | 'audioInference';
  readonly model: string;
  readonly positivePrompt: string;
  readonly numberResults: number;
  readonly baseUrl: string;
  readonly apiKey: string;
  /** More task fields (e.g. the simulator's `simulate`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Sends `[{ taskType, taskUUID, model, positivePrompt, numberResults, deliveryMethod: 'async', includeCost: true }]`
 * and resolves with the new taskUUID once Runware acknowledged it. Rejects with the library's typed
 * errors: {@link RunwareApiError} for a refusal (validation, auth), RunwareHttpError or RunwareDecodeError otherwise.
 */
export async function submitTask(request: SubmitRequest): Promise<string> {
  const taskUUID = crypto.randomUUID();
  const transport = createFetchTransport({ apiKey: request.apiKey, baseUrl: request.baseUrl });
  const task = {
    taskType: request.taskType,
    taskUUID,
    model: request.model,
    positivePrompt: request.positivePrompt,
    numberResults: request.numberResults,
    deliveryMethod: 'async',
    includeCost: true,
    ...request.extra,
  };
  const envelope = decodeReply(await firstValueFrom(transport([task])));
  const refusal = envelope.errors?.find((error) => error.taskUUID === undefined || error.taskUUID === taskUUID);
  if (refusal !== undefined) {
    throw new RunwareApiError({ code: refusal.code, serverMessage: refusal.message, status: 200, parameter: refusal.parameter, documentation: refusal.documentation, wire: refusal, taskUUID });
  }
  if (!(envelope.data ?? []).some((item) => item.taskUUID === taskUUID)) {
    throw new RunwareApiError({ code: 'missingAcknowledgement', serverMessage: 'the reply did not acknowledge the task', status: 200, taskUUID });
  }
  return taskUUID;
}
