/**
 * `runware-rx watch <taskUUID>`: follow an existing task until every generation has finished.
 *
 * @module
 */
import { isTaskUUID } from '../protocol/taskUUID.js';
import { DEFAULT_BASE_URL } from '../transport/fetchTransport.js';
import { watchTask } from '../watchTask.js';
import type { CliIo } from './cliIo.js';
import { exitCodeOf } from './progressState.js';
import { reportError } from './reportError.js';
import { showProgress } from './showProgress.js';
import { integerOption, parseCommandArgs, stringOption, UsageError } from './usageError.js';

/** Help text of `watch`. */
export const WATCH_HELP = `Usage: runware-rx watch <taskUUID> [--json] [--base-url URL] [--number-results N]

Watches an asynchronous Runware task (submitted with deliveryMethod "async") until every generation
has finished, showing each generation's status. The API key is read from RUNWARE_API_KEY.

Options:
  --json                one JSON event per line (NDJSON) instead of text
  --base-url URL        API endpoint (default ${DEFAULT_BASE_URL}; http only for loopback)
  --number-results N    generations to wait for (the task's numberResults; default: as many as Runware reports)
  -h, --help            this help

Exit codes: 0 every generation succeeded, 2 at least one failed, 1 the watch itself failed.
`;

/** Runs `watch`; resolves with the exit code. */
export async function watchCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  const apiKey = io.env['RUNWARE_API_KEY'];
  try {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, 'base-url': { type: 'string' }, 'number-results': { type: 'string' } }, true);
    if (values['help'] === true) {
      io.stdout.write(WATCH_HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one taskUUID, got ${positionals.length}`);
    const taskUUID = positionals[0] ?? '';
    if (!isTaskUUID(taskUUID)) throw new UsageError(`not a taskUUID: ${JSON.stringify(String(taskUUID).slice(0, 60))}`);
    const numberResults = values['number-results'] === undefined ? undefined : integerOption(values, 'number-results', 1, 1, 20);
    if (apiKey === undefined || apiKey.trim() === '') throw new UsageError('RUNWARE_API_KEY is not set');
    const baseUrl = stringOption(values, 'base-url') ?? DEFAULT_BASE_URL;
    const watch = watchTask(taskUUID, { apiKey, baseUrl, ...(numberResults === undefined ? {} : { numberResults }) });
    const state = await showProgress(watch, io, { taskUUID, expected: numberResults, json: values['json'] === true });
    return exitCodeOf(state);
  } catch (error) {
    return reportError('watch', error, io, apiKey);
  }
}
