/** Small wire-reply builders for this project's own specs. */

export const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
export const OTHER_TASK = '019c42a0-c3ff-7138-be83-ee257abc5331';

export function processingItem(taskUUID = TASK, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID, status: 'processing', ...extra };
}

export function successItem(videoUUID: string, taskUUID = TASK, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID, status: 'success', videoUUID, videoURL: `https://im.runware.ai/video/${videoUUID}.mp4`, cost: 0.18, ...extra };
}

export function failureItem(code: string, taskUUID = TASK, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { code, status: 'error', message: `${code} happened`, documentation: 'https://runware.ai/docs', taskUUID, ...extra };
}

export function embeddedFailureItem(code: string, taskUUID = TASK): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID, status: 'error', error: { code, message: `${code} happened` } };
}

export function body(data: Array<Record<string, unknown>>, errors?: Array<Record<string, unknown>>): Record<string, unknown> {
  return errors === undefined ? { data } : { data, errors };
}
