/**
 * `runware-rx watch <taskUUID>`: follow an existing task until every generation has finished.
 *
 * @module
 */
import { isTaskUUID } from '../protocol/taskUUID.js';
import { DEFAULT_BASE_URL } from '../transport/fetchTransport.js';
import { watchTask } from '../watch/watchTask.js';
import type { CliIo } from './cliIo.js';
import { API_KEY_HELP, API_KEY_OPTION, apiKeyIn, requireApiKey } from './apiKeyOption.js';
import { exitCodeOf } from './progressState.js';
import { reportError } from './reportError.js';
import { showProgress, type WatchReports } from './showProgress.js';
import { integerOption, parseCommandArgs, stringOption, UsageError } from './usageError.js';
import { reportStopped, WatchStopped } from './watchStopped.js';

/** Help text of `watch`. */
export const WATCH_HELP = `Usage: runware-rx watch <taskUUID> [--json] [--api-key KEY] [--base-url URL] [--number-results N]

Watches an asynchronous Runware task (submitted with deliveryMethod "async") until every generation
has finished, showing each generation's status. Ctrl+C stops watching, not the task: Runware
finishes it (and bills it) either way.

Options:
  --json                one JSON event per line (NDJSON) instead of text
${API_KEY_HELP}
  --base-url URL        API endpoint (default ${DEFAULT_BASE_URL}; http only for loopback)
  --number-results N    generations to wait for (the task's numberResults; default: as many as Runware reports)
  -h, --help            this help

Exit codes: 0 every generation succeeded, 2 at least one failed, 1 the watch itself failed,
130 stopped by Ctrl+C.
`;

/** Runs `watch`; resolves with the exit code. */
export async function watchCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  const apiKey = apiKeyIn(args, io);
  let baseUrl = DEFAULT_BASE_URL;
  try {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, 'base-url': { type: 'string' }, 'number-results': { type: 'string' }, ...API_KEY_OPTION }, true);
    if (values['help'] === true) {
      io.stdout.write(WATCH_HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one taskUUID, got ${positionals.length}`);
    const taskUUID = positionals[0] ?? '';
    if (!isTaskUUID(taskUUID)) throw new UsageError(`not a taskUUID: ${JSON.stringify(String(taskUUID).slice(0, 60))}`);
    const numberResults = values['number-results'] === undefined ? undefined : integerOption(values, 'number-results', 1, 1, 20);
    const key = requireApiKey(values, io);
    baseUrl = stringOption(values, 'base-url') ?? DEFAULT_BASE_URL;
    const watch = (reports: WatchReports) => watchTask(taskUUID, { apiKey: key, baseUrl, ...reports, progress: values['json'] !== true, ...(numberResults === undefined ? {} : { numberResults }) });
    const state = await showProgress(watch, io, { taskUUID, expected: numberResults, json: values['json'] === true });
    return exitCodeOf(state);
  } catch (error) {
    if (error instanceof WatchStopped) return reportStopped('watch', error, io, baseUrl);
    return reportError('watch', error, io, apiKey);
  }
}
