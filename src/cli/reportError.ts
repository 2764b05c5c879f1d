/**
 * The one line a command prints when it fails: never a stack, never the API key.
 *
 * @module
 */
import { isRunwareError } from '../errors/RunwareError.js';
import { redactKey } from '../transport/redactKey.js';
import type { CliIo } from './cliIo.js';
import { UsageError } from './usageError.js';

/** Writes `runware-rx <command>: <message>` to stderr (the key redacted) and returns exit code 1. */
export function reportError(command: string, error: unknown, io: CliIo, apiKey?: string): 1 {
  let message = error instanceof Error ? error.message : String(error);
  if (isRunwareError(error) && 'code' in error && typeof error.code === 'string' && !message.includes(error.code)) message = `${error.code}: ${message}`;
  message = message.replace(/^runware-rx: /, '');
  message = redactKey(message, apiKey);
  const hint = error instanceof UsageError ? ` (see runware-rx ${command === 'runware-rx' ? '' : `${command} `}--help)` : '';
  io.stderr.write(`runware-rx ${command === 'runware-rx' ? '' : `${command}: `}${message.split('\n')[0] ?? ''}${hint}\n`.replace('runware-rx  ', 'runware-rx '));
  return 1;
}
