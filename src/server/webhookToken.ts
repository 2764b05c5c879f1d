/**
 * Per-task webhook tokens. Runware signs nothing and only suggests a secret in the URL, so each task's
 * `webhookURL` carries its UUID, an expiry and an HMAC-SHA256 of both under the receiver's secret: a
 * URL is good for its own task only, until it expires, and cannot be made without the secret.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseTaskKey } from '../push/taskKey.js';

/** The query parameters a token adds to the public URL. */
export const TOKEN_PARAMS = { task: 'task', expires: 'expires', token: 'token' } as const;

/** Whether a request's token holds, and for which task. */
export type TokenCheck =
  | { readonly ok: true; readonly taskKey: string }
  | { readonly ok: false; readonly reason: 'forged' | 'expired' };

/** Signs and checks tokens under one secret, which it keeps in a closure (never in a property). */
export interface TokenSigner {
  /** The query parameters for a task (lower-case key) expiring at `expires` (ms since the epoch). */
  sign(taskKey: string, expires: number): URLSearchParams;
  /** Checks a request's query at `now`: the signature first (in constant time), then the expiry. */
  check(query: URLSearchParams, now: number): TokenCheck;
}

/** A signer for `secret` (checked by the caller). */
export function createTokenSigner(secret: string): TokenSigner {
  const mac = (taskKey: string, expires: string): Buffer => createHmac('sha256', secret).update(`runware-rx webhook v1\n${taskKey}\n${expires}`).digest();
  return {
    sign(taskKey, expires) {
      const expiresText = String(expires);
      return new URLSearchParams([
        [TOKEN_PARAMS.task, taskKey],
        [TOKEN_PARAMS.expires, expiresText],
        [TOKEN_PARAMS.token, mac(taskKey, expiresText).toString('base64url')],
      ]);
    },
    check(query, now) {
      const taskKey = parseTaskKey(query.get(TOKEN_PARAMS.task));
      const expires = query.get(TOKEN_PARAMS.expires) ?? '';
      const token = query.get(TOKEN_PARAMS.token) ?? '';
      // Exactly the canonical form: Node's base64url decoder skips stray characters.
      if (taskKey === undefined || !/^\d{1,16}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, reason: 'forged' };
      const given = Buffer.from(token, 'base64url');
      const expected = mac(taskKey, expires);
      // The length of an HMAC is public; its bytes are compared in constant time.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
      if (Number(expires) <= now) return { ok: false, reason: 'expired' };
      return { ok: true, taskKey };
    },
  };
}
