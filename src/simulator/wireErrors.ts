/**
 * The error objects the simulator puts in `errors[]`, in the documented shape: `code`, `message`, and
 * where they apply `parameter`, `type`, `documentation`, `taskType`, `taskUUID` (the fixtures VALIDATION_ERROR,
 * VIDEO_FAILED and AUTH_ERROR of runware-rx/testing).
 *
 * @module
 */

/** An `errors[]` entry as sent. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

const DOCS = 'https://runware.ai/docs/en';

/** The API reference page of a task type, as Runware links it from errors. */
export function documentationFor(taskType: string): string {
  switch (taskType) {
    case 'videoInference':
      return `${DOCS}/video-inference/api-reference`;
    case 'imageInference':
      return `${DOCS}/image-inference/api-reference`;
    case 'audioInference':
      return `${DOCS}/audio-inference/api-reference`;
    case '3dInference':
      return `${DOCS}/3d-inference/api-reference`;
    case 'getResponse':
      return `${DOCS}/utilities/task-responses`;
    default:
      return 'https://runware.ai/docs/platform/errors';
  }
}

/** The documented authentication failure (AUTH_ERROR shape); used for 401 replies. */
export function authError(code: 'invalidApiKey' | 'missingApiKey'): WireError {
  return {
    code,
    message: code === 'invalidApiKey' ? 'Invalid API key. Get one at https://my.runware.ai/signup' : 'Missing API key. Send Authorization: Bearer <key> or an authentication task first.',
    parameter: 'apiKey',
    type: 'string',
    taskType: 'authentication',
  };
}

/**
 * The 2024 form of a refused `authentication` task, as the connection guide of that year shows it: the
 * error fields beside `error: true`, no `code`. The realistic dialect answers a bad key in an
 * authentication task with it.
 */
export function legacyAuthError(): Record<string, unknown> {
  return { error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' };
}

/** A validation error of one task parameter (VALIDATION_ERROR shape). */
export function validationError(details: {
  readonly code: string;
  readonly message: string;
  readonly parameter: string;
  readonly type: string;
  readonly taskType: string;
  readonly taskUUID?: string | undefined;
  readonly extra?: Readonly<Record<string, unknown>>;
}): WireError {
  return {
    code: details.code,
    message: details.message,
    parameter: details.parameter,
    type: details.type,
    documentation: `${documentationFor(details.taskType)}#request-${details.parameter.toLowerCase()}`,
    taskType: details.taskType,
    ...(details.taskUUID === undefined ? {} : { taskUUID: details.taskUUID }),
    ...details.extra,
  };
}

/** Messages of the generation failure codes the docs show; other codes get a generic one. */
const FAILURE_MESSAGES: Readonly<Record<string, string>> = {
  timeoutProvider: 'The external provider did not respond within the timeout window. The request was automatically terminated.',
  providerError: 'The external provider returned an error while processing the request.',
  contentPolicyViolation: 'The request was rejected by the provider content policy.',
  inferenceError: 'An error occurred during inference.',
};

/** The message for a generation failure code. */
export function failureMessage(code: string): string {
  return FAILURE_MESSAGES[code] ?? `The generation failed (${code}).`;
}

/** A failed generation moved to `errors[]` (VIDEO_FAILED shape). */
export function generationError(code: string, message: string, taskType: string, taskUUID: string): WireError {
  return { code, status: 'error', message, documentation: documentationFor(taskType), taskUUID };
}
