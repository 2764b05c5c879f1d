/**
 * The one line a command prints when it fails: never a stack, never the API key, and the cause when
 * there is one (`connection refused to 127.0.0.1:8080`), since "network failure" alone says nothing to fix.
 *
 * @module
 */
import { isRunwareError } from '../errors/RunwareError.js';
import { redactKey } from '../transport/redactKey.js';
import type { CliIo } from './cliIo.js';
import { UsageError } from './usageError.js';

/** Writes `runware-rx <command>: <message>[: <cause>]` to stderr (the key redacted) and returns exit code 1. */
export function reportError(command: string, error: unknown, io: CliIo, apiKey?: string): 1 {
  let message = error instanceof Error ? error.message : String(error);
  if (isRunwareError(error) && 'code' in error && typeof error.code === 'string' && !message.includes(error.code)) message = `${error.code}: ${message}`;
  message = message.replace(/^runware-rx: /, '').split('\n')[0] ?? '';
  const cause = error instanceof Error ? describeCause(error.cause) : undefined;
  if (cause !== undefined && !message.includes(cause)) message = `${message}: ${cause}`;
  message = redactKey(message, apiKey);
  const hint = error instanceof UsageError ? ` (see runware-rx ${command === 'runware-rx' ? '' : `${command} `}--help)` : '';
  io.stderr.write(`runware-rx ${command === 'runware-rx' ? '' : `${command}: `}${message}${hint}\n`.replace('runware-rx  ', 'runware-rx '));
  return 1;
}

/** What the system said about a failed connection, by error code: `connect ECONNREFUSED 127.0.0.1:8080`. */
const NETWORK_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused to',
  ECONNRESET: 'connection reset by',
  ETIMEDOUT: 'connection timed out to',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable for',
  ENOTFOUND: 'host not found:',
  EAI_AGAIN: 'DNS lookup failed for',
  CERT_HAS_EXPIRED: 'TLS certificate expired for',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate at',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unverifiable TLS certificate at',
};

const NETWORK_FAILURE_CODE = new RegExp(`\\b(${Object.keys(NETWORK_FAILURES).join('|')})\\b(?: ([^\\s,;]+))?`);

/**
 * The cause of an error in a few words: a known network failure in plain terms, else the reason a
 * fetch gave (`... failed, reason: socket hang up`), else the cause's first line. Undefined without one.
 */
export function describeCause(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  const text = ((cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '').trim();
  const known = NETWORK_FAILURE_CODE.exec(text);
  const phrase = known === null ? undefined : NETWORK_FAILURES[known[1] ?? ''];
  if (phrase !== undefined) return known?.[2] === undefined ? phrase.replace(/ (to|by|for|at)$|:$/, '') : `${phrase} ${known[2]}`;
  const reason = /\breason: (.+)$/.exec(text)?.[1];
  // The platform's fetch: `fetch failed: SocketError: other side closed` says the server hung up.
  const words = (reason ?? text.replace(/^[A-Za-z]*Error: /, '').replace(/^fetch failed: [A-Za-z]*Error: /, '')).replace(/^other side closed$/, 'connection closed by the server');
  return words || undefined;
}
