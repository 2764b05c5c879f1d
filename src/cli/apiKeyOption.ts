/**
 * The API key of `run` and `watch`: `--api-key K` when given, else the RUNWARE_API_KEY variable.
 *
 * @module
 */
import type { CliIo } from './cliIo.js';
import { stringOption, UsageError, type ParsedOptions } from './usageError.js';

/** The option's parseArgs definition, shared by the commands that call Runware. */
export const API_KEY_OPTION = { 'api-key': { type: 'string' } } as const;

/** The help line of the option. */
export const API_KEY_HELP = '  --api-key KEY         Runware API key (default: RUNWARE_API_KEY, which keeps it out of shell history)';

/**
 * The key as the arguments or the environment give it, read from the raw arguments before they are
 * parsed: an error about any argument can then still be cleared of it. The last `--api-key` wins, as
 * in parseArgs; nothing after `--` is an option.
 */
export function apiKeyIn(args: ReadonlyArray<string>, io: CliIo): string | undefined {
  let key: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') break;
    if (arg === '--api-key') key = args[index + 1];
    else if (arg.startsWith('--api-key=')) key = arg.slice('--api-key='.length);
  }
  return key ?? io.env['RUNWARE_API_KEY'];
}

/** The key to use, from parsed options or the environment; a {@link UsageError} when there is none. */
export function requireApiKey(values: ParsedOptions, io: CliIo): string {
  const key = stringOption(values, 'api-key') ?? io.env['RUNWARE_API_KEY'];
  if (key === undefined || key.trim() === '') throw new UsageError('no API key: pass --api-key or set RUNWARE_API_KEY');
  return key;
}
