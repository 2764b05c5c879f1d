/**
 * What each fault does to a reply. Pure: a fault and a computed reply in, the bytes to send out.
 *
 * @module
 */
import type { Reply } from './answerTasks.js';
import { FAULT_TABLE, type Fault } from './faults.js';

/** A reply ready for the wire. */
export interface WireReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' } as const;

/** Whether the fault stands in for the reply (so the tasks are not run): {@link FAULT_TABLE}'s column. */
export function replacesReply(fault: Fault): boolean {
  return FAULT_TABLE[fault.kind].replacesReply;
}

/** The reply a replacing fault sends. */
export function faultReply(fault: Fault): WireReply {
  switch (fault.kind) {
    case 'rateLimit':
    case 'rateLimitNoRetryAfter':
      return {
        status: FAULT_TABLE[fault.kind].status,
        headers: { ...JSON_TYPE, ...(fault.kind === 'rateLimit' ? { 'Retry-After': String(fault.retryAfter) } : {}) },
        body: JSON.stringify({ errors: [{ code: 'rateLimitExceeded', message: 'Too many requests: the queue is at capacity. Retry later.' }] }),
      };
    case 'htmlError':
      return {
        status: fault.status,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: `<!DOCTYPE html>\n<html><head><title>${fault.status} Bad Gateway</title></head><body><center><h1>${fault.status} Bad Gateway</h1></center><hr><center>proxy</center></body></html>\n`,
      };
    case 'requestError':
      return { status: FAULT_TABLE.requestError.status, headers: JSON_TYPE, body: JSON.stringify({ errors: [{ code: fault.code, message: 'The request could not be processed.' }] }) };
    default: {
      const tabled = FAULT_TABLE[fault.kind].status;
      const status = typeof tabled === 'number' ? tabled : 500;
      const code = status === 503 ? 'serviceUnavailable' : status === 504 ? 'timeout' : 'internalServerError';
      return { status, headers: JSON_TYPE, body: JSON.stringify({ errors: [{ code, message: `Simulated HTTP ${status}.` }] }) };
    }
  }
}

/** Serialises a computed reply, altered by a body fault if one is given. */
export function renderReply(reply: Reply, fault: Fault | undefined): WireReply {
  const envelope = alterEnvelope(reply, fault);
  const text = JSON.stringify(envelope);
  switch (fault?.kind) {
    case 'emptyBody':
      return { status: FAULT_TABLE.emptyBody.status, headers: JSON_TYPE, body: '' };
    case 'malformedJson':
      return { status: FAULT_TABLE.malformedJson.status, headers: JSON_TYPE, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    case 'codecMismatch': {
      const data = reply.data.length > 0 ? reply.data.map((item) => ({ ...item, taskUUID: 42 })) : null;
      return { status: FAULT_TABLE.codecMismatch.status, headers: JSON_TYPE, body: JSON.stringify({ data }) };
    }
    default:
      return { status: reply.status, headers: JSON_TYPE, body: text };
  }
}

/** The envelope as the fixtures show it: `data` unless the reply is errors only (VALIDATION_ERROR, VIDEO_FAILED, AUTH_ERROR), `errors` (or the legacy `error`) only when there are some. */
function alterEnvelope(reply: Reply, fault: Fault | undefined): Record<string, unknown> {
  let data = [...reply.data];
  let errors = [...reply.errors];
  switch (fault?.kind) {
    case 'duplicateItems':
      data = data.flatMap((item) => [item, item]);
      break;
    case 'missingGeneration':
      if (errors.length > 0) errors = errors.slice(0, -1);
      else data = data.slice(0, -1);
      break;
    case 'reorderedItems':
      data.reverse();
      errors.reverse();
      break;
    case 'unknownStatus':
      data = data.map((item) => (item['status'] === 'processing' ? { ...item, status: fault.itemStatus } : item));
      break;
    default:
      break;
  }
  if (errors.length === 0) return { data };
  // The legacy singular key holds an object for one error, an array for several.
  const failures = reply.legacyError === true ? { error: errors.length === 1 ? errors[0] : errors } : { errors };
  return data.length > 0 ? { data, ...failures } : failures;
}
